package io.github.optkernels.runtime;

/**
 * The NaN/Inf scan a step runs over its gradients before it writes anything
 * ({@link StepKernel#firstNonFinite}). Per block of {@value #BLOCK} elements, one branch-free
 * reduction (for float and double {@code max(|g|)}, which NaN and Infinity both make
 * non-finite; C2 vectorizes it on JDK 25, JDK 17 runs it scalar), and only a block that fails is
 * searched element by element for the index.
 *
 * <p>Public so that a kernel whose gradients are 16-bit patterns in a {@code short[]} can
 * override {@link StepKernel#firstNonFinite} with one call: {@link #firstNonFiniteBfloat16} or
 * {@link #firstNonFiniteFloat16} (a {@code short[]} alone does not say which format it holds).
 */
public final class GradientScan {
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
        + " gradients: the kernel must override StepKernel.firstNonFinite (for 16-bit patterns with"
        + " GradientScan.firstNonFiniteBfloat16 or firstNonFiniteFloat16), or step with"
        + " NonFiniteGradients.UNCHECKED");
  }

  /** The first index in {@code [from, to)} that is NaN or infinite, or −1. */
  public static int firstNonFinite(float[] grad, int from, int to) {
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

  /** The first index in {@code [from, to)} that is NaN or infinite, or −1. */
  public static int firstNonFinite(double[] grad, int from, int to) {
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

  /**
   * Element {@code index} of buffer {@code buffer} (0 the parameter, {@code 1 + k} state slot
   * {@code k}), as {@link StepKernel#firstNonFiniteStored} returns it: {@code buffer · 2³² + index}.
   *
   * @throws IllegalArgumentException if either is negative
   */
  public static long stored(int buffer, int index) {
    if (buffer < 0 || index < 0) {
      throw new IllegalArgumentException("buffer and index must be >= 0, got " + buffer + " and " + index);
    }
    return (long) buffer << 32 | index;
  }

  /** The buffer of a {@link #stored(int, int)} position. */
  static int storedBuffer(long stored) {
    return (int) (stored >>> 32);
  }

  /** The index of a {@link #stored(int, int)} position. */
  static int storedIndex(long stored) {
    return (int) stored;
  }

  /**
   * The first index in {@code [from, to)} whose bfloat16 bit pattern is NaN or infinite (all
   * eight exponent bits set), or −1.
   */
  public static int firstNonFiniteBfloat16(short[] grad, int from, int to) {
    return firstAllOnes(grad, from, to, 0x7F80);
  }

  /**
   * The first index in {@code [from, to)} whose IEEE float16 bit pattern is NaN or infinite (all
   * five exponent bits set), or −1.
   */
  public static int firstNonFiniteFloat16(short[] grad, int from, int to) {
    return firstAllOnes(grad, from, to, 0x7C00);
  }

  /**
   * The first pattern whose bits under {@code exponent} (a contiguous mask below bit 15) are all
   * set. Adding the mask's lowest bit to {@code bits & exponent} carries into bit 15 exactly then,
   * so one OR over a block says whether any element does.
   */
  private static int firstAllOnes(short[] grad, int from, int to, int exponent) {
    int carry = exponent & -exponent;
    for (int start = from, end; start < to; start = end) {
      end = to - start > BLOCK ? start + BLOCK : to;
      int any = 0;
      for (int i = start; i < end; i++) {
        any |= (grad[i] & exponent) + carry;
      }
      if ((any & 0x8000) != 0) {
        for (int i = start; i < end; i++) {
          if ((grad[i] & exponent) == exponent) {
            return i;
          }
        }
      }
    }
    return -1;
  }
}
