package io.github.optkernels.examples.handwritten;

import io.github.optkernels.runtime.Hyperparameters;

/**
 * AdamW with bf16 parameters, float32 moments and a bf16 Kahan compensation buffer, optimi's
 * scheme: the decay multiply is stored to the parameter directly, then the update {@code u} goes
 * through {@code c = round(c + u); p' = round(p + c); c = round(c + round(p − p'))}, so what
 * rounding leaves out of {@code p} is carried to the next step instead of lost.
 */
public final class HandAdamWBf16Kahan {
  private HandAdamWBf16Kahan() {}

  public static void step(short[] p, short[] g, float[] m, float[] v, short[] c, long t,
      Hyperparameters h, int from, int to) {
    float decay = (float) (1 - h.lr() * h.weightDecay());
    float b1 = (float) h.beta1();
    float b2 = (float) h.beta2();
    float oneMinusB1 = (float) (1 - h.beta1());
    float oneMinusB2 = (float) (1 - h.beta2());
    float stepSize = (float) (h.lr() / (1 - Math.pow(h.beta1(), t)));
    float sqrtBc2 = (float) Math.sqrt(1 - Math.pow(h.beta2(), t));
    float eps = (float) h.eps();
    for (int i = from; i < to; i++) {
      float gi = Bf16Bits.widen(g[i]);
      float mi = b1 * m[i] + oneMinusB1 * gi;
      float vi = b2 * v[i] + oneMinusB2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      float u = -stepSize * mi / ((float) Math.sqrt(vi) / sqrtBc2 + eps);
      float decayed = Bf16Bits.widen(Bf16Bits.round(Bf16Bits.widen(p[i]) * decay));
      float comp = Bf16Bits.widen(Bf16Bits.round(Bf16Bits.widen(c[i]) + u));
      short stored = Bf16Bits.round(decayed + comp);
      p[i] = stored;
      float lost = Bf16Bits.widen(Bf16Bits.round(decayed - Bf16Bits.widen(stored)));
      c[i] = Bf16Bits.round(comp + lost);
    }
  }
}
