package io.github.optkernels.runtime;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An independent model of a 16-bit binary floating-point format, for checking {@link Bf16} and
 * {@link Fp16}: values are computed from the bit fields with {@link BigDecimal}, and rounding is
 * {@link BigDecimal#setScale} with {@link RoundingMode#HALF_EVEN} on the exact value, at the
 * format's quantum for the value's binade. No bit tricks, no float arithmetic.
 */
final class HalfReference {
  private static final BigDecimal TWO = BigDecimal.valueOf(2);
  private static final int POW2_RANGE = 200;
  private static final BigDecimal[] POW2 = new BigDecimal[2 * POW2_RANGE + 1];

  static {
    for (int k = -POW2_RANGE; k <= POW2_RANGE; k++) {
      POW2[k + POW2_RANGE] = k >= 0 ? TWO.pow(k) : BigDecimal.ONE.divide(TWO.pow(-k));
    }
  }



  // after the table: the constructor reads it
  static final HalfReference BF16 = new HalfReference(8, 7);
  static final HalfReference FP16 = new HalfReference(5, 10);

  final int exponentBits;
  final int mantissaBits;
  private final int bias;
  /** 2^(1 − bias): the smallest normal magnitude. */
  private final BigDecimal minNormal;
  /** 2^(maxExponent + 1): the first magnitude past the finite range. */
  private final BigDecimal overflow;

  private HalfReference(int exponentBits, int mantissaBits) {
    this.exponentBits = exponentBits;
    this.mantissaBits = mantissaBits;
    this.bias = (1 << (exponentBits - 1)) - 1;
    this.minNormal = pow2(1 - bias);
    this.overflow = pow2(bias + 1);
  }

  /** 2^k, exactly (|k| &lt;= 200). */
  static BigDecimal pow2(int k) {
    return POW2[k + POW2_RANGE];
  }

  private int exponentMask() {
    return (1 << exponentBits) - 1;
  }

  boolean isNaN(int bits) {
    int e = (bits >>> mantissaBits) & exponentMask();
    return e == exponentMask() && (bits & ((1 << mantissaBits) - 1)) != 0;
  }

  boolean isInfinite(int bits) {
    return (bits & 0x7FFF) == exponentMask() << mantissaBits;
  }

  /** The exact value of finite {@code bits} (sign ignored: the magnitude). */
  BigDecimal magnitude(int bits) {
    int e = (bits >>> mantissaBits) & exponentMask();
    int m = bits & ((1 << mantissaBits) - 1);
    if (e == 0) {
      return BigDecimal.valueOf(m).multiply(pow2(1 - bias - mantissaBits));
    }
    return BigDecimal.valueOf((1L << mantissaBits) + m).multiply(pow2(e - bias - mantissaBits));
  }

  /** The exact value of finite {@code bits}, with its sign (−0 reads as 0). */
  BigDecimal value(int bits) {
    BigDecimal magnitude = magnitude(bits);
    return (bits & 0x8000) != 0 ? magnitude.negate() : magnitude;
  }

  /** The 16-bit pattern nearest to finite {@code x}, ties to even; Inf past the finite range. */
  int roundNearestEven(float x) {
    int sign = Float.floatToRawIntBits(x) < 0 ? 0x8000 : 0;
    double a = Math.abs((double) x);
    if (a == 0) {
      return sign;
    }
    // The quantum of a's binade, 2^q (every float is a normal double, so getExponent is exact);
    // below the smallest normal, the subnormal quantum. a / 2^q is exact in double (24
    // significant bits, exponent well inside double's range), and is rounded to an integer
    // number of quanta by BigDecimal, half to even. Far below a quantum it is 0 without asking.
    int q = Math.max(Math.getExponent(a), 1 - bias) - mantissaBits;
    double scaled = Math.scalb(a, -q);
    long units = scaled < 0.25 ? 0 : new BigDecimal(scaled).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    if (BigDecimal.valueOf(units).multiply(pow2(q)).compareTo(overflow) >= 0) {
      return sign | exponentMask() << mantissaBits;
    }
    return sign | encode(BigDecimal.valueOf(units).multiply(pow2(q)));
  }

  /** Bits of an exactly representable, finite, non-negative magnitude. */
  int encode(BigDecimal magnitude) {
    if (magnitude.signum() == 0) {
      return 0;
    }
    if (magnitude.compareTo(minNormal) < 0) {
      return magnitude.multiply(pow2(bias - 1 + mantissaBits)).intValueExact();
    }
    int e = binadeExponent(magnitude);
    int significand = magnitude.multiply(pow2(mantissaBits - e)).intValueExact();
    return (e + bias) << mantissaBits | (significand - (1 << mantissaBits));
  }

  /** floor(log2(a)) for a &gt; 0, found by comparison with exact powers of two. */
  private static int binadeExponent(BigDecimal a) {
    if (a.signum() == 0) {
      return Integer.MIN_VALUE / 2;
    }
    int e = (int) Math.floor(Math.log(a.doubleValue()) / Math.log(2));
    while (pow2(e).compareTo(a) > 0) {
      e--;
    }
    while (pow2(e + 1).compareTo(a) <= 0) {
      e++;
    }
    return e;
  }
}
