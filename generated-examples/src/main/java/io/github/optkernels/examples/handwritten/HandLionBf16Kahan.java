package io.github.optkernels.examples.handwritten;

import io.github.optkernels.runtime.Hyperparameters;

/**
 * Lion with bf16 parameters, a float32 {@code m} and a bf16 Kahan compensation buffer, in the
 * scheme of {@link HandAdamWBf16Kahan}: the decay multiply is stored to the parameter directly,
 * then the update {@code u = −lr·sign(c)} goes through the compensation buffer. Lion's update is
 * the same size for every element ({@code lr}), usually far below half a bf16 ulp of the
 * parameter: without the buffer almost every step would be lost.
 */
public final class HandLionBf16Kahan {
  private HandLionBf16Kahan() {}

  public static void step(short[] p, short[] g, float[] m, short[] c, Hyperparameters h, int from, int to) {
    float decay = (float) (1 - h.lr() * h.weightDecay());
    float lr = (float) h.lr();
    float b1 = (float) h.beta1();
    float b2 = (float) h.beta2();
    float oneMinusB1 = (float) (1 - h.beta1());
    float oneMinusB2 = (float) (1 - h.beta2());
    for (int i = from; i < to; i++) {
      float gi = Bf16Bits.widen(g[i]);
      float mi = m[i];
      float u = -lr * Math.signum(b1 * mi + oneMinusB1 * gi);
      m[i] = b2 * mi + oneMinusB2 * gi;
      float decayed = Bf16Bits.widen(Bf16Bits.round(Bf16Bits.widen(p[i]) * decay));
      float comp = Bf16Bits.widen(Bf16Bits.round(Bf16Bits.widen(c[i]) + u));
      short stored = Bf16Bits.round(decayed + comp);
      p[i] = stored;
      float lost = Bf16Bits.widen(Bf16Bits.round(decayed - Bf16Bits.widen(stored)));
      c[i] = Bf16Bits.round(comp + lost);
    }
  }
}
