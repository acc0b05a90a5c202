package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Bf16} and {@link Fp16} against {@link HalfReference}, an exact BigDecimal model of each
 * format: every one of the 65,536 bit patterns decodes to its exact value and re-encodes to
 * itself; rounding to nearest even agrees with the model on every float32 within a few ulps of
 * every rounding boundary (each midpoint between neighbouring 16-bit values, the overflow
 * threshold) and on 2^18 random float32 bit patterns (every binade alike); stochastic rounding
 * always lands on one of the two neighbours and is exactly unbiased over its random bits.
 */
class HalfConversionTest {
  /** float32 neighbours checked on each side of a boundary. */
  private static final int ULPS_AROUND = 2;
  private static final int RANDOM_SAMPLE = 1 << 18;

  /** One format: the code under test and its model. */
  interface Format {
    float toFloat(short bits);

    short fromFloat(float x);

    short fromFloatStochastic(float x, int random);

    HalfReference reference();
  }

  static final Format BF16 = new Format() {
    @Override public float toFloat(short bits) { return Bf16.toFloat(bits); }
    @Override public short fromFloat(float x) { return Bf16.fromFloat(x); }
    @Override public short fromFloatStochastic(float x, int random) { return Bf16.fromFloatStochastic(x, random); }
    @Override public HalfReference reference() { return HalfReference.BF16; }
    @Override public String toString() { return "bf16"; }
  };

  static final Format FP16 = new Format() {
    @Override public float toFloat(short bits) { return Fp16.toFloat(bits); }
    @Override public short fromFloat(float x) { return Fp16.fromFloat(x); }
    @Override public short fromFloatStochastic(float x, int random) { return Fp16.fromFloatStochastic(x, random); }
    @Override public HalfReference reference() { return HalfReference.FP16; }
    @Override public String toString() { return "fp16"; }
  };

