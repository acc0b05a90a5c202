package io.github.optkernels.runtime;

import static io.github.optkernels.runtime.HalfBits.BF16_NOISE;
import static io.github.optkernels.runtime.HalfBits.BF16_QUIET_NAN;
import static io.github.optkernels.runtime.HalfBits.BF16_ROUND;
import static io.github.optkernels.runtime.HalfBits.BF16_SHIFT;
import static io.github.optkernels.runtime.HalfBits.INFINITY;
import static io.github.optkernels.runtime.HalfBits.MAGNITUDE;

/**
 * bfloat16 as raw bits in a {@code short}: the upper half of a float32 (sign, 8 exponent bits,
 * 7 mantissa bits). Widening is exact; narrowing rounds to nearest, ties to even, or
 * stochastically. NaN stays NaN (quiet, sign and upper payload kept), ±Inf and signed zero are
 * kept, and values beyond the largest finite bf16 round to ±Inf as IEEE rounding does.
 *
 * <p>Narrowing is integer arithmetic on the float's bits, with one branch, for NaN: rounding a
 * NaN's bits could carry into the sign or clear its mantissa. A NaN is rare, so the branch is
 * predicted and costs less than selecting with masks (a third of a scalar narrowing loop's time,
 * measured); the Vector API path in {@link HalfArrays} selects with masks instead.
 */
public final class Bf16 {
  /** The largest finite bfloat16, {@code 0x7F7F} = 3.3895314e38. */
  public static final float MAX_VALUE = 0x1.fep127f;

  private Bf16() {}

  /** The float32 value of the bfloat16 {@code bits}; exact. */
  public static float toFloat(short bits) {
    return Float.intBitsToFloat(bits << BF16_SHIFT);
  }

  /** {@code x} rounded to the nearest bfloat16, ties to even. */
  public static short fromFloat(float x) {
    int bits = Float.floatToRawIntBits(x);
    if (isNaN(bits)) {
      return quietNaN(bits);
    }
    // round half to even at bit 16: add just under half an ulp, plus 1 when the kept part is odd
    return (short) ((bits + BF16_ROUND + ((bits >>> BF16_SHIFT) & 1)) >>> BF16_SHIFT);
  }

  /**
   * {@code x} rounded up or down to a neighbouring bfloat16 with probability proportional to its
   * distance from the other one (unbiased: the expected result is {@code x}). {@code random}
   * supplies the randomness; only its low 16 bits are used, which must be uniformly distributed.
   */
  public static short fromFloatStochastic(float x, int random) {
    int bits = Float.floatToRawIntBits(x);
    if (isNaN(bits)) {
      return quietNaN(bits);
    }
    // adding a uniform 16-bit fraction of an ulp and truncating rounds up with probability
    // (discarded bits)/2^16; a finite value cannot carry into the sign bit (at most into Inf)
    return (short) ((bits + (random & BF16_NOISE)) >>> BF16_SHIFT);
  }

  private static boolean isNaN(int floatBits) {
    return (floatBits & MAGNITUDE) > INFINITY;
  }

  /** A quiet NaN with the float NaN's sign and upper payload. */
  private static short quietNaN(int floatBits) {
    return (short) ((floatBits >>> BF16_SHIFT) | BF16_QUIET_NAN);
  }
}
