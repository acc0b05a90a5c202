package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The block conversions: the plain-Java implementation against the scalar {@link Bf16}/{@link Fp16}
 * functions and the README's Kahan formulas, the Vector API implementation against the plain-Java
 * one bit for bit (this module's tests run with {@code --add-modules jdk.incubator.vector}; see
 * the pom), and the noise's independence of how a tensor is split.
 */
class HalfArraysTest {
  /** Block lengths: single elements, vector-length edges for 4, 8 and 16 lanes, a full block. */
  private static final int[] LENGTHS = {1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 33, 100, HalfArrays.BLOCK};

  private static final HalfArrays.Impl SCALAR = HalfArrays.scalar();

  /** Floats a step produces (moderate magnitudes), float edge cases, and raw bit patterns. */
  private static float[] floats(SplittableRandom random, int n) {
    float[] values = new float[n];
    for (int k = 0; k < n; k++) {
      values[k] = switch (random.nextInt(6)) {
        case 0 -> Float.intBitsToFloat(random.nextInt());
        case 1 -> new float[] {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            65504f, 65520f, -65519.99f, 0x1p-24f, 0x1p-25f, 0x1.8p-25f, Bf16.MAX_VALUE, 0x1p-14f,
            0x1.ffcp-15f}[random.nextInt(14)];
        case 2 -> (float) (random.nextDouble(-1, 1) * Math.pow(2, -30 + random.nextInt(20)));
        default -> (float) random.nextDouble(-4, 4);
      };
    }
    return values;
  }

  private static short[] bits(SplittableRandom random, int n) {
    short[] bits = new short[n];
    for (int k = 0; k < n; k++) {
      bits[k] = (short) random.nextInt();
    }
    return bits;
  }

  @Test
  void plainJavaWidensAndRoundsElementByElementAsTheScalarFunctions() {
    SplittableRandom random = new SplittableRandom(1);
    for (int n : LENGTHS) {
      short[] stored = bits(random, n + 5);
      float[] block = new float[n];
      SCALAR.bf16ToFloat(stored, 5, block, n);
      for (int k = 0; k < n; k++) {
        assertEquals(Float.floatToRawIntBits(Bf16.toFloat(stored[5 + k])), Float.floatToRawIntBits(block[k]));
      }
      SCALAR.fp16ToFloat(stored, 5, block, n);
      for (int k = 0; k < n; k++) {
        assertEquals(Float.floatToRawIntBits(Fp16.toFloat(stored[5 + k])), Float.floatToRawIntBits(block[k]));
      }
      float[] values = floats(random, n);
      SCALAR.floatToBf16(values, stored, 5, n);
      for (int k = 0; k < n; k++) {
        assertEquals(Bf16.fromFloat(values[k]), stored[5 + k]);
      }
      SCALAR.floatToFp16Stochastic(values, stored, 5, n, 99);
      for (int k = 0; k < n; k++) {
        assertEquals(Fp16.fromFloatStochastic(values[k], RoundingNoise.bits(99, 5 + k)), stored[5 + k]);
      }
      // rounding in place is the round trip through 16 bits
      float[] rounded = values.clone();
      SCALAR.roundBf16(rounded, n);
      for (int k = 0; k < n; k++) {
        assertEquals(Float.floatToRawIntBits(Bf16.toFloat(Bf16.fromFloat(values[k]))),
            Float.floatToRawIntBits(rounded[k]), "bf16 round of " + values[k]);
      }
      rounded = values.clone();
      SCALAR.roundFp16(rounded, n);
      for (int k = 0; k < n; k++) {
        assertEquals(Float.floatToRawIntBits(Fp16.toFloat(Fp16.fromFloat(values[k]))),
            Float.floatToRawIntBits(rounded[k]), "fp16 round of " + values[k]);
      }
    }
  }

