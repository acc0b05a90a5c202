package io.github.optkernels.examples.handwritten;

import static io.github.optkernels.examples.handwritten.HandHyperparameters.BETA3;

import io.github.optkernels.runtime.Hyperparameters;

/**
 * Adan with bf16 parameters and gradients, float32 state (the previous gradient too, exact since
 * gradients are bf16) and a bf16 Kahan compensation buffer: the summed update of {@link HandAdan}
 * goes through the buffer as in {@link HandAdamWBf16Kahan}; the proximal division that follows is
 * its own rounded store, which the buffer does not compensate (optimi's scheme for a decay store).
 */
public final class HandAdanBf16Kahan {
  private HandAdanBf16Kahan() {}

  public static void step(short[] p, short[] g, float[] m, float[] d, float[] n, float[] q, short[] c,
      long t, Hyperparameters h, int from, int to) {
    boolean first = t == 1;
    double beta3 = h.value(BETA3);
    float b1 = (float) h.beta1();
    float b2 = (float) h.beta2();
    float b3 = (float) beta3;
    float oneMinusB1 = (float) (1 - h.beta1());
    float oneMinusB2 = (float) (1 - h.beta2());
    float oneMinusB3 = (float) (1 - beta3);
    float mStep = (float) (h.lr() / (1 - Math.pow(h.beta1(), t)));
    float dStep = (float) (h.lr() * h.beta2() / (1 - Math.pow(h.beta2(), t)));
    float sqrtBc3 = (float) Math.sqrt(1 - Math.pow(beta3, t));
    float eps = (float) h.eps();
    float prox = (float) (1 + h.lr() * h.weightDecay());
    for (int i = from; i < to; i++) {
      float gi = Bf16Bits.widen(g[i]);
      float diff = first ? 0f : gi - q[i];
      float mi = b1 * m[i] + oneMinusB1 * gi;
      float di = b2 * d[i] + oneMinusB2 * diff;
      float w = gi + b2 * diff;
      float ni = b3 * n[i] + oneMinusB3 * w * w;
      m[i] = mi;
      d[i] = di;
      n[i] = ni;
      q[i] = gi;
      float u = -(mStep * mi + dStep * di) / ((float) Math.sqrt(ni) / sqrtBc3 + eps);
      float old = Bf16Bits.widen(p[i]);
      float comp = Bf16Bits.widen(Bf16Bits.round(Bf16Bits.widen(c[i]) + u));
      float updated = Bf16Bits.widen(Bf16Bits.round(old + comp));
      float lost = Bf16Bits.widen(Bf16Bits.round(old - updated));
      c[i] = Bf16Bits.round(comp + lost);
      p[i] = Bf16Bits.round(updated / prox);
    }
  }
}
