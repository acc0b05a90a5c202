package io.github.optkernels.examples.handwritten;

import static io.github.optkernels.examples.handwritten.HandHyperparameters.BETA3;

import io.github.optkernels.runtime.Hyperparameters;

/**
 * Adan (sail-sg/Adan {@code adan.py}, single-tensor path, proximal decay): moments of the
 * gradient {@code m}, of the gradient difference {@code d} and of {@code (g + β2·diff)²} {@code n},
 * each bias-corrected; the two update terms are summed before the one store, then the parameter is
 * divided by {@code 1 + lr·λ}. The betas weigh the OLD values, as in the code. On the first step
 * the previous gradient is this one ({@code adan.py}'s rule), so the difference is 0.
 */
public final class HandAdan {
  private HandAdan() {}

  public static void step(float[] p, float[] g, float[] m, float[] d, float[] n, float[] q, long t,
      Hyperparameters h, int from, int to) {
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
      float gi = g[i];
      float diff = first ? 0f : gi - q[i];
      float mi = b1 * m[i] + oneMinusB1 * gi;
      float di = b2 * d[i] + oneMinusB2 * diff;
      float w = gi + b2 * diff;
      float ni = b3 * n[i] + oneMinusB3 * w * w;
      m[i] = mi;
      d[i] = di;
      n[i] = ni;
      q[i] = gi;
      p[i] = (p[i] - (mStep * mi + dStep * di) / ((float) Math.sqrt(ni) / sqrtBc3 + eps)) / prox;
    }
  }

  public static void step(double[] p, double[] g, double[] m, double[] d, double[] n, double[] q,
      long t, Hyperparameters h, int from, int to) {
    boolean first = t == 1;
    double b1 = h.beta1();
    double b2 = h.beta2();
    double b3 = h.value(BETA3);
    double mStep = h.lr() / (1 - Math.pow(b1, t));
    double dStep = h.lr() * b2 / (1 - Math.pow(b2, t));
    double sqrtBc3 = Math.sqrt(1 - Math.pow(b3, t));
    double eps = h.eps();
    double prox = 1 + h.lr() * h.weightDecay();
    for (int i = from; i < to; i++) {
      double gi = g[i];
      double diff = first ? 0 : gi - q[i];
      double mi = b1 * m[i] + (1 - b1) * gi;
      double di = b2 * d[i] + (1 - b2) * diff;
      double w = gi + b2 * diff;
      double ni = b3 * n[i] + (1 - b3) * w * w;
      m[i] = mi;
      d[i] = di;
      n[i] = ni;
      q[i] = gi;
      p[i] = (p[i] - (mStep * mi + dStep * di) / (Math.sqrt(ni) / sqrtBc3 + eps)) / prox;
    }
  }
}
