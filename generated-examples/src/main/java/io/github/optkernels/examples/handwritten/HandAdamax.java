package io.github.optkernels.examples.handwritten;

import io.github.optkernels.runtime.Hyperparameters;

/**
 * {@code torch.optim.Adamax}: L2 decay folded into the gradient, an infinity-norm second moment
 * {@code u = max(β2·u, |g| + ε)} (ε inside the max, so a zero gradient never divides 0 by 0), and
 * only the first moment bias-corrected.
 */
public final class HandAdamax {
  private HandAdamax() {}

  public static void step(float[] p, float[] g, float[] m, float[] u, long t, Hyperparameters h,
      int from, int to) {
    float wd = (float) h.weightDecay();
    float b1 = (float) h.beta1();
    float b2 = (float) h.beta2();
    float oneMinusB1 = (float) (1 - h.beta1());
    float stepSize = (float) (h.lr() / (1 - Math.pow(h.beta1(), t)));
    float eps = (float) h.eps();
    for (int i = from; i < to; i++) {
      float pi = p[i];
      float gi = g[i] + wd * pi;
      float mi = b1 * m[i] + oneMinusB1 * gi;
      float ui = Math.max(b2 * u[i], Math.abs(gi) + eps);
      m[i] = mi;
      u[i] = ui;
      p[i] = pi - stepSize * mi / ui;
    }
  }

  public static void step(double[] p, double[] g, double[] m, double[] u, long t, Hyperparameters h,
      int from, int to) {
    double wd = h.weightDecay();
    double b1 = h.beta1();
    double b2 = h.beta2();
    double stepSize = h.lr() / (1 - Math.pow(b1, t));
    double eps = h.eps();
    for (int i = from; i < to; i++) {
      double pi = p[i];
      double gi = g[i] + wd * pi;
      double mi = b1 * m[i] + (1 - b1) * gi;
      double ui = Math.max(b2 * u[i], Math.abs(gi) + eps);
      m[i] = mi;
      u[i] = ui;
      p[i] = pi - stepSize * mi / ui;
    }
  }
}
