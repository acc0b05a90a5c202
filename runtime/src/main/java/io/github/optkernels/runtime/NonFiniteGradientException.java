package io.github.optkernels.runtime;

/**
 * A step was refused because a gradient holds NaN or ±Infinity ({@link NonFiniteGradients#REFUSE}).
 * Nothing was written: every parameter, state array, step count and schedule position is as it
 * was before the call.
 */
public final class NonFiniteGradientException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final int tensor;
  private final int group;
  private final int index;
  private final double value;

  /**
   * @param tensor the tensor's position in registration order
   * @param group its group's index
   * @param length its element count
   * @param index the first bad element (in the whole tensor, not in a part of it)
   * @param value what the gradient holds there
   */
  public NonFiniteGradientException(int tensor, int group, int length, int index, double value) {
    super("gradient of tensor " + tensor + " (group " + group + ", " + length + " elements) is "
        + value + " at index " + index + "; the step was refused and nothing changed");
    this.tensor = tensor;
    this.group = group;
    this.index = index;
    this.value = value;
  }

  /** The tensor's position in registration order (0 for the first tensor added). */
  public int tensor() {
    return tensor;
  }

  /** The index of the tensor's parameter group. */
  public int group() {
    return group;
  }

  /** The first bad element's index within the tensor. */
  public int index() {
    return index;
  }

  /** The bad value (NaN, Infinity or -Infinity). */
  public double value() {
    return value;
  }
}
