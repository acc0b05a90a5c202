package io.github.optkernels.runtime;

/**
 * The NaN/Inf scan a step runs over its gradients before it writes anything
 * ({@link StepKernel#firstNonFinite}). Per block of {@value #BLOCK} elements, one branch-free
 * reduction {@code max(|g|)} (NaN and Infinity both make it non-finite; C2 vectorizes the float
 * and double forms on JDK 25, JDK 17 runs them scalar), and only a block that fails is searched
 * element by element for the index.
 */
final class GradientScan {
  /** Small enough that a bad block is found quickly, large enough that the reduction dominates. */
  static final int BLOCK = 4096;

  private GradientScan() {}

  /**
   * The first index in {@code [from, to)} of {@code grad} that is NaN or infinite, or −1.
   *
   * @throws UnsupportedOperationException for buffer types other than {@code float[]} and
   *     {@code double[]}
   */
  static int firstNonFinite(Object grad, int from, int to) {
    if (grad instanceof float[]) {
      return firstNonFinite((float[]) grad, from, to);
    }
    if (grad instanceof double[]) {
      return firstNonFinite((double[]) grad, from, to);
    }
    throw new UnsupportedOperationException("no NaN/Inf scan for " + grad.getClass().getSimpleName()
        + " gradients: the kernel must override StepKernel.firstNonFinite, or step with"
        + " NonFiniteGradients.UNCHECKED");
  }

  static int firstNonFinite(float[] grad, int from, int to) {
    for (int start = from, end; start < to; start = end) {
      end = to - start > BLOCK ? start + BLOCK : to;
      float max = 0f;
      for (int i = start; i < end; i++) {
        max = Math.max(max, Math.abs(grad[i]));
      }
      if (!(max <= Float.MAX_VALUE)) {
        for (int i = start; i < end; i++) {
          if (!Float.isFinite(grad[i])) {
            return i;
          }
        }
      }
    }
    return -1;
  }

  static int firstNonFinite(double[] grad, int from, int to) {
    for (int start = from, end; start < to; start = end) {
      end = to - start > BLOCK ? start + BLOCK : to;
      double max = 0;
      for (int i = start; i < end; i++) {
        max = Math.max(max, Math.abs(grad[i]));
      }
      if (!(max <= Double.MAX_VALUE)) {
        for (int i = start; i < end; i++) {
          if (!Double.isFinite(grad[i])) {
            return i;
          }
        }
      }
    }
    return -1;
  }
}
