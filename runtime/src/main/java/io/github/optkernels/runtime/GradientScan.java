package io.github.optkernels.runtime;

import java.util.Arrays;
import java.util.Objects;

/**
 * The NaN/Inf scans: over a step's gradients before it writes anything
 * ({@link StepKernel#firstNonFinite}), and over what a 16-bit kernel stored after it wrote
 * ({@link StepKernel#firstNonFiniteStored}).
 *
 * <p><b>float and double.</b> The scan is a second pass over the gradients next to a step that
 * streams 28 bytes per element (float32 AdamW), so it must run at memory speed or the default
 * step pays for its safety. It has to be one C2 vectorizes on JDK 17 as well as 25, and C2 17
 * vectorizes none of the obvious forms: no float reduction ({@code max(|g|)}, {@code Σ g·0}),
 * no int reduction over {@code floatToRawIntBits} (the bit move is not vectorized), and no
 * element-wise loop that reads a {@code float[]} at one offset and writes another {@code float[]}
 * at another (the two might overlap, so SuperWord refuses to pack same-type accesses of different
 * alignment). It does vectorize an element-wise loop whose arrays share one index. So the scan
 * copies {@value #BLOCK} gradients at a time into a per-thread buffer ({@code System.arraycopy},
 * an intrinsic), adds {@code g·0} into a per-thread row of lane sums with one index (0 for a
 * finite {@code g}, NaN for NaN and ±Infinity, and a NaN stays in the sum), and checks the row
 * once per call. Only a call that fails searches element by element for the index.
 *
 * <p><b>16 bits.</b> Public so that a kernel whose buffers are 16-bit patterns in a
 * {@code short[]} can override {@link StepKernel#firstNonFinite} and
 * {@link StepKernel#firstNonFiniteStored} with a call each: {@link #firstNonFiniteBfloat16} or
 * {@link #firstNonFiniteFloat16} (a {@code short[]} alone does not say which format it holds).
 */
public final class GradientScan {
  /**
   * Elements copied and summed at a time: the copy and the lane row (2 × 2 KB of floats, 2 × 4 KB
   * of doubles) stay in L1, and the row's final check, once per call, is short.
   */
  static final int BLOCK = 512;

  /** Ranges this short are checked element by element: less work than filling a row. */
  private static final int DIRECT = 64;

  /** 16-bit patterns per OR reduction: a bad block is found quickly, and the reduction dominates. */
  static final int HALF_BLOCK = 4096;

  /** One thread's copy buffer and lane row. */
  private static final class Lanes {
    final float[] floatCopy = new float[BLOCK];
    final float[] floatSum = new float[BLOCK];
    final double[] doubleCopy = new double[BLOCK];
    final double[] doubleSum = new double[BLOCK];
  }

  private static final ThreadLocal<Lanes> LANES = ThreadLocal.withInitial(Lanes::new);

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

  /**
   * The first index in {@code [from, to)} that is NaN or infinite, or −1.
   *
   * @throws IndexOutOfBoundsException if the range is not within {@code grad}
   */
  public static int firstNonFinite(float[] grad, int from, int to) {
    Objects.checkFromToIndex(from, to, grad.length);
    if (to - from > DIRECT) {
      Lanes lanes = LANES.get();
      float[] copy = lanes.floatCopy;
      float[] sum = lanes.floatSum;
      Arrays.fill(sum, 0f);
      for (int start = from; start < to; start += BLOCK) {
        int n = Math.min(BLOCK, to - start);
        System.arraycopy(grad, start, copy, 0, n);
        for (int j = 0; j < n; j++) {
          sum[j] += copy[j] * 0f; // one index for both: C2 17 vectorizes only that
        }
      }
      // ±0 everywhere unless a lane met NaN or ±Infinity: OR the bits without the sign, in four
      // independent chains (an int OR waits one cycle for the last, a float add four)
      int b0 = 0;
      int b1 = 0;
      int b2 = 0;
      int b3 = 0;
      for (int j = 0; j < BLOCK; j += 4) {
        b0 |= Float.floatToRawIntBits(sum[j]);
        b1 |= Float.floatToRawIntBits(sum[j + 1]);
        b2 |= Float.floatToRawIntBits(sum[j + 2]);
        b3 |= Float.floatToRawIntBits(sum[j + 3]);
      }
      if (((b0 | b1 | b2 | b3) << 1) == 0) {
        return -1;
      }
    }
    for (int i = from; i < to; i++) {
      if (!Float.isFinite(grad[i])) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The first index in {@code [from, to)} that is NaN or infinite, or −1.
   *
   * @throws IndexOutOfBoundsException if the range is not within {@code grad}
   */
  public static int firstNonFinite(double[] grad, int from, int to) {
    Objects.checkFromToIndex(from, to, grad.length);
    if (to - from > DIRECT) {
      Lanes lanes = LANES.get();
      double[] copy = lanes.doubleCopy;
      double[] sum = lanes.doubleSum;
      Arrays.fill(sum, 0.0);
      for (int start = from; start < to; start += BLOCK) {
        int n = Math.min(BLOCK, to - start);
        System.arraycopy(grad, start, copy, 0, n);
        for (int j = 0; j < n; j++) {
          sum[j] += copy[j] * 0.0;
        }
      }
      long b0 = 0;
      long b1 = 0;
      long b2 = 0;
      long b3 = 0;
      for (int j = 0; j < BLOCK; j += 4) {
        b0 |= Double.doubleToRawLongBits(sum[j]);
        b1 |= Double.doubleToRawLongBits(sum[j + 1]);
        b2 |= Double.doubleToRawLongBits(sum[j + 2]);
        b3 |= Double.doubleToRawLongBits(sum[j + 3]);
      }
      if (((b0 | b1 | b2 | b3) << 1) == 0) {
        return -1;
      }
    }
    for (int i = from; i < to; i++) {
      if (!Double.isFinite(grad[i])) {
        return i;
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
      end = to - start > HALF_BLOCK ? start + HALF_BLOCK : to;
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
