package io.github.optkernels.processor.generation.ir;

/**
 * An expression of the kernel IR. The node kinds are the records below and {@link Var}. Every kind
 * an element loop may hold prints in all three printers; {@link Binary.Op#POW} is the one
 * operation allowed in per-step expressions only (a lanewise power has no correctly rounded
 * vector form, and {@link ElementLoop} refuses it).
 */
public sealed interface Expr permits Var, Expr.Const, Expr.ScalarRef, Expr.Load, Expr.Hyper,
    Expr.Unary, Expr.Binary, Expr.Fma, Expr.Compare, Expr.Select {

  /** A number. In a float loop it must be exactly representable as a float. */
  record Const(double value) implements Expr {}

  /** A per-step scalar read in an element loop: a local copy of the kernel's field. */
  record ScalarRef(StepScalar scalar) implements Expr {}

  /** {@code buffer[i]}: the element at the loop index (in the fused loop, the lanes from it). */
  record Load(Buffer buffer) implements Expr {}

  /**
   * A hyperparameter, read in {@code prepare}: a built-in one as {@code h.<name>()}, one a spec
   * declares as {@code h.value(<constant>)}.
   *
   * @param constant the declared hyperparameter's constant, {@code Optimizer.NAME}; null when built in
   */
  record Hyper(String name, String symbol, String constant) implements Expr {}

  /** A one-operand operation. */
  record Unary(Op op, Expr operand) implements Expr {
    public enum Op { NEG, SQRT, ABS, SIGN }
  }

  /** A two-operand operation, evaluated left before right. */
  record Binary(Op op, Expr left, Expr right) implements Expr {
    public enum Op {
      ADD, SUB, MUL, DIV, MIN, MAX,
      /** {@code Math.pow}: per-step expressions only. */
      POW
    }
  }

  /** {@code a·b + c} rounded once ({@code Math.fma}). */
  record Fma(Expr a, Expr b, Expr c) implements Expr {}

  /** A comparison; its value is a flag (a mask in the fused loop). */
  record Compare(Op op, Expr left, Expr right) implements Expr {
    public enum Op { LT, LE, GT, GE, EQ, NE }
  }

  /** {@code condition ? ifTrue : ifFalse}, lane by lane in the fused loop. */
  record Select(Expr condition, Expr ifTrue, Expr ifFalse) implements Expr {}

  // ---- builders, so that a feature reads like the formula it states ----

  static Const constant(double value) {
    return new Const(value);
  }

  static Expr add(Expr a, Expr b) {
    return new Binary(Binary.Op.ADD, a, b);
  }

  static Expr sub(Expr a, Expr b) {
    return new Binary(Binary.Op.SUB, a, b);
  }

  static Expr mul(Expr a, Expr b) {
    return new Binary(Binary.Op.MUL, a, b);
  }

  static Expr div(Expr a, Expr b) {
    return new Binary(Binary.Op.DIV, a, b);
  }

  static Expr max(Expr a, Expr b) {
    return new Binary(Binary.Op.MAX, a, b);
  }

  static Expr min(Expr a, Expr b) {
    return new Binary(Binary.Op.MIN, a, b);
  }

  static Expr pow(Expr a, Expr b) {
    return new Binary(Binary.Op.POW, a, b);
  }

  static Expr neg(Expr a) {
    return new Unary(Unary.Op.NEG, a);
  }

  static Expr sqrt(Expr a) {
    return new Unary(Unary.Op.SQRT, a);
  }

  static Expr compare(Compare.Op op, Expr a, Expr b) {
    return new Compare(op, a, b);
  }

  static Expr select(Expr condition, Expr ifTrue, Expr ifFalse) {
    return new Select(condition, ifTrue, ifFalse);
  }

  /** {@code 1 - a}. */
  static Expr oneMinus(Expr a) {
    return sub(constant(1), a);
  }
}