  /**
   * Rounding in place (float mantissa arithmetic, no 16-bit detour) equals the round trip through
   * 16 bits: on 2^20 random float32 patterns, and on every fp16 and bf16 value and the floats
   * next to it (rounding boundaries are midpoints, which lie next to those).
   */
  @Test
  void roundingInPlaceIsTheRoundTripThroughSixteenBits() {
    SplittableRandom random = new SplittableRandom(5);
    float[] values = new float[(1 << 20) + 6 * (1 << 16)];
    int k = 0;
    for (; k < 1 << 20; k++) {
      values[k] = Float.intBitsToFloat(random.nextInt());
    }
    for (int bits = 0; bits < 1 << 16; bits++) {
      float half = Fp16.toFloat((short) bits);
      float brain = Bf16.toFloat((short) bits);
      values[k++] = Math.nextUp(half);
      values[k++] = Math.nextDown(half);
      values[k++] = half;
      values[k++] = Math.nextUp(brain);
      values[k++] = Math.nextDown(brain);
      // a midpoint between neighbouring fp16 values, exactly
      values[k++] = (float) ((half + (double) Fp16.toFloat((short) (bits + 1))) / 2);
    }
    float[] bf16 = values.clone();
    float[] fp16 = values.clone();
    SCALAR.roundBf16(bf16, values.length);
    SCALAR.roundFp16(fp16, values.length);
    for (int i = 0; i < values.length; i++) {
      float x = values[i];
      assertEquals(Float.floatToRawIntBits(Bf16.toFloat(Bf16.fromFloat(x))), Float.floatToRawIntBits(bf16[i]),
          () -> "bf16 round of " + x);
      assertEquals(Float.floatToRawIntBits(Fp16.toFloat(Fp16.fromFloat(x))), Float.floatToRawIntBits(fp16[i]),
          () -> "fp16 round of " + x);
    }
  }

  /**
   * The block Kahan store (passes of widening, narrowing and float loops) against the README's
   * scheme written out per element with the scalar functions, on random and awkward data (NaN
   * payloads aside: the float arithmetic may pick either operand's).
   */
  @Test
  void kahanStoreIsTheReadmeSchemeElementByElement() {
    SplittableRandom random = new SplittableRandom(4);
    for (boolean bf16 : new boolean[] {true, false}) {
      HalfConversionTest.Format f = bf16 ? HalfConversionTest.BF16 : HalfConversionTest.FP16;
      for (int round = 0; round < 200; round++) {
        int n = LENGTHS[random.nextInt(LENGTHS.length)];
        short[] param = new short[n + 2];
        short[] comp = new short[n + 2];
        float[] block = new float[n];
        for (int k = 0; k < n; k++) {
          boolean awkward = random.nextInt(20) == 0;
          param[2 + k] = awkward ? (short) random.nextInt() : f.fromFloat((float) random.nextDouble(-4, 4));
          comp[2 + k] = awkward ? (short) random.nextInt() : f.fromFloat((float) random.nextDouble(-1e-2, 1e-2));
          block[k] = awkward ? floats(random, 1)[0]
              : f.toFloat(param[2 + k]) + (float) random.nextDouble(-1e-2, 1e-2);
        }
        short[] expectedParam = param.clone();
        short[] expectedComp = comp.clone();
        for (int k = 0; k < n; k++) {
          // c ← round(c + u); p' ← round(p + c); c ← round(c + round(p − p'))
          float p = f.toFloat(param[2 + k]);
          float c = f.toFloat(f.fromFloat(f.toFloat(comp[2 + k]) + (block[k] - p)));
          short next = f.fromFloat(p + c);
          expectedParam[2 + k] = next;
          expectedComp[2 + k] = f.fromFloat(c + f.toFloat(f.fromFloat(p - f.toFloat(next))));
        }
        if (bf16) {
          HalfArrays.kahanBf16(block, param, comp, 2, n);
        } else {
          HalfArrays.kahanFp16(block, param, comp, 2, n);
        }
        canonicalizeNaNs(bf16, param, comp, expectedParam, expectedComp);
        assertArrayEquals(expectedParam, param, f + " round " + round);
        assertArrayEquals(expectedComp, comp, f + " round " + round);
      }
    }
  }

  /** 1000 updates of 1e-3 to 1.0: plain rounding loses every one, Kahan keeps the sum within an ulp. */
  @Test
  void kahanKeepsWhatRoundingLoses() {
    short[] param = {Bf16.fromFloat(1f)};
    short[] comp = {0};
    short[] plain = {Bf16.fromFloat(1f)};
    double exact = 1;
    for (int step = 0; step < 1000; step++) {
      HalfArrays.kahanBf16(new float[] {Bf16.toFloat(param[0]) + 1e-3f}, param, comp, 0, 1);
      HalfArrays.floatToBf16(new float[] {Bf16.toFloat(plain[0]) + 1e-3f}, plain, 0, 1);
      exact += 1e-3f;
    }
    assertEquals(1f, Bf16.toFloat(plain[0]));
    assertTrue(Math.abs(Bf16.toFloat(param[0]) - exact) < 0x1p-7,
        "kahan " + Bf16.toFloat(param[0]) + " vs " + exact);
  }

