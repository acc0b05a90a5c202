package io.github.optkernels.runtime;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API block conversions (incubating {@code jdk.incubator.vector}, JDK 17 and later):
 * the same integer and float operations as {@link ScalarHalfArrays}, lane for lane, so the
 * results are bit-identical. Loaded by {@link HalfArrays} only when the JVM runs with
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

  private static final int FP16_REBIAS = 112 << 23;
  private static final int FP16_NORMAL = 0x38800000;
  private static final int FP16_OVERFLOW = 0x47800000;
  private static final int INFINITY = 0x7F800000;

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
      short[] myComp = bits.clone();
      short[] theirComp = bits.clone();
      float[] myBlock = block.clone();
      float[] theirBlock = block.clone();
      switch (op) {
        case 0 -> { bf16ToFloat(bits, 1, myBlock, n - 1); scalar.bf16ToFloat(bits, 1, theirBlock, n - 1); }
        case 1 -> { fp16ToFloat(bits, 1, myBlock, n - 1); scalar.fp16ToFloat(bits, 1, theirBlock, n - 1); }
        case 2 -> { floatToBf16(block, mine, 1, n - 1); scalar.floatToBf16(block, theirs, 1, n - 1); }
        case 3 -> { floatToFp16(block, mine, 1, n - 1); scalar.floatToFp16(block, theirs, 1, n - 1); }
        case 4 -> { floatToBf16Stochastic(block, mine, 1, n - 1, 7); scalar.floatToBf16Stochastic(block, theirs, 1, n - 1, 7); }
        case 5 -> { floatToFp16Stochastic(block, mine, 1, n - 1, 7); scalar.floatToFp16Stochastic(block, theirs, 1, n - 1, 7); }
        case 6 -> { kahanBf16(myBlock, mine, myComp, 1, n - 1); scalar.kahanBf16(theirBlock, theirs, theirComp, 1, n - 1); }
        default -> { kahanFp16(myBlock, mine, myComp, 1, n - 1); scalar.kahanFp16(theirBlock, theirs, theirComp, 1, n - 1); }
      }
      // the Kahan store's float arithmetic may give a NaN either operand's payload (C2 can swap
      // the operands of an add): NaN staying NaN is the contract, so NaNs compare equal there,
      // and the block (scratch afterwards) is not compared
      int nan = op == 6 ? 0x7F80 : op == 7 ? 0x7C00 : 0xFFFF;
      if (!sameBits(mine, theirs, nan) || !sameBits(myComp, theirComp, nan)
          || (op < 6 && !java.util.Arrays.equals(floatBits(myBlock), floatBits(theirBlock)))) {
        throw new IllegalStateException("vector conversion " + op + " disagrees with the scalar one");
      }
    }
  }

  /** Equal 16-bit patterns, where any two magnitudes above {@code infinity} (NaNs) count as equal. */
  private static boolean sameBits(short[] a, short[] b, int infinity) {
    for (int k = 0; k < a.length; k++) {
      if (a[k] != b[k] && !((a[k] & 0x7FFF) > infinity && (b[k] & 0x7FFF) > infinity)) {
        return false;
      }
    }
    return true;
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

  // ---- lanes ----

  private static IntVector load16(short[] bits, int at) {
    return (IntVector) ShortVector.fromArray(S, bits, at).convertShape(VectorOperators.S2I, I, 0);
  }

  private static void store16(IntVector lanes, short[] bits, int at) {
    ((ShortVector) lanes.convertShape(VectorOperators.I2S, S, 0)).intoArray(bits, at);
  }

  private static FloatVector bf16Value(IntVector h) {
    return h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
  }

  /** {@link Fp16#toFloat}: finite magnitudes rescaled by 2^112, Inf/NaN moved to float's top exponent. */
  private static FloatVector fp16Value(IntVector h) {
    IntVector magnitude = h.and(0x7FFF);
    IntVector finite = magnitude.lanewise(VectorOperators.LSHL, 13).reinterpretAsFloats()
        .mul(0x1p112f).reinterpretAsInts();
    IntVector special = magnitude.and(0x3FF).lanewise(VectorOperators.LSHL, 13).or(INFINITY);
    IntVector sign = h.and(0x8000).lanewise(VectorOperators.LSHL, 16);
    return finite.blend(special, magnitude.compare(VectorOperators.GE, 0x7C00)).or(sign)
        .reinterpretAsFloats();
  }

  /** {@link Bf16#fromFloat} for lanes that are not NaN: the bf16 bits in the low 16 bits. */
  private static IntVector bf16Nearest(IntVector bits) {
    return bits.add(bits.lanewise(VectorOperators.LSHR, 16).and(1)).add(0x7FFF)
        .lanewise(VectorOperators.LSHR, 16);
  }

  /**
   * Whether any lane is NaN. Narrowing takes NaN vectors through the scalar code: one compare
   * and branch per vector is cheaper than selecting NaN lanes with masks (measured 20% of the
   * narrowing loop), and a NaN in a tensor is rare.
   */
  private static boolean anyNaN(FloatVector x) {
    return x.test(VectorOperators.IS_NAN).anyTrue();
  }

  /** {@link Fp16#fromFloat}, all three ranges computed and the right one selected per lane. */
  private static IntVector fp16Nearest(FloatVector x) {
    IntVector bits = x.reinterpretAsInts();
    IntVector a = bits.and(0x7FFFFFFF);
    IntVector normal = a.sub(FP16_REBIAS).add(0xFFF).add(a.lanewise(VectorOperators.LSHR, 13).and(1))
        .lanewise(VectorOperators.LSHR, 13);
    IntVector subnormal = a.reinterpretAsFloats().add(0.5f).reinterpretAsInts().sub(0x3F000000);
    IntVector overflow = IntVector.broadcast(I, 0x7C00)
        .blend(a.lanewise(VectorOperators.LSHR, 13).and(0x3FF).or(0x7E00), a.compare(VectorOperators.GT, INFINITY));
    IntVector h = normal.blend(subnormal, a.compare(VectorOperators.LT, FP16_NORMAL))
        .blend(overflow, a.compare(VectorOperators.GE, FP16_OVERFLOW));
    return h.or(bits.lanewise(VectorOperators.LSHR, 16).and(0x8000));
  }

  /** {@link RoundingNoise#bits} of the lanes' element indices {@code first, first + 1, ...}. */
  private static IntVector noise(int noiseKey, int first) {
    IntVector x = LANES.add(first).mul(0x9E3779B9).add(noiseKey);
    x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 16)).mul(0x7FEB352D);
    x = x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 15)).mul(0x846CA68B);
    return x.lanewise(VectorOperators.XOR, x.lanewise(VectorOperators.LSHR, 16));
  }

  // ---- block operations ----

  @Override
  public void bf16ToFloat(short[] bits, int from, float[] block, int n) {
    int j = 0;
    for (int upper = F.loopBound(n); j < upper; j += F.length()) {
      bf16Value(load16(bits, from + j)).intoArray(block, j);
    }
    for (; j < n; j++) {
      block[j] = Bf16.toFloat(bits[from + j]);
    }
  }

  @Override
  public void fp16ToFloat(short[] bits, int from, float[] block, int n) {
    int j = 0;
    for (int upper = F.loopBound(n); j < upper; j += F.length()) {
      fp16Value(load16(bits, from + j)).intoArray(block, j);
    }
    for (; j < n; j++) {
      block[j] = Fp16.toFloat(bits[from + j]);
    }
  }

  @Override
  public void floatToBf16(float[] block, short[] bits, int from, int n) {
    int j = 0;
    for (int upper = F.loopBound(n); j < upper; j += F.length()) {
      FloatVector x = FloatVector.fromArray(F, block, j);
      if (anyNaN(x)) {
        for (int k = j; k < j + F.length(); k++) {
          bits[from + k] = Bf16.fromFloat(block[k]);
        }
      } else {
        store16(bf16Nearest(x.reinterpretAsInts()), bits, from + j);
      }
    }
    for (; j < n; j++) {
      bits[from + j] = Bf16.fromFloat(block[j]);
    }
  }

  @Override
  public void floatToFp16(float[] block, short[] bits, int from, int n) {
    int j = 0;
    for (int upper = F.loopBound(n); j < upper; j += F.length()) {
      store16(fp16Nearest(FloatVector.fromArray(F, block, j)), bits, from + j);
    }
    for (; j < n; j++) {
      bits[from + j] = Fp16.fromFloat(block[j]);
    }
  }

  @Override
  public void floatToBf16Stochastic(float[] block, short[] bits, int from, int n, int noiseKey) {
    int j = 0;
    for (int upper = F.loopBound(n); j < upper; j += F.length()) {
      FloatVector x = FloatVector.fromArray(F, block, j);
      if (anyNaN(x)) {
        for (int k = j; k < j + F.length(); k++) {
          bits[from + k] = Bf16.fromFloatStochastic(block[k], RoundingNoise.bits(noiseKey, from + k));
        }
      } else {
        IntVector rounded = x.reinterpretAsInts().add(noise(noiseKey, from + j).and(0xFFFF))
            .lanewise(VectorOperators.LSHR, 16);
        store16(rounded, bits, from + j);
      }
    }
    for (; j < n; j++) {
      bits[from + j] = Bf16.fromFloatStochastic(block[j], RoundingNoise.bits(noiseKey, from + j));
    }
  }

  @Override
  public void floatToFp16Stochastic(float[] block, short[] bits, int from, int n, int noiseKey) {
    int j = 0;
    for (int upper = F.loopBound(n); j < upper; j += F.length()) {
      IntVector x = FloatVector.fromArray(F, block, j).reinterpretAsInts();
      IntVector a = x.and(0x7FFFFFFF);
      VectorMask<Integer> unusual = a.compare(VectorOperators.LT, FP16_NORMAL)
          .or(a.compare(VectorOperators.GE, FP16_OVERFLOW));
      if (unusual.anyTrue()) {
        // subnormal halves, overflow, Inf and NaN: rare in a tensor, so these lanes take the
        // scalar path (same bits) rather than a vector version of its variable shifts
        for (int k = j; k < j + F.length(); k++) {
          bits[from + k] = Fp16.fromFloatStochastic(block[k], RoundingNoise.bits(noiseKey, from + k));
        }
        continue;
      }
      IntVector h = a.sub(FP16_REBIAS).add(noise(noiseKey, from + j).and(0x1FFF))
          .lanewise(VectorOperators.LSHR, 13);
      store16(h.or(x.lanewise(VectorOperators.LSHR, 16).and(0x8000)), bits, from + j);
    }
    for (; j < n; j++) {
      bits[from + j] = Fp16.fromFloatStochastic(block[j], RoundingNoise.bits(noiseKey, from + j));
    }
  }

  /*
   * Kahan stores, as a sequence of passes: the roundings are this class's narrowing and widening
   * loops, the arithmetic plain float32 loops over the same indices, which C2 vectorizes. A fused
   * vector loop was tried: its body exceeded C2's inlining budget (NodeCountInliningCutoff, JDK 17
   * and 25), the Vector API calls stayed out of line and every vector was boxed on the heap,
   * 10-30x slower. The passes allocate nothing and do the same float operations as the scalar
   * code, so the bits agree.
   */

  @Override
  public void kahanBf16(float[] block, short[] param, short[] comp, int from, int n) {
    kahan(true, block, param, comp, from, n);
  }

  @Override
  public void kahanFp16(float[] block, short[] param, short[] comp, int from, int n) {
    kahan(false, block, param, comp, from, n);
  }

  private void kahan(boolean bf16, float[] block, short[] param, short[] comp, int from, int n) {
    HalfArrays.Block scratch = HalfArrays.block();
    float[] p = scratch.kahanParam();
    float[] c = scratch.kahanComp();
    widen(bf16, param, from, p, n);
    widen(bf16, comp, from, c, n);
    for (int j = 0; j < n; j++) {
      c[j] = c[j] + (block[j] - p[j]);
    }
    narrow(bf16, c, comp, from, n);
    widen(bf16, comp, from, c, n);             // c = round(c + u)
    for (int j = 0; j < n; j++) {
      block[j] = p[j] + c[j];
    }
    narrow(bf16, block, param, from, n);       // p' = round(p + c)
    widen(bf16, param, from, block, n);
    for (int j = 0; j < n; j++) {
      block[j] = p[j] - block[j];
    }
    narrow(bf16, block, comp, from, n);
    widen(bf16, comp, from, block, n);         // round(p − p')
    for (int j = 0; j < n; j++) {
      block[j] = c[j] + block[j];
    }
    narrow(bf16, block, comp, from, n);        // c = round(c + round(p − p'))
  }

  private void widen(boolean bf16, short[] bits, int from, float[] block, int n) {
    if (bf16) {
      bf16ToFloat(bits, from, block, n);
    } else {
      fp16ToFloat(bits, from, block, n);
    }
  }

  private void narrow(boolean bf16, float[] block, short[] bits, int from, int n) {
    if (bf16) {
      floatToBf16(block, bits, from, n);
    } else {
      floatToFp16(block, bits, from, n);
    }
  }
}
