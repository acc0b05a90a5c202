package io.github.optkernels.runtime;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The NaN/Inf scan on the Vector API (incubating {@code jdk.incubator.vector}): four independent
 * vector sums of {@code g·0} (zero for finite lanes, NaN for NaN and ±Infinity) and one lane
 * reduction per call; 16-bit patterns as an OR of {@code (bits & exponent) + lowest exponent bit}
 * (bit 15 set exactly for an all-ones exponent). Only a call whose sum is not zero searches
 * element by element. Loaded by {@link GradientScan} by name, only when {@link HalfArrays} uses
 * the Vector API; compiled separately from the rest of the runtime (see the runtime's pom).
 *
 * <p>Why this form: measured on 4,099 floats in L1 (AVX-512), four sums took 0.031 ns/element on
 * JDK 17 and 25, one sum 0.043–0.050, an OR over the exponent bits 0.031–0.035, and a test of
 * {@code IS_FINITE} per vector with a branch 0.046–0.070. Every vector stays in one method's
 * loop, so wherever C2 inlines the method it inlines all of it (nothing is boxed).
 */
final class VectorGradientScan implements GradientScan.Impl {
  /**
   * At most 256 bits: from memory (GPT-2 small's gradients, JDK 25, AVX-512) 512-bit loads made
   * the scan a third slower (about 30 against 21 ms), likely because the heap aligns arrays to 8
   * or 16 bytes, so every 64-byte load spans two cache lines; in L1 the two widths run alike.
   */
  private static final VectorShape SHAPE =
      FloatVector.SPECIES_PREFERRED.vectorBitSize() > 256 ? VectorShape.S_256_BIT : VectorShape.preferredShape();
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.withShape(SHAPE);
  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED.withShape(SHAPE);
  private static final VectorSpecies<Short> S = ShortVector.SPECIES_PREFERRED.withShape(SHAPE);
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED.withShape(SHAPE);
  private static final VectorSpecies<Long> L = LongVector.SPECIES_PREFERRED.withShape(SHAPE);
  private static final int FLOAT_EXPONENT = 0x7F800000;
  private static final int FLOAT_CARRY = 0x00800000;
  private static final long DOUBLE_EXPONENT = 0x7FF0000000000000L;
  private static final long DOUBLE_CARRY = 0x0010000000000000L;

  VectorGradientScan() {
    if (I.length() != F.length() || L.length() != D.length()) {
      throw new UnsupportedOperationException("preferred vectors hold " + F.length() + " floats but "
          + I.length() + " ints");
    }
    selfCheck();
  }

  @Override
  public String name() {
    return "Vector API (" + F.vectorBitSize() + "-bit)";
  }

  /**
   * Finds a NaN, an Infinity and a bad 16-bit pattern at every position of a few lengths and
   * nothing in finite extremes, so that a JDK whose vector intrinsics misbehave falls back to
   * plain Java instead of missing a NaN.
   */
  private void selfCheck() {
    int n = 4 * S.length() + 3;
    float[] floats = new float[n];
    double[] doubles = new double[n];
    short[] shorts = new short[n];
    for (int i = 0; i < n; i++) {
      floats[i] = i % 2 == 0 ? Float.MAX_VALUE : -Float.MIN_VALUE;
      doubles[i] = i % 2 == 0 ? -Double.MAX_VALUE : Double.MIN_VALUE;
      shorts[i] = (short) (i % 2 == 0 ? 0x7F7F : 0xFF7F); // bf16's largest finite magnitude
    }
    for (int bad = 0; bad < n; bad++) {
      float savedFloat = floats[bad];
      double savedDouble = doubles[bad];
      short savedShort = shorts[bad];
      floats[bad] = bad % 2 == 0 ? Float.NaN : Float.NEGATIVE_INFINITY;
      doubles[bad] = bad % 2 == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
      shorts[bad] = (short) 0xFF80; // bf16 −Infinity
      if (firstNonFinite(floats, 0, n) != bad || firstNonFinite(doubles, 0, n) != bad
          || firstAllOnes(shorts, 0, n, 0x7F80) != bad || firstNonFinite(floats, bad + 1, n) != -1) {
        throw new IllegalStateException("the vector NaN/Inf scan missed index " + bad + " of " + n);
      }
      floats[bad] = savedFloat;
      doubles[bad] = savedDouble;
      shorts[bad] = savedShort;
    }
  }

  @Override
  public int firstNonFinite(float[] grad, int from, int to) {
    int lanes = F.length();
    IntVector any = IntVector.zero(I);
    int i = from;
    for (int end = to - lanes; i <= end; i += lanes) {
      any = any.or(FloatVector.fromArray(F, grad, i).reinterpretAsInts().and(FLOAT_EXPONENT).add(FLOAT_CARRY));
    }
    int bits = any.reduceLanes(VectorOperators.OR);
    for (; i < to; i++) {
      bits |= (Float.floatToRawIntBits(grad[i]) & FLOAT_EXPONENT) + FLOAT_CARRY;
    }
    return bits >= 0 ? -1 : GradientScan.firstNonFiniteDirect(grad, from, to);
  }

  @Override
  public int firstNonFinite(double[] grad, int from, int to) {
    int lanes = D.length();
    LongVector any = LongVector.zero(L);
    int i = from;
    for (int end = to - lanes; i <= end; i += lanes) {
      any = any.or(DoubleVector.fromArray(D, grad, i).reinterpretAsLongs().and(DOUBLE_EXPONENT).add(DOUBLE_CARRY));
    }
    long bits = any.reduceLanes(VectorOperators.OR);
    for (; i < to; i++) {
      bits |= (Double.doubleToRawLongBits(grad[i]) & DOUBLE_EXPONENT) + DOUBLE_CARRY;
    }
    return bits >= 0 ? -1 : GradientScan.firstNonFiniteDirect(grad, from, to);
  }

  @Override
  public int firstAllOnes(short[] grad, int from, int to, int exponent) {
    int lanes = S.length();
    short mask = (short) exponent;
    short carry = (short) (exponent & -exponent);
    ShortVector a0 = ShortVector.zero(S);
    ShortVector a1 = a0;
    int i = from;
    for (int end = to - 2 * lanes; i <= end; i += 2 * lanes) {
      a0 = a0.or(ShortVector.fromArray(S, grad, i).and(mask).add(carry));
      a1 = a1.or(ShortVector.fromArray(S, grad, i + lanes).and(mask).add(carry));
    }
    int any = a0.or(a1).reduceLanes(VectorOperators.OR);
    for (; i < to; i++) {
      any |= (grad[i] & exponent) + carry;
    }
    return (any & 0x8000) == 0 ? -1 : GradientScan.firstAllOnesDirect(grad, from, to, exponent);
  }
}