  /**
   * Element {@code i}'s noise depends on its index in the tensor only: rounding a tensor in one
   * call and in arbitrary pieces gives the same bits.
   */
  @Test
  void stochasticRoundingDoesNotDependOnHowATensorIsSplit() {
    SplittableRandom random = new SplittableRandom(2);
    int n = 1000;
    float[] values = floats(random, n);
    for (boolean bf16 : new boolean[] {true, false}) {
      short[] whole = new short[n];
      round(bf16, values, whole, 0, n);
      short[] pieces = new short[n];
      for (int from = 0; from < n; ) {
        int to = Math.min(n, from + 1 + random.nextInt(70));
        float[] part = java.util.Arrays.copyOfRange(values, from, to);
        round(bf16, part, pieces, from, to - from);
        from = to;
      }
      assertArrayEquals(whole, pieces);
    }
  }

  private static void round(boolean bf16, float[] block, short[] bits, int from, int n) {
    if (bf16) {
      HalfArrays.floatToBf16Stochastic(block, bits, from, n, 0xC0FFEE);
    } else {
      HalfArrays.floatToFp16Stochastic(block, bits, from, n, 0xC0FFEE);
    }
  }

  private static void canonicalizeNaNs(boolean bf16, short[]... arrays) {
    HalfReference format = bf16 ? HalfReference.BF16 : HalfReference.FP16;
    for (short[] array : arrays) {
      for (int k = 0; k < array.length; k++) {
        if (format.isNaN(array[k] & 0xFFFF)) {
          array[k] = (short) 0x7FFF;
        }
      }
    }
  }

