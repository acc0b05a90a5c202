package io.github.optkernels.runtime;

import static io.github.optkernels.runtime.HalfBits.FP16_INFINITY;
import static io.github.optkernels.runtime.HalfBits.FP16_MAGNITUDE;
import static io.github.optkernels.runtime.HalfBits.FP16_MANTISSA;
import static io.github.optkernels.runtime.HalfBits.FP16_MIN_NORMAL;
import static io.github.optkernels.runtime.HalfBits.FP16_NOISE;
import static io.github.optkernels.runtime.HalfBits.FP16_NORMAL;
import static io.github.optkernels.runtime.HalfBits.FP16_OVERFLOW;
import static io.github.optkernels.runtime.HalfBits.FP16_QUIET_NAN;
import static io.github.optkernels.runtime.HalfBits.FP16_REBIAS;
import static io.github.optkernels.runtime.HalfBits.FP16_ROUND;
import static io.github.optkernels.runtime.HalfBits.FP16_SHIFT;
import static io.github.optkernels.runtime.HalfBits.FP16_SIGN;
import static io.github.optkernels.runtime.HalfBits.FP16_SIGN_SHIFT;
import static io.github.optkernels.runtime.HalfBits.FP16_SUBNORMAL_BASE;
import static io.github.optkernels.runtime.HalfBits.FP16_SUBNORMAL_GRID;
import static io.github.optkernels.runtime.HalfBits.FP16_SUBNORMAL_UNIT;
import static io.github.optkernels.runtime.HalfBits.INFINITY;
import static io.github.optkernels.runtime.HalfBits.MAGNITUDE;

/**
 * IEEE 754 binary16 ("half", fp16) as raw bits in a {@code short}: sign, 5 exponent bits, 10
 * mantissa bits. Written for Java 17, which has no {@code Float.float16ToFloat}. Widening is exact
 * (subnormals included); narrowing rounds to nearest, ties to even, or stochastically. NaN stays
 * NaN (quiet, sign and upper payload kept), ±Inf and signed zero are kept, values of magnitude
 * 65520 and above round to ±Inf, and results below 2^-14 become subnormal halves.
 */
public final class Fp16 {
  /** The largest finite fp16, {@code 0x7BFF} = 65504. */
  public static final float MAX_VALUE = 65504f;
  /** The smallest positive normal fp16, 2^-14. */
  public static final float MIN_NORMAL = 0x1p-14f;
  /** The smallest positive subnormal fp16, 2^-24. */
  public static final float MIN_VALUE = FP16_SUBNORMAL_UNIT;

  private Fp16() {}

  /** The float32 value of the fp16 {@code bits}; exact. */
  public static float toFloat(short bits) {
    int h = bits & 0xFFFF;
    int sign = (h & FP16_SIGN) << FP16_SIGN_SHIFT;
    int magnitude = h & FP16_MAGNITUDE;
    if (magnitude >= FP16_INFINITY) {
      // Inf or NaN (rare): all-ones exponent, the mantissa (NaN payload) moved up
      return Float.intBitsToFloat(sign | INFINITY | ((magnitude & FP16_MANTISSA) << FP16_SHIFT));
    }
    if (magnitude >= FP16_MIN_NORMAL) {
      // normal: move the fields into place and rebias the exponent by 127 − 15
      return Float.intBitsToFloat(sign | ((magnitude << FP16_SHIFT) + FP16_REBIAS));
    }
    // Subnormal or zero: mantissa × 2^-24, exact, as (0.5 + mantissa·2^-24) − 0.5 with the first
    // term assembled from bits (0.5f's ulp is 2^-24): no float arithmetic on a subnormal float
    // (microcode assists make that 30x slower) and no int-to-float conversion. (Branches here
    // measured faster than computing both ranges and selecting with masks, even on data that
    // mixes the two ranges at random.)
    return Float.intBitsToFloat(sign | Float.floatToRawIntBits(
        Float.intBitsToFloat(FP16_SUBNORMAL_GRID | magnitude) - FP16_SUBNORMAL_BASE));
  }

  /** {@code x} rounded to the nearest fp16, ties to even. */
  public static short fromFloat(float x) {
    int bits = Float.floatToRawIntBits(x);
    int sign = (bits >>> FP16_SIGN_SHIFT) & FP16_SIGN;
    int a = bits & MAGNITUDE;
    if (a >= FP16_OVERFLOW) {
      // rare: Inf whatever the rounding, or NaN
      return (short) (sign | (a > INFINITY ? nan(a) : FP16_INFINITY));
    }
    if (a >= FP16_NORMAL) {
      // Rebias the exponent, then round half to even at bit 13. A carry out of the mantissa
      // correctly moves to the next exponent, and from the largest one to Inf (65520 and up).
      return (short) (sign | ((a - FP16_REBIAS + FP16_ROUND + ((a >>> FP16_SHIFT) & 1)) >>> FP16_SHIFT));
    }
    // Below 2^-14 the fp16 grid is 2^-24 everywhere. Adding 0.5f (whose ulp is 2^-24) makes the
    // FPU round at exactly that grid, ties to even; the bits above 0.5f's are the result.
    return (short) (sign | (Float.floatToRawIntBits(Float.intBitsToFloat(a) + FP16_SUBNORMAL_BASE) - FP16_SUBNORMAL_GRID));
  }

  /**
   * {@code x} rounded up or down (in magnitude) to a neighbouring fp16 with probability
   * proportional to its distance from the other one, so the expected result is {@code x}.
   * {@code random} must be uniformly distributed over all 32 bits: normal results use its low
   * 13 bits; subnormal ones as many as the rounding needs (up to all 32, so the probability of
   * rounding a value below 2^-56 up to 2^-24 is exact to 2^-32).
   */
  public static short fromFloatStochastic(float x, int random) {
    int bits = Float.floatToRawIntBits(x);
    int sign = (bits >>> FP16_SIGN_SHIFT) & FP16_SIGN;
    int a = bits & MAGNITUDE;
    int h;
    if (a >= FP16_OVERFLOW) {
      h = a > INFINITY ? nan(a) : FP16_INFINITY;
    } else if (a >= FP16_NORMAL) {
      // a uniform 13-bit fraction of an ulp, then truncate; may carry up to Inf near 65504
      h = (a - FP16_REBIAS + (random & FP16_NOISE)) >>> FP16_SHIFT;
    } else {
      h = subnormalStochastic(a, random);
    }
    return (short) (sign | h);
  }

  /**
   * A magnitude below 2^-14 as a multiple of 2^-24, rounded stochastically. With the float's
   * 24-bit significand {@code s} and exponent {@code e}, the magnitude is {@code s·2^(e−150)},
   * i.e. {@code s/2^k} units of 2^-24 with {@code k = 126 − e ≥ 14}.
   */
  private static int subnormalStochastic(int a, int random) {
    int exponent = a >>> 23;
    int significand = exponent == 0 ? a : (a & 0x7FFFFF) | 0x800000;
    int k = exponent == 0 ? 125 : 126 - exponent;
    long r = random & 0xFFFFFFFFL;
    if (k <= 32) {
      // add k uniform bits below the unit, then truncate
      return (int) ((significand + (r >>> (32 - k))) >>> k);
    }
    // the value is below one unit: round up with probability s/2^k, to 2^-32
    return k - 32 < 24 && r < (significand >>> (k - 32)) ? 1 : 0;
  }

  /** A quiet fp16 NaN with the upper 9 payload bits of the float NaN {@code a}. */
  private static int nan(int a) {
    return FP16_QUIET_NAN | ((a >>> FP16_SHIFT) & FP16_MANTISSA);
  }
}
