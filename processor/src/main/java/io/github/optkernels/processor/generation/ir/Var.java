package io.github.optkernels.processor.generation.ir;

/**
 * A local value: declared once by a {@code Let} and never reassigned (the IR is in SSA form, so a
 * printer never has to track which version of a name a vector store captured). Identity is the
 * object, not the name: the name is only a hint that a printer's name allocator keeps when it can.
 */
public final class Var implements Expr {
  /** What a local holds. */
  public enum Kind {
    /** An element loop's number, of the loop's compute type (a vector in the fused loop). */
    ELEMENT,
    /** An element loop's comparison result ({@code boolean}; a mask in the fused loop). */
    ELEMENT_MASK,
    /** A {@code prepare} local of type {@code double}. */
    STEP,
    /** A {@code prepare} local of type {@code long} (the step count and τ). */
    STEP_COUNT,
    /** A {@code prepare} comparison result. */
    STEP_FLAG
  }

  private final String hint;
  private final Kind kind;

  public Var(String hint, Kind kind) {
    this.hint = hint;
    this.kind = kind;
  }

  /** The name the printers try to give it. */
  public String hint() {
    return hint;
  }

  public Kind kind() {
    return kind;
  }

  /** Whether this is a per-step local rather than an element local. */
  public boolean isStep() {
    return kind == Kind.STEP || kind == Kind.STEP_COUNT || kind == Kind.STEP_FLAG;
  }

  @Override
  public String toString() {
    return hint;
  }
}
