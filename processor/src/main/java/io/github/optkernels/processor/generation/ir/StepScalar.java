package io.github.optkernels.processor.generation.ir;

/**
 * A per-step scalar: a field of the loop's compute type, set in {@code prepare} from a double
 * expression rounded once, and copied into a local by each loop that reads it (which loops do is
 * derived from their {@link Expr.ScalarRef}s). Identity is the object.
 */
public final class StepScalar {
  private final String name;
  private final String doc;

  /**
   * @param name field and local name
   * @param doc what it holds, for the field's Javadoc
   */
  public StepScalar(String name, String doc) {
    this.name = name;
    this.doc = doc;
  }

  public String name() {
    return name;
  }

  public String doc() {
    return doc;
  }

  /** This scalar as an operand of an element expression. */
  public Expr.ScalarRef ref() {
    return new Expr.ScalarRef(this);
  }

  @Override
  public String toString() {
    return name;
  }
}
