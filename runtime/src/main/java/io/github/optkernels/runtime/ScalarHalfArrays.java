package io.github.optkernels.runtime;

/**
 * The plain-Java block conversions: one scalar loop per operation over {@link Bf16} and
 * {@link Fp16}, the Kahan store fused per element. C2 does not vectorize these loops (they
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

  @Override
  public void kahanBf16(float[] block, short[] param, short[] comp, int from, int n) {
    for (int j = 0; j < n; j++) {
      int at = from + j;
      float p = Bf16.toFloat(param[at]);
      float c = Bf16.toFloat(Bf16.fromFloat(Bf16.toFloat(comp[at]) + (block[j] - p)));
      short next = Bf16.fromFloat(p + c);
      param[at] = next;
      comp[at] = Bf16.fromFloat(c + Bf16.toFloat(Bf16.fromFloat(p - Bf16.toFloat(next))));
    }
  }

  @Override
  public void kahanFp16(float[] block, short[] param, short[] comp, int from, int n) {
    for (int j = 0; j < n; j++) {
      int at = from + j;
      float p = Fp16.toFloat(param[at]);
      float c = Fp16.toFloat(Fp16.fromFloat(Fp16.toFloat(comp[at]) + (block[j] - p)));
      short next = Fp16.fromFloat(p + c);
      param[at] = next;
      comp[at] = Fp16.fromFloat(c + Fp16.toFloat(Fp16.fromFloat(p - Fp16.toFloat(next))));
    }
  }
}
