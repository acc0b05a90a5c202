package io.github.optkernels.runtime;

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
  public static final float MIN_VALUE = 0x1p-24f;

  /** float32 bits of 2^16: the first magnitude that is ±Inf (or NaN) in fp16 whatever the rounding. */
  private static final int OVERFLOW = 0x47800000;
  /** float32 bits of 2^-14, the smallest normal fp16. */
  private static final int NORMAL = 0x38800000;
  /** Turns a float32 exponent into an fp16 one: 127 − 15 = 112 fewer, at bit 23. */
  private static final int REBIAS = 112 << 23;

  private Fp16() {}

  /** The float32 value of the fp16 {@code bits}; exact. */
  public static float toFloat(short bits) {
    int h = bits & 0xFFFF;
    int sign = (h & 0x8000) << 16;
    int magnitude = h & 0x7FFF;
    if (magnitude >= 0x7C00) {
      // Inf or NaN (rare): all-ones exponent, the mantissa (NaN payload) moved up
      return Float.intBitsToFloat(sign | 0x7F800000 | ((magnitude & 0x3FF) << 13));
    }
    if (magnitude >= 0x0400) {
      // normal: move the fields into place and rebias the exponent by 127 − 15
      return Float.intBitsToFloat(sign | ((magnitude << 13) + REBIAS));
    }
    // Subnormal or zero: mantissa × 2^-24, exact, as (0.5 + mantissa·2^-24) − 0.5 with the first
    // term assembled from bits (0.5f's ulp is 2^-24): no float arithmetic on a subnormal float
    // (microcode assists make that 30x slower) and no int-to-float conversion. (Branches here
    // measured faster than computing both ranges and selecting with masks, even on data that
    // mixes the two ranges at random.)
    return Float.intBitsToFloat(sign | Float.floatToRawIntBits(Float.intBitsToFloat(0x3F000000 | magnitude) - 0.5f));
  }

  /** {@code x} rounded to the nearest fp16, ties to even. */
  public static short fromFloat(float x) {
    int bits = Float.floatToRawIntBits(x);
    int sign = (bits >>> 16) & 0x8000;
    int a = bits & 0x7FFFFFFF;
    if (a >= OVERFLOW) {
      // rare: Inf whatever the rounding, or NaN
      return (short) (sign | (a > 0x7F800000 ? nan(a) : 0x7C00));
    }
    if (a >= NORMAL) {
      // Rebias the exponent, then round half to even at bit 13. A carry out of the mantissa
      // correctly moves to the next exponent, and from the largest one to Inf (65520 and up).
      return (short) (sign | ((a - REBIAS + 0xFFF + ((a >>> 13) & 1)) >>> 13));
    }
    // Below 2^-14 the fp16 grid is 2^-24 everywhere. Adding 0.5f (whose ulp is 2^-24) makes the
    // FPU round at exactly that grid, ties to even; the bits above 0.5f's are the result.
    return (short) (sign | (Float.floatToRawIntBits(Float.intBitsToFloat(a) + 0.5f) - 0x3F000000));
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
    int sign = (bits >>> 16) & 0x8000;
    int a = bits & 0x7FFFFFFF;
    int h;
    if (a >= OVERFLOW) {
      h = a > 0x7F800000 ? nan(a) : 0x7C00;
    } else if (a >= NORMAL) {
      // a uniform 13-bit fraction of an ulp, then truncate; may carry up to Inf near 65504
      h = (a - REBIAS + (random & 0x1FFF)) >>> 13;
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
    return 0x7E00 | ((a >>> 13) & 0x3FF);
  }
}
