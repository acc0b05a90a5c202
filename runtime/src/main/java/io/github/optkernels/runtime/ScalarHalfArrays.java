package io.github.optkernels.runtime;

/**
 * The plain-Java block conversions: one scalar loop per operation over {@link Bf16} and
 * {@link Fp16}. C2 does not vectorize these loops (they
 * reinterpret float bits and change lane width), but they are short, and the element loop between
 * them still vectorizes.
 */
final class ScalarHalfArrays implements HalfArrays.Impl {
  static final ScalarHalfArrays INSTANCE = new ScalarHalfArrays();

  private ScalarHalfArrays() {}

  @Override
  public String name() {
    return "plain Java";
  }

  @Override
  public void bf16ToFloat(short[] bits, int from, float[] block, int n) {
    for (int j = 0; j < n; j++) {
      block[j] = Bf16.toFloat(bits[from + j]);
    }
  }

  @Override
  public void fp16ToFloat(short[] bits, int from, float[] block, int n) {
    for (int j = 0; j < n; j++) {
      block[j] = Fp16.toFloat(bits[from + j]);
    }
  }

  @Override
  public void floatToBf16(float[] block, short[] bits, int from, int n) {
    for (int j = 0; j < n; j++) {
      bits[from + j] = Bf16.fromFloat(block[j]);
    }
  }

  @Override
  public void floatToFp16(float[] block, short[] bits, int from, int n) {
    for (int j = 0; j < n; j++) {
      bits[from + j] = Fp16.fromFloat(block[j]);
    }
  }

  @Override
  public void floatToBf16Stochastic(float[] block, short[] bits, int from, int n, int noiseKey) {
    for (int j = 0; j < n; j++) {
      bits[from + j] = Bf16.fromFloatStochastic(block[j], RoundingNoise.bits(noiseKey, from + j));
    }
  }

  @Override
  public void floatToFp16Stochastic(float[] block, short[] bits, int from, int n, int noiseKey) {
    for (int j = 0; j < n; j++) {
      bits[from + j] = Fp16.fromFloatStochastic(block[j], RoundingNoise.bits(noiseKey, from + j));
    }
  }

  /** {@code toFloat(fromFloat(x))} without the detour through 16 bits: round the float's mantissa. */
  @Override
  public void roundBf16(float[] block, int n) {
    for (int j = 0; j < n; j++) {
      int b = Float.floatToRawIntBits(block[j]);
      if ((b & 0x7FFFFFFF) > 0x7F800000) {
        block[j] = Bf16.toFloat(Bf16.fromFloat(block[j])); // NaN, rare
        continue;
      }
      block[j] = Float.intBitsToFloat((b + 0x7FFF + ((b >>> 16) & 1)) & 0xFFFF0000);
    }
  }

  /**
   * {@code toFloat(fromFloat(x))} without the detour through 16 bits: from 2^-14 up, round the
   * float's mantissa at bit 13; below, (|x| + 0.75) − 0.75 rounds to a multiple of 2^-24 (0.75's
   * ulp), ties to even; the sign is put back. 65520 and up (Inf in fp16) and NaN take the detour.
   */
  @Override
  public void roundFp16(float[] block, int n) {
    for (int j = 0; j < n; j++) {
      int b = Float.floatToRawIntBits(block[j]);
      int a = b & 0x7FFFFFFF;
      if (a >= 0x477FF000) {
        block[j] = Fp16.toFloat(Fp16.fromFloat(block[j])); // rare
        continue;
      }
      int rounded = a >= 0x38800000 ? (a + ((a >>> 13) & 1) + 0xFFF) & 0xFFFFE000
          : Float.floatToRawIntBits(Float.intBitsToFloat(a) + 0.75f - 0.75f);
      block[j] = Float.intBitsToFloat((b & 0x80000000) | rounded);
    }
  }
}