  /**
   * The Vector API implementation. This module's tests run with the module (see the pom), so its
   * absence skips a test only where the JVM lacks the module; with the module, an implementation
   * that fails its self-check (a conversion that disagrees with plain Java) fails the test.
   */
  private static HalfArrays.Impl vector() {
    Assumptions.assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
        "jdk.incubator.vector not enabled");
    StringBuilder whyNot = new StringBuilder();
    Optional<HalfArrays.Impl> vector = HalfArrays.vector(whyNot);
    assertTrue(vector.isPresent(), whyNot::toString);
    return vector.get();
  }

  @Test
  void theVectorImplementationIsChosenWhenItsModuleIsPresent() {
    vector();
    assertTrue(HalfArrays.implementation().startsWith("the Vector API"), HalfArrays.implementation());
  }

  /**
   * The Vector API conversions (generated from the templates the fused loops are printed from)
   * against plain Java on every 16-bit pattern: each widened, and each value, the floats next to
   * it and the fp16 midpoints above it (where rounding decides) narrowed every way, plus 2^20
   * random float32 patterns.
   */
  @Test
  void theVectorImplementationGivesPlainJavasBitsOnEverySixteenBitPattern() {
    HalfArrays.Impl vector = vector();
    int patterns = 1 << 16;
    short[] every = new short[patterns];
    for (int bits = 0; bits < patterns; bits++) {
      every[bits] = (short) bits;
    }
    for (boolean bf16 : new boolean[] {true, false}) {
      float[] mine = new float[patterns];
      float[] theirs = new float[patterns];
      for (int from = 0; from < patterns; from += HalfArrays.BLOCK) {
        float[] myBlock = new float[HalfArrays.BLOCK];
        float[] theirBlock = new float[HalfArrays.BLOCK];
        if (bf16) {
          vector.bf16ToFloat(every, from, myBlock, HalfArrays.BLOCK);
          SCALAR.bf16ToFloat(every, from, theirBlock, HalfArrays.BLOCK);
        } else {
          vector.fp16ToFloat(every, from, myBlock, HalfArrays.BLOCK);
          SCALAR.fp16ToFloat(every, from, theirBlock, HalfArrays.BLOCK);
        }
        System.arraycopy(myBlock, 0, mine, from, HalfArrays.BLOCK);
        System.arraycopy(theirBlock, 0, theirs, from, HalfArrays.BLOCK);
      }
      for (int bits = 0; bits < patterns; bits++) {
        assertEquals(Float.floatToRawIntBits(theirs[bits]), Float.floatToRawIntBits(mine[bits]),
            (bf16 ? "bf16 " : "fp16 ") + "widening of " + Integer.toHexString(bits));
      }
    }
    SplittableRandom random = new SplittableRandom(6);
    float[] values = new float[(1 << 20) + 6 * patterns];
    int k = 0;
    for (; k < 1 << 20; k++) {
      values[k] = Float.intBitsToFloat(random.nextInt());
    }
    for (int bits = 0; bits < patterns; bits++) {
      float half = Fp16.toFloat((short) bits);
      float brain = Bf16.toFloat((short) bits);
      values[k++] = Math.nextUp(half);
      values[k++] = Math.nextDown(half);
      values[k++] = half;
      values[k++] = Math.nextUp(brain);
      values[k++] = brain;
      values[k++] = (float) ((half + (double) Fp16.toFloat((short) (bits + 1))) / 2);
    }
    int key = 0x5EED;
    int checked = 0;
    short[] mine = new short[values.length];
    short[] theirs = new short[values.length];
    for (int from = 0; from < values.length; from += HalfArrays.BLOCK) {
      int n = Math.min(HalfArrays.BLOCK, values.length - from);
      float[] block = java.util.Arrays.copyOfRange(values, from, from + n);
      for (int op = 0; op < 6; op++) {
        float[] myBlock = block.clone();
        float[] theirBlock = block.clone();
        switch (op) {
          case 0 -> { vector.floatToBf16(block, mine, from, n); SCALAR.floatToBf16(block, theirs, from, n); }
          case 1 -> { vector.floatToFp16(block, mine, from, n); SCALAR.floatToFp16(block, theirs, from, n); }
          case 2 -> { vector.floatToBf16Stochastic(block, mine, from, n, key); SCALAR.floatToBf16Stochastic(block, theirs, from, n, key); }
          case 3 -> { vector.floatToFp16Stochastic(block, mine, from, n, key); SCALAR.floatToFp16Stochastic(block, theirs, from, n, key); }
          case 4 -> { vector.roundBf16(myBlock, n); SCALAR.roundBf16(theirBlock, n); }
          default -> { vector.roundFp16(myBlock, n); SCALAR.roundFp16(theirBlock, n); }
        }
        int operation = op;
        for (int j = 0; j < n; j++) {
          int lane = j;
          assertEquals(theirs[from + j], mine[from + j], () -> "op " + operation + " of " + block[lane]);
          assertEquals(Float.floatToRawIntBits(theirBlock[j]), Float.floatToRawIntBits(myBlock[j]),
              () -> "op " + operation + " of " + block[lane]);
        }
        checked += n;
      }
    }
    assertEquals(6 * values.length, checked);
  }

  @Test
  void theVectorImplementationGivesTheSameBitsAsPlainJava() {
    HalfArrays.Impl vector = vector();
    SplittableRandom random = new SplittableRandom(3);
    int checked = 0;
    for (int round = 0; round < 300; round++) {
      for (int n : LENGTHS) {
        int from = random.nextInt(4);
        float[] values = floats(random, n);
        short[] stored = bits(random, from + n);
        int key = random.nextInt();
        for (int op = 0; op < 8; op++) {
          short[] mine = stored.clone();
          short[] theirs = stored.clone();
          float[] myBlock = values.clone();
          float[] theirBlock = values.clone();
          switch (op) {
            case 0 -> { vector.bf16ToFloat(stored, from, myBlock, n); SCALAR.bf16ToFloat(stored, from, theirBlock, n); }
            case 1 -> { vector.fp16ToFloat(stored, from, myBlock, n); SCALAR.fp16ToFloat(stored, from, theirBlock, n); }
            case 2 -> { vector.floatToBf16(values, mine, from, n); SCALAR.floatToBf16(values, theirs, from, n); }
            case 3 -> { vector.floatToFp16(values, mine, from, n); SCALAR.floatToFp16(values, theirs, from, n); }
            case 4 -> { vector.floatToBf16Stochastic(values, mine, from, n, key); SCALAR.floatToBf16Stochastic(values, theirs, from, n, key); }
            case 5 -> { vector.floatToFp16Stochastic(values, mine, from, n, key); SCALAR.floatToFp16Stochastic(values, theirs, from, n, key); }
            case 6 -> { vector.roundBf16(myBlock, n); SCALAR.roundBf16(theirBlock, n); }
            default -> { vector.roundFp16(myBlock, n); SCALAR.roundFp16(theirBlock, n); }
          }
          String what = "op " + op + ", n " + n + ", round " + round;
          assertArrayEquals(theirs, mine, what);
          for (int k = 0; k < n; k++) {
            assertEquals(Float.floatToRawIntBits(theirBlock[k]), Float.floatToRawIntBits(myBlock[k]), what);
          }
          checked++;
        }
      }
    }
    assertEquals(300 * LENGTHS.length * 8, checked);
  }
}