  static Stream<Arguments> formats() {
    return Stream.of(Arguments.of(BF16), Arguments.of(FP16));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void everyBitPatternDecodesExactlyAndReencodesToItself(Format format) {
    HalfReference ref = format.reference();
    int nans = 0;
    for (int bits = 0; bits < 1 << 16; bits++) {
      short h = (short) bits;
      float x = format.toFloat(h);
      if (ref.isNaN(bits)) {
        nans++;
        assertTrue(Float.isNaN(x), () -> hex(h) + " is a NaN pattern but decoded to " + x);
        short back = format.fromFloat(x);
        assertTrue(ref.isNaN(back & 0xFFFF), () -> "NaN " + hex(h) + " re-encoded to " + hex(back));
        assertEquals(bits & 0x8000, back & 0x8000, () -> "NaN " + hex(h) + " lost its sign");
        continue;
      }
      if (ref.isInfinite(bits)) {
        assertEquals((bits & 0x8000) != 0 ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY, x, hex(h));
      } else {
        assertEquals(0, ref.value(bits).compareTo(new BigDecimal(x)), () -> hex(h) + " decoded to " + x);
        assertEquals(bits & 0x8000, Float.floatToRawIntBits(x) >>> 16 & 0x8000, () -> hex(h) + ": sign");
      }
      assertEquals(h, format.fromFloat(x), () -> hex(h) + " -> " + x + " -> " + hex(format.fromFloat(x)));
      for (int random : new int[] {0, -1, 0x5555_5555, 0x8000_0000}) {
        assertEquals(h, format.fromFloatStochastic(x, random), () -> "stochastic " + hex(h));
      }
    }
    // bf16: 2 x (2^7 - 1) NaN patterns; fp16: 2 x (2^10 - 1)
    assertEquals(2 * ((1 << ref.mantissaBits) - 1), nans);
  }

  /**
   * Every rounding boundary: the midpoint between each pair of neighbouring finite magnitudes
   * (including the one between the largest finite value and the overflow threshold), with the
   * float32 values around it, on both signs. In parallel: the BigDecimal model is slow.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void roundingToNearestEvenAgreesWithTheModelAroundEveryBoundary(Format format) {
    HalfReference ref = format.reference();
    int infinity = ((1 << ref.exponentBits) - 1) << ref.mantissaBits;
    long checked = java.util.stream.IntStream.range(0, infinity).parallel().mapToLong(bits -> {
      BigDecimal low = ref.magnitude(bits);
      BigDecimal high = bits + 1 < infinity ? ref.magnitude(bits + 1)
          : HalfReference.pow2((1 << (ref.exponentBits - 1)));
      // the midpoint, as a float32 (exactly representable in every case here)
      float x = low.add(high).divide(BigDecimal.valueOf(2)).floatValue();
      for (int k = 0; k < ULPS_AROUND; k++) {
        x = Math.nextDown(x);
      }
      long count = 0;
      for (int k = -ULPS_AROUND; k <= ULPS_AROUND; k++, x = Math.nextUp(x)) {
        checkNearest(format, x);
        checkNearest(format, -x);
        count += 2;
      }
      return count;
    }).sum();
    assertEquals(2L * (2 * ULPS_AROUND + 1) * infinity, checked);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void roundingToNearestEvenAgreesWithTheModelOnARandomSample(Format format) {
    // uniform over float32 bit patterns, so every binade is sampled alike; in parallel because
    // the BigDecimal model is slow on the extreme exponents
    long[] seeds = new SplittableRandom(0x16B175L).longs(RANDOM_SAMPLE / 4096).toArray();
    java.util.Arrays.stream(seeds).parallel().forEach(seed -> {
      SplittableRandom random = new SplittableRandom(seed);
      for (int n = 0; n < 4096; n++) {
        float x = Float.intBitsToFloat(random.nextInt());
        if (Float.isNaN(x)) {
          assertTrue(format.reference().isNaN(format.fromFloat(x) & 0xFFFF), "NaN " + x);
        } else {
          checkNearest(format, x);
        }
      }
    });
  }

  /**
   * Stochastic rounding lands on one of the two neighbours of x (on x itself if representable),
   * and its average over every value of the random bits it uses is exactly x: it is unbiased.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("formats")
  void stochasticRoundingIsExactlyUnbiasedOverItsRandomBits(Format format) {
    HalfReference ref = format.reference();
    BigDecimal overflow = HalfReference.pow2(1 << (ref.exponentBits - 1));
    SplittableRandom random = new SplittableRandom(0x5EED);
    for (int n = 0; n < 300; n++) {
      double sign = random.nextBoolean() ? 1 : -1;
      float x = (float) (sign * switch (n % 3) {
        // ordinary magnitudes
        case 0 -> random.nextDouble(0, 4);
        // fp16's subnormal range, down to 2^-21 (where the mean still takes only 2^20 roundings)
        case 1 -> random.nextDouble(0.5, 1) * Math.pow(2, -14 - random.nextInt(7));
        // just below and above the largest finite value
        default -> format == FP16 ? random.nextDouble(65000, 65536) : Bf16.MAX_VALUE * random.nextDouble(0.99, 1.0039);
      });
      BigDecimal exact = new BigDecimal(x);
      int nearest = ref.roundNearestEven(x) & 0x7FFF;
      int below = ref.isInfinite(nearest) || ref.magnitude(nearest).compareTo(exact.abs()) > 0
          ? nearest - 1 : nearest;
      boolean representable = ref.magnitude(below).compareTo(exact.abs()) == 0;
      int used = randomBitsUsed(format, x);
      long[] counts = new long[2];
      for (long r = 0; r < 1L << used; r++) {
        // bf16 reads the low 16 bits, fp16 normals the low 13, fp16 subnormals the top k
        int bitsR = format == FP16 && Math.abs(x) < Fp16.MIN_NORMAL ? (int) (r << (32 - used)) : (int) r;
        int h = format.fromFloatStochastic(x, bitsR) & 0xFFFF;
        int magnitude = h & 0x7FFF;
        if (magnitude != below && (representable || magnitude != below + 1)) {
          fail(format + ": " + x + " rounded to " + hex((short) h) + ", not a neighbour");
        }
        counts[magnitude - below]++;
      }
      BigDecimal above = ref.isInfinite(below + 1) ? overflow : ref.magnitude(below + 1);
      BigDecimal sum = ref.magnitude(below).multiply(BigDecimal.valueOf(counts[0]))
          .add(counts[1] == 0 ? BigDecimal.ZERO : above.multiply(BigDecimal.valueOf(counts[1])));
      BigDecimal mean = sum.divide(BigDecimal.valueOf(1L << used));
      mean = x < 0 ? mean.negate() : mean;
      assertEquals(0, mean.compareTo(exact), format + ": mean of the stochastic roundings of " + x
          + " over " + used + " random bits is " + mean);
    }
  }

  /** How many random bits stochastic rounding of x consumes (enough for an exact mean). */
  private static int randomBitsUsed(Format format, float x) {
    if (format == BF16) {
      return 16;
    }
    float a = Math.abs(x);
    if (a >= Fp16.MIN_NORMAL) {
      return 13;
    }
    // below 2^-14: k = 126 − exponent bits, capped where the test would take too long
    int exponent = Float.floatToRawIntBits(a) >>> 23;
    int k = exponent == 0 ? 125 : 126 - exponent;
    if (k > 20) {
      fail("test input too small: " + x);
    }
    return k;
  }

  private static void checkNearest(Format format, float x) {
    int expected = format.reference().roundNearestEven(x);
    short got = format.fromFloat(x);
    if ((got & 0xFFFF) != expected) {
      fail(format + ": " + x + " (0x" + Integer.toHexString(Float.floatToRawIntBits(x)) + ") rounded to "
          + hex(got) + ", expected " + hex((short) expected));
    }
  }

  private static String hex(short bits) {
    return String.format("0x%04X", bits & 0xFFFF);
  }
}
