package io.github.optkernels.processor.generation.ir;

import io.github.optkernels.processor.model.Phase;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The body of one phase's element loop, as the features build it stage by stage, and the values
 * they hand each other (the gradient after maximize and L2, the new first moment, ...) as typed
 * handles rather than local names. What the loop reads and writes, and which per-step scalars it
 * needs, is derived from its statements.
 */
public final class ElementLoop {
  private final Phase phase;
  private final List<Statement> statements = new ArrayList<>();
  private final Set<Buffer> stored = new LinkedHashSet<>();

  private Expr gradient;
  private Expr loadedParameter;
  private Expr parameter;
  private Expr firstMoment;
  private Expr oldFirstMoment;
  private Expr secondMoment;
  private Expr denominatorOperand;
  private Expr denominator;
  private Expr update;

  public ElementLoop(Phase phase) {
    this.phase = phase;
  }

  public Phase phase() {
    return phase;
  }

  public List<Statement> statements() {
    return List.copyOf(statements);
  }

  /** Declares an element local. */
  public Var let(String hint, Expr value) {
    Var var = new Var(hint, value instanceof Expr.Compare ? Var.Kind.ELEMENT_MASK : Var.Kind.ELEMENT);
    check(value);
    statements.add(new Statement.Let(var, value));
    return var;
  }

  /** Declares {@code var}, made elsewhere (a rule's local), as {@code value}. */
  public Var let(Var var, Expr value) {
    check(value);
    statements.add(new Statement.Let(var, value));
    return var;
  }

  /** Writes {@code value} to {@code buffer} at the loop index; once per buffer. */
  public void store(Buffer buffer, Expr value) {
    if (!stored.add(buffer)) {
      throw new IllegalStateException("second store to " + buffer.name() + " in the " + phase + " loop");
    }
    check(value);
    statements.add(new Statement.Store(buffer, value));
  }

  /** Refuses what an element loop cannot compute the same way in every printer. */
  private void check(Expr value) {
    Exprs.visit(value, node -> {
      if (node instanceof Expr.Binary binary && binary.op() == Expr.Binary.Op.POW) {
        throw new IllegalArgumentException("pow in an element loop (per-step expressions only): " + value);
      }
      if (node instanceof Expr.Hyper hyper) {
        throw new IllegalArgumentException("hyperparameter " + hyper.name()
            + " read in an element loop: make it a per-step scalar");
      }
      if (node instanceof Var var && var.isStep()) {
        throw new IllegalArgumentException("prepare local " + var + " read in an element loop: make it a per-step scalar");
      }
    });
  }

  /** The buffers the loop loads, in first-load order. */
  public Set<Buffer> reads() {
    Set<Buffer> reads = new LinkedHashSet<>();
    for (Statement statement : statements) {
      Exprs.visit(value(statement), node -> {
        if (node instanceof Expr.Load load) {
          reads.add(load.buffer());
        }
      });
    }
    return reads;
  }

  /** The buffers the loop stores, in store order. */
  public Set<Buffer> writes() {
    return new LinkedHashSet<>(stored);
  }

  /** Whether the loop loads the buffer named {@code name}. */
  public boolean isRead(String name) {
    return reads().stream().anyMatch(buffer -> buffer.name().equals(name));
  }

  /** Whether the loop stores the buffer named {@code name}. */
  public boolean isWritten(String name) {
    return stored.stream().anyMatch(buffer -> buffer.name().equals(name));
  }

  /** Whether the loop loads or stores the buffer named {@code name}. */
  public boolean isUsed(String name) {
    return isRead(name) || isWritten(name);
  }

  /** Whether the loop reads {@code scalar}. */
  public boolean reads(StepScalar scalar) {
    for (Statement statement : statements) {
      boolean[] found = {false};
      Exprs.visit(value(statement), node -> {
        if (node instanceof Expr.ScalarRef ref && ref.scalar() == scalar) {
          found[0] = true;
        }
      });
      if (found[0]) {
        return true;
      }
    }
    return false;
  }

  private static Expr value(Statement statement) {
    return statement instanceof Statement.Let let ? let.value() : ((Statement.Store) statement).value();
  }

  // ---- the values features hand each other (null until the stage that makes them) ----

  /** The gradient as the update uses it: negated when maximizing, plus L2 decay. */
  public Expr gradient() {
    return gradient;
  }

  public void gradient(Expr value) {
    gradient = value;
  }

  /** The parameter as loaded, before any decay of this step (null until loaded). */
  public Expr loadedParameter() {
    return loadedParameter;
  }

  public void loadedParameter(Expr value) {
    loadedParameter = value;
  }

  /** The parameter as the update adds to it: after decoupled decay. */
  public Expr parameter() {
    return parameter;
  }

  public void parameter(Expr value) {
    parameter = value;
  }

  /** The first moment the numerator reads (new, or frozen during warm-up). */
  public Expr firstMoment() {
    return firstMoment;
  }

  public void firstMoment(Expr value) {
    firstMoment = value;
  }

  /** The first moment before this step's update, when a rule needs it (belief). */
  public Expr oldFirstMoment() {
    return oldFirstMoment;
  }

  public void oldFirstMoment(Expr value) {
    oldFirstMoment = value;
  }

  /** The new second moment. */
  public Expr secondMoment() {
    return secondMoment;
  }

  public void secondMoment(Expr value) {
    secondMoment = value;
  }

  /** What the denominator takes the square root of: the second moment or its running maximum. */
  public Expr denominatorOperand() {
    return denominatorOperand;
  }

  public void denominatorOperand(Expr value) {
    denominatorOperand = value;
  }

  /** The denominator of adaptive steps. */
  public Expr denominator() {
    return denominator;
  }

  public void denominator(Expr value) {
    denominator = value;
  }

  /** The step's additive update of the parameter. */
  public Expr update() {
    return update;
  }

  public void update(Expr value) {
    update = value;
  }
}
