package io.github.optkernels.runtime;

/**
 * A step stored NaN or ±Infinity in a 16-bit buffer: a value outgrew its format (fp16's largest
 * finite value is 65504, bfloat16's about 3.39e38) or a NaN or Infinity spread into it. The step
 * was taken, in full: every tensor was updated and every step count and schedule position moved
 * on, so the optimizer is consistent, but the named element now holds a value training cannot
 * recover from (an infinite second moment freezes its parameter; an infinite parameter turns NaN
 * on the next step).
 *
 * <p>Thrown by {@link KernelOptimizer#step()}, {@code stepTensor} and {@code stepGroup} after the
 * whole step, naming the first such element in registration order (per tensor the parameter
 * first, then the state slots in order). What to do: reload the last checkpoint (the parameters
 * are the caller's, so restore them too) and then lower the learning rate, keep the moments in
 * float32 (a second moment stores g², so an fp16 one overflows from |g| ≈ 256), scale the loss
 * down, or clip the gradients. Kernels with float32 or float64 buffers never throw it.
 */
public final class StorageOverflowException extends ArithmeticException {
  private static final long serialVersionUID = 1L;

  private final int tensor;
  private final int group;
  private final String buffer;
  private final int index;
  private final double value;

  StorageOverflowException(int tensor, int group, int length, String buffer, int index, double value) {
    super("after the step, " + buffer + " of tensor " + tensor + " (group " + group + ", " + length
        + " elements) holds " + value + " at index " + index + ": a 16-bit value overflowed its format"
        + " or a NaN/Inf spread into it. The step was taken; reload the last checkpoint and lower the"
        + " learning rate, keep the moments in float32, scale the loss down or clip the gradients");
    this.tensor = tensor;
    this.group = group;
    this.buffer = buffer;
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

  /** Which buffer: {@code "param"} or a state slot's name ({@code "exp_avg_sq"}, ...). */
  public String buffer() {
    return buffer;
  }

  /** The element's index within the tensor. */
  public int index() {
    return index;
  }

  /** The stored value, decoded from its 16 bits: NaN, Infinity or -Infinity. */
  public double value() {
    return value;
  }
}
