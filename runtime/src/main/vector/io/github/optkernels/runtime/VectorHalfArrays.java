package io.github.optkernels.runtime;

import static io.github.optkernels.runtime.HalfBits.BF16_KEPT;
import static io.github.optkernels.runtime.HalfBits.BF16_NOISE;
import static io.github.optkernels.runtime.HalfBits.BF16_ROUND;
import static io.github.optkernels.runtime.HalfBits.BF16_SHIFT;
import static io.github.optkernels.runtime.HalfBits.FP16_INFINITY;
import static io.github.optkernels.runtime.HalfBits.FP16_KEPT;
import static io.github.optkernels.runtime.HalfBits.FP16_MAGNITUDE;
import static io.github.optkernels.runtime.HalfBits.FP16_MANTISSA;
import static io.github.optkernels.runtime.HalfBits.FP16_MIN_NORMAL;
import static io.github.optkernels.runtime.HalfBits.FP16_NOISE;
import static io.github.optkernels.runtime.HalfBits.FP16_NORMAL;
import static io.github.optkernels.runtime.HalfBits.FP16_OVERFLOW;
import static io.github.optkernels.runtime.HalfBits.FP16_REBIAS;
import static io.github.optkernels.runtime.HalfBits.FP16_ROUND;
import static io.github.optkernels.runtime.HalfBits.FP16_ROUNDS_TO_INFINITY;
import static io.github.optkernels.runtime.HalfBits.FP16_SHIFT;
import static io.github.optkernels.runtime.HalfBits.FP16_SIGN;
import static io.github.optkernels.runtime.HalfBits.FP16_SIGN_SHIFT;
import static io.github.optkernels.runtime.HalfBits.FP16_SUBNORMAL_BASE;
import static io.github.optkernels.runtime.HalfBits.FP16_SUBNORMAL_GRID;
import static io.github.optkernels.runtime.HalfBits.FP16_SUBNORMAL_ROUNDER;
import static io.github.optkernels.runtime.HalfBits.FP16_SUBNORMAL_UNIT;
import static io.github.optkernels.runtime.HalfBits.INFINITY;
import static io.github.optkernels.runtime.HalfBits.MAGNITUDE;
import static io.github.optkernels.runtime.HalfBits.NOISE_GOLDEN_32;
import static io.github.optkernels.runtime.HalfBits.NOISE_MULTIPLIER_1;
import static io.github.optkernels.runtime.HalfBits.NOISE_MULTIPLIER_2;
import static io.github.optkernels.runtime.HalfBits.NOISE_SHIFT_1;
import static io.github.optkernels.runtime.HalfBits.NOISE_SHIFT_2;
import static io.github.optkernels.runtime.HalfBits.NOISE_SHIFT_3;
import static io.github.optkernels.runtime.HalfBits.SIGN;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API block conversions (incubating {@code jdk.incubator.vector}, JDK 17 and later):
 * the same integer and float operations as {@link ScalarHalfArrays}, lane for lane, with the
 * constants of {@link HalfBits}, so the results are bit-identical. Loaded by {@link HalfArrays} only when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}; compiled separately from the rest of the runtime
 * (see the runtime's pom), since nothing else may depend on an incubating module.
 *
 * <p>Lanes: float32 at the preferred width (8 with AVX2, 16 with AVX-512), the 16-bit data in a
 * vector of half that width, widened and narrowed with {@code S2I}/{@code I2S} conversions. A
 * tail shorter than a vector goes through the scalar code.
 */
final class VectorHalfArrays implements HalfArrays.Impl {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Short> S =
      VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
  /** Lane numbers 0, 1, 2, ...: added to a block's first element index for the noise counter. */
  private static final IntVector LANES = IntVector.zero(I).addIndex(1);

  VectorHalfArrays() {
    if (I.length() != F.length() || F.length() < 4) {
      throw new UnsupportedOperationException("preferred vectors hold " + F.length() + " floats");
    }
    selfCheck();
  }

  /**
   * Runs every operation on a few awkward values (signed zeros, subnormals, ties, overflow, Inf,
   * NaN) and compares with the scalar code, so that a JDK whose vector intrinsics misbehave falls
   * back to plain Java instead of computing something else.
   */
  private void selfCheck() {
    float[] values = {0f, -0f, 1f, -1.00390625f, 1.0078125f, 0x1p-24f, -0x1.8p-25f, 0x1p-140f,
        65504f, 65520f, -70000f, 3.3895314e38f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.NaN, 0.1f, -2.5e-3f, 1234.5677f, 0x1.0101p-14f, 7.0e-8f};
    int n = 2 * F.length() + 3;
    float[] block = new float[n];
    short[] bits = new short[n];
    for (int k = 0; k < n; k++) {
      block[k] = values[k % values.length];
      bits[k] = (short) (0x3F80 + 0x1111 * k);
    }
    HalfArrays.Impl scalar = ScalarHalfArrays.INSTANCE;
    for (int op = 0; op < 8; op++) {
      short[] mine = bits.clone();
      short[] theirs = bits.clone();
      float[] myBlock = block.clone();
      float[] theirBlock = block.clone();
      switch (op) {
        case 0 -> { bf16ToFloat(bits, 1, myBlock, n - 1); scalar.bf16ToFloat(bits, 1, theirBlock, n - 1); }
        case 1 -> { fp16ToFloat(bits, 1, myBlock, n - 1); scalar.fp16ToFloat(bits, 1, theirBlock, n - 1); }
        case 2 -> { floatToBf16(block, mine, 1, n - 1); scalar.floatToBf16(block, theirs, 1, n - 1); }
        case 3 -> { floatToFp16(block, mine, 1, n - 1); scalar.floatToFp16(block, theirs, 1, n - 1); }
        case 4 -> { floatToBf16Stochastic(block, mine, 1, n - 1, 7); scalar.floatToBf16Stochastic(block, theirs, 1, n - 1, 7); }
        case 5 -> { floatToFp16Stochastic(block, mine, 1, n - 1, 7); scalar.floatToFp16Stochastic(block, theirs, 1, n - 1, 7); }
        case 6 -> { roundBf16(myBlock, n - 1); scalar.roundBf16(theirBlock, n - 1); }
        default -> { roundFp16(myBlock, n - 1); scalar.roundFp16(theirBlock, n - 1); }
      }
      if (!java.util.Arrays.equals(mine, theirs) || !java.util.Arrays.equals(floatBits(myBlock), floatBits(theirBlock))) {
        throw new IllegalStateException("vector conversion " + op + " disagrees with the scalar one");
      }
    }
  }

  private static int[] floatBits(float[] values) {
    int[] bits = new int[values.length];
    for (int k = 0; k < values.length; k++) {
      bits[k] = Float.floatToRawIntBits(values[k]);
    }
    return bits;
  }

  @Override
  public String name() {
    return "the Vector API (" + F.vectorBitSize() + "-bit)";
  }

  @Override
  public int vectorBitSize() {
    return F.vectorBitSize();
  }

  // ---- block operations ----
  //
  // Every loop body is written out in full, without helper methods that take or return vectors.
  // C2 stops inlining a compilation's own methods once it has parsed enough nodes
  // (NodeCountInliningCutoff), and a vector crossing a call that was not inlined is boxed on the
  // heap: a 16-bit kernel whose loop inlines several of these passes ran 10x slower and allocated
  // on every step. The Vector API's own methods are force-inlined past that cutoff, and these
  // methods take and return only arrays, so wherever C2 stops inlining, no vector crosses a call.
  // (Helpers over one vector were tried, shared with the generated fused loops: in the fused
  // loops, which are larger, C2 refused them at that cutoff, and every vector was boxed.)
  // HalfArrays calls these methods out of line (OutOfLineHalfArrays), so each is compiled on its
  // own, with the whole budget, never partly inlined into a deep caller.

  @Override
  public void bf16ToFloat(short[] bits, int from, float[] block, int n) {
    int j = 0;
    for (int upper = F.loopBound(n); j < upper; j += F.length()) {
      IntVector h = (IntVector) ShortVector.fromArray(S, bits, from + j).convertShape(VectorOperators.S2I, I, 0);
      h.lanewise(VectorOperators.LSHL, BF16_SHIFT).reinterpretAsFloats().intoArray(block, j);
    }
    for (; j < n; j++) {
      block[j] = Bf16.toFloat(bits[from + j]);
    }
  }

  /**
   * {@link Fp16#toFloat}: normal halves rebiased with an integer add, subnormal ones converted
   * from their integer mantissa and scaled by 2^-24 (no float arithmetic on subnormal floats,
   * which microcode assists make 30x slower), Inf and NaN moved to float's top exponent.
   */
  @Override
  public void fp16ToFloat(short[] bits, int from, float[] block, int n) {
    int j = 0;
    for (int upper = F.loopBound(n); j < upper; j += F.length()) {
      IntVector h = (IntVector) ShortVector.fromArray(S, bits, from + j).convertShape(VectorOperators.S2I, I, 0);
      IntVector magnitude = h.and(FP16_MAGNITUDE);
      IntVector normal = magnitude.lanewise(VectorOperators.LSHL, FP16_SHIFT).add(FP16_REBIAS);
      IntVector subnormal = ((FloatVector) magnitude.convert(VectorOperators.I2F, 0)).mul(FP16_SUBNORMAL_UNIT).reinterpretAsInts();
      IntVector special = magnitude.and(FP16_MANTISSA).lanewise(VectorOperators.LSHL, FP16_SHIFT).or(INFINITY);
      normal.blend(subnormal, magnitude.compare(VectorOperators.LT, FP16_MIN_NORMAL))
          .blend(special, magnitude.compare(VectorOperators.GE, FP16_INFINITY))
          .or(h.and(FP16_SIGN).lanewise(VectorOperators.LSHL, FP16_SIGN_SHIFT))
          .reinterpretAsFloats().intoArray(block, j);
    }
    for (; j < n; j++) {
      block[j] = Fp16.toFloat(bits[from + j]);
    }
  }

  /**
   * {@link Bf16#fromFloat}. A vector with a NaN lane goes through the scalar code: one compare and
   * branch per vector costs less than selecting NaN lanes with masks (a fifth of this loop, measured),
   * and a NaN in a tensor is rare.
   */
  @Override
  public void floatToBf16(float[] block, short[] bits, int from, int n) {
    int j = 0;
    for (int upper = F.loopBound(n); j < upper; j += F.length()) {
      FloatVector x = FloatVector.fromArray(F, block, j);
      if (x.test(VectorOperators.IS_NAN).anyTrue()) {
        for (int k = j; k < j + F.length(); k++) {
          bits[from + k] = Bf16.fromFloat(block[k]);
        }
        continue;
      }
      IntVector b = x.reinterpretAsInts();
      IntVector rounded = b.add(b.lanewise(VectorOperators.LSHR, BF16_SHIFT).and(1)).add(BF16_ROUND)
          .lanewise(VectorOperators.LSHR, BF16_SHIFT);
      ((ShortVector) rounded.convertShape(VectorOperators.I2S, S, 0)).intoArray(bits, from + j);
    }
    for (; j < n; j++) {
      bits[from + j] = Bf16.fromFloat(block[j]);
    }
  }

  /**
   * {@link Fp16#fromFloat}: the normal and subnormal roundings computed for every lane and the
   * right one selected; a vector with a lane at or beyond 2^16 (overflow, Inf, NaN) goes through
   * the scalar code.
   */
  @Override
  public void floatToFp16(float[] block, short[] bits, int from, int n) {
    int j = 0;
    for (int upper = F.loopBound(n); j < upper; j += F.length()) {
      IntVector b = FloatVector.fromArray(F, block, j).reinterpretAsInts();
      IntVector a = b.and(MAGNITUDE);
      if (a.compare(VectorOperators.GE, FP16_OVERFLOW).anyTrue()) {
        for (int k = j; k < j + F.length(); k++) {
          bits[from + k] = Fp16.fromFloat(block[k]);
        }
        continue;
      }
      IntVector normal = a.sub(FP16_REBIAS).add(FP16_ROUND).add(a.lanewise(VectorOperators.LSHR, FP16_SHIFT).and(1))
          .lanewise(VectorOperators.LSHR, FP16_SHIFT);
      IntVector subnormal = a.reinterpretAsFloats().add(FP16_SUBNORMAL_BASE).reinterpretAsInts().sub(FP16_SUBNORMAL_GRID);
      IntVector h = normal.blend(subnormal, a.compare(VectorOperators.LT, FP16_NORMAL))
          .or(b.lanewise(VectorOperators.LSHR, FP16_SIGN_SHIFT).and(FP16_SIGN));
      ((ShortVector) h.convertShape(VectorOperators.I2S, S, 0)).intoArray(bits, from + j);
    }
    for (; j < n; j++) {
      bits[from + j] = Fp16.fromFloat(block[j]);
    }
  }

  /** {@link Bf16#fromFloatStochastic} with {@link RoundingNoise#bits} computed on int lanes. */
  @Override
  public void floatToBf16Stochastic(float[] block, short[] bits, int from, int n, int noiseKey) {
    int j = 0;
    for (int upper = F.loopBound(n); j < upper; j += F.length()) {
      FloatVector x = FloatVector.fromArray(F, block, j);
      if (x.test(VectorOperators.IS_NAN).anyTrue()) {
        for (int k = j; k < j + F.length(); k++) {
          bits[from + k] = Bf16.fromFloatStochastic(block[k], RoundingNoise.bits(noiseKey, from + k));
        }
        continue;
      }
      IntVector r = LANES.add(from + j).mul(NOISE_GOLDEN_32).add(noiseKey);
      r = r.lanewise(VectorOperators.XOR, r.lanewise(VectorOperators.LSHR, NOISE_SHIFT_1)).mul(NOISE_MULTIPLIER_1);
      r = r.lanewise(VectorOperators.XOR, r.lanewise(VectorOperators.LSHR, NOISE_SHIFT_2)).mul(NOISE_MULTIPLIER_2);
      r = r.lanewise(VectorOperators.XOR, r.lanewise(VectorOperators.LSHR, NOISE_SHIFT_3));
      IntVector rounded = x.reinterpretAsInts().add(r.and(BF16_NOISE)).lanewise(VectorOperators.LSHR, BF16_SHIFT);
      ((ShortVector) rounded.convertShape(VectorOperators.I2S, S, 0)).intoArray(bits, from + j);
    }
    for (; j < n; j++) {
      bits[from + j] = Bf16.fromFloatStochastic(block[j], RoundingNoise.bits(noiseKey, from + j));
    }
  }

  /**
   * {@link Fp16#fromFloatStochastic}; a vector with a lane outside fp16's normal range
   * (subnormal results, overflow, Inf, NaN) goes through the scalar code, which handles the
   * variable shifts of subnormal rounding.
   */
  @Override
  public void floatToFp16Stochastic(float[] block, short[] bits, int from, int n, int noiseKey) {
    int j = 0;
    for (int upper = F.loopBound(n); j < upper; j += F.length()) {
      IntVector b = FloatVector.fromArray(F, block, j).reinterpretAsInts();
      IntVector a = b.and(MAGNITUDE);
      VectorMask<Integer> unusual = a.compare(VectorOperators.LT, FP16_NORMAL)
          .or(a.compare(VectorOperators.GE, FP16_OVERFLOW));
      if (unusual.anyTrue()) {
        for (int k = j; k < j + F.length(); k++) {
          bits[from + k] = Fp16.fromFloatStochastic(block[k], RoundingNoise.bits(noiseKey, from + k));
        }
        continue;
      }
      IntVector r = LANES.add(from + j).mul(NOISE_GOLDEN_32).add(noiseKey);
      r = r.lanewise(VectorOperators.XOR, r.lanewise(VectorOperators.LSHR, NOISE_SHIFT_1)).mul(NOISE_MULTIPLIER_1);
      r = r.lanewise(VectorOperators.XOR, r.lanewise(VectorOperators.LSHR, NOISE_SHIFT_2)).mul(NOISE_MULTIPLIER_2);
      r = r.lanewise(VectorOperators.XOR, r.lanewise(VectorOperators.LSHR, NOISE_SHIFT_3));
      IntVector h = a.sub(FP16_REBIAS).add(r.and(FP16_NOISE)).lanewise(VectorOperators.LSHR, FP16_SHIFT)
          .or(b.lanewise(VectorOperators.LSHR, FP16_SIGN_SHIFT).and(FP16_SIGN));
      ((ShortVector) h.convertShape(VectorOperators.I2S, S, 0)).intoArray(bits, from + j);
    }
    for (; j < n; j++) {
      bits[from + j] = Fp16.fromFloatStochastic(block[j], RoundingNoise.bits(noiseKey, from + j));
    }
  }

  /** {@link Bf16#fromFloat} then {@link Bf16#toFloat}, in place: the rounded bits stay in the upper half. */
  @Override
  public void roundBf16(float[] block, int n) {
    int j = 0;
    for (int upper = F.loopBound(n); j < upper; j += F.length()) {
      FloatVector x = FloatVector.fromArray(F, block, j);
      if (x.test(VectorOperators.IS_NAN).anyTrue()) {
        for (int k = j; k < j + F.length(); k++) {
          block[k] = Bf16.toFloat(Bf16.fromFloat(block[k]));
        }
        continue;
      }
      IntVector b = x.reinterpretAsInts();
      b.add(b.lanewise(VectorOperators.LSHR, BF16_SHIFT).and(1)).add(BF16_ROUND).and(BF16_KEPT)
          .reinterpretAsFloats().intoArray(block, j);
    }
    for (; j < n; j++) {
      block[j] = Bf16.toFloat(Bf16.fromFloat(block[j]));
    }
  }

  /**
   * {@link Fp16#fromFloat} then {@link Fp16#toFloat}, in place. Normal results: round the float's
   * mantissa at bit 13 (the exponent stays the float's). Below 2^-14: (x + 0.75) − 0.75 rounds to
   * a multiple of 2^-24, 0.75's ulp, ties to even, with the sign put back (so −0 stays −0).
   * A vector with a lane at or beyond 65520 (which rounds to Inf in fp16, not to 2^16 as the
   * float mantissa rounding would give) goes through the scalar code.
   */
  @Override
  public void roundFp16(float[] block, int n) {
    int j = 0;
    for (int upper = F.loopBound(n); j < upper; j += F.length()) {
      FloatVector x = FloatVector.fromArray(F, block, j);
      IntVector b = x.reinterpretAsInts();
      IntVector a = b.and(MAGNITUDE);
      if (a.compare(VectorOperators.GE, FP16_ROUNDS_TO_INFINITY).anyTrue()) {
        for (int k = j; k < j + F.length(); k++) {
          block[k] = Fp16.toFloat(Fp16.fromFloat(block[k]));
        }
        continue;
      }
      IntVector normal = a.add(a.lanewise(VectorOperators.LSHR, FP16_SHIFT).and(1)).add(FP16_ROUND).and(FP16_KEPT);
      IntVector subnormal = a.reinterpretAsFloats().add(FP16_SUBNORMAL_ROUNDER).sub(FP16_SUBNORMAL_ROUNDER)
          .reinterpretAsInts();
      normal.blend(subnormal, a.compare(VectorOperators.LT, FP16_NORMAL))
          .or(b.and(SIGN)).reinterpretAsFloats().intoArray(block, j);
    }
    for (; j < n; j++) {
      block[j] = Fp16.toFloat(Fp16.fromFloat(block[j]));
    }
  }
}
