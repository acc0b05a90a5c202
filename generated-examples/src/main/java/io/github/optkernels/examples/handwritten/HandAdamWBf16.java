package io.github.optkernels.examples.handwritten;

import io.github.optkernels.runtime.Hyperparameters;

/**
 * AdamW with bf16 parameters and gradients (bits in {@code short[]}) and float32 moments: widen,
 * the float32 step of {@link HandAdamW}, round the parameter to nearest even. Updates smaller
 * than half a bf16 ulp are lost; {@link HandAdamWBf16Kahan} keeps them.
 */
public final class HandAdamWBf16 {
  private HandAdamWBf16() {}

  public static void step(short[] p, short[] g, float[] m, float[] v, long t, Hyperparameters h,
      int from, int to) {
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
      float pi = Bf16Bits.widen(p[i]) * decay - stepSize * mi / ((float) Math.sqrt(vi) / sqrtBc2 + eps);
      p[i] = Bf16Bits.round(pi);
    }
  }
}
