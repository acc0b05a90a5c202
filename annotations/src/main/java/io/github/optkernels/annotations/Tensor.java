package io.github.optkernels.annotations;

/**
 * Per-tensor reductions a {@link Rule} may use, such as LAMB's trust ratio
 * {@code ‖p‖ / ‖u‖}. They are read by the processor, never called: a kernel computes them in a
 * pass over the whole tensor before the update pass, summing in double in a fixed order, so the
 * result is the same for any thread count and chunk size.
 */
public final class Tensor {
  private Tensor() {}

  /**
   * The Euclidean norm, over every element of the tensor being stepped, of the per-element value
   * {@code x}: {@code sqrt(Σ x_i²)}, the sum in double, rounded once to the kernel's type. The
   * argument may not depend on another norm or on a state slot written before it.
   *
   * @throws UnsupportedOperationException always: outside a rule there is no tensor
   */
  public static float norm(float x) {
    throw new UnsupportedOperationException(
        "Tensor.norm is read by the optkernels processor inside a @Rule; it cannot be called");
  }
}
