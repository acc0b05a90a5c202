package io.github.optkernels.processor.generation.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Prints the IR as the math lines of the generated Javadoc: the same statements the loops run, in
 * a reader's notation ({@code v = beta2·exp_avg_sq + oneMinusBeta2·g·g}), so the documentation
 * can never state a formula the code does not compute. Buffers appear by their state names,
 * hyperparameters by their symbols, per-step scalars by name with their definitions listed
 * separately.
 */
public final class MathPrinter {
  private final Function<Var, String> names;

  public MathPrinter(Function<Var, String> names) {
    this.names = names;
  }

  /** The lines of one element loop: a local per line, a store as {@code exp_avg ← m}. */
  public List<String> loop(ElementLoop loop) {
    List<String> lines = new ArrayList<>();
    for (Statement statement : loop.statements()) {
      if (statement instanceof Statement.Let let) {
        lines.add(names.apply(let.var()) + " = " + expression(let.value()));
      } else {
        Statement.Store store = (Statement.Store) statement;
        lines.add(store.buffer().label() + " ← " + expression(store.value()));
      }
    }
    return lines;
  }

  /** The line of one per-step statement, or null for a comment. */
  public String step(StepStatement statement) {
    if (statement instanceof StepStatement.Let let) {
      return names.apply(let.var()) + " = " + expression(let.value());
    }
    if (statement instanceof StepStatement.SetScalar set) {
      return "scalar " + set.scalar().name() + " = " + expression(set.value());
    }
    if (statement instanceof StepStatement.SetField set) {
      return "field " + set.field() + " = " + expression(set.value());
    }
    if (statement instanceof StepStatement.SetPhase set) {
      return "loop: " + set.phase();
    }
    if (statement instanceof StepStatement.ChoosePhase choose) {
      return "loop: " + choose.whenTrue() + " if " + expression(choose.condition()) + ", else " + choose.whenFalse();
    }
    return null;
  }

  /** One expression. */
  public String expression(Expr expr) {
    return print(expr).text;
  }

  private record Printed(String text, int precedence) {
    String at(int least) {
      return precedence < least ? "(" + text + ")" : text;
    }
  }

  private Printed print(Expr expr) {
    if (expr instanceof Expr.Const constant) {
      double v = constant.value();
      String text = v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
      return new Printed(text.replace("-", "−"), v < 0 ? JavaPrinter.UNARY : JavaPrinter.PRIMARY);
    }
    if (expr instanceof Var var) {
      return primary(names.apply(var));
    }
    if (expr instanceof Expr.ScalarRef ref) {
      return primary(ref.scalar().name());
    }
    if (expr instanceof Expr.Load load) {
      return primary(load.buffer().label());
    }
    if (expr instanceof Expr.Hyper hyper) {
      return primary(hyper.symbol());
    }
    if (expr instanceof Expr.Unary unary) {
      Printed x = print(unary.operand());
      switch (unary.op()) {
        case NEG:
          return new Printed("−" + x.at(JavaPrinter.UNARY + 1), JavaPrinter.UNARY);
        case SQRT:
          return primary("sqrt(" + x.text + ")");
        case ABS:
          return primary("|" + x.text + "|");
        case SIGN:
          return primary("sign(" + x.text + ")");
        default:
          throw new AssertionError(unary.op());
      }
    }
    if (expr instanceof Expr.Binary binary) {
      Printed a = print(binary.left());
      Printed b = print(binary.right());
      switch (binary.op()) {
        case ADD:
          return infix(a, " + ", b, JavaPrinter.ADDITIVE);
        case SUB:
          return infix(a, " − ", b, JavaPrinter.ADDITIVE);
        case MUL:
          return infix(a, "·", b, JavaPrinter.MULTIPLICATIVE);
        case DIV:
          return infix(a, "/", b, JavaPrinter.MULTIPLICATIVE);
        case MIN:
          return primary("min(" + a.text + ", " + b.text + ")");
        case MAX:
          return primary("max(" + a.text + ", " + b.text + ")");
        case POW:
          return primary(a.at(JavaPrinter.PRIMARY) + "^" + b.at(JavaPrinter.PRIMARY));
        default:
          throw new AssertionError(binary.op());
      }
    }
    if (expr instanceof Expr.Fma fma) {
      return primary("fma(" + print(fma.a()).text + ", " + print(fma.b()).text + ", " + print(fma.c()).text + ")");
    }
    if (expr instanceof Expr.Compare compare) {
      return infix(print(compare.left()), " " + symbol(compare.op()) + " ", print(compare.right()),
          JavaPrinter.RELATIONAL);
    }
    Expr.Select select = (Expr.Select) expr;
    return new Printed(print(select.condition()).at(JavaPrinter.TERNARY + 1) + " ? "
        + print(select.ifTrue()).at(JavaPrinter.TERNARY + 1) + " : " + print(select.ifFalse()).text,
        JavaPrinter.TERNARY);
  }

  private static Printed primary(String text) {
    return new Printed(text, JavaPrinter.PRIMARY);
  }

  private static Printed infix(Printed a, String operator, Printed b, int level) {
    return new Printed(a.at(level) + operator + b.at(level + 1), level);
  }

  /** Comparison symbols; {@code <} and {@code >} escaped, as the lines go into Javadoc HTML. */
  private static String symbol(Expr.Compare.Op op) {
    switch (op) {
      case LT:
        return "&lt;";
      case LE:
        return "≤";
      case GT:
        return "&gt;";
      case GE:
        return "≥";
      case EQ:
        return "==";
      case NE:
        return "!=";
      default:
        throw new AssertionError(op);
    }
  }
}
