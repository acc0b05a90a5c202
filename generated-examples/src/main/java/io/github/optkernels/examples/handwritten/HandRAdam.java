package io.github.optkernels.examples.handwritten;

import io.github.optkernels.runtime.Hyperparameters;

/**
 * {@code torch.optim.RAdam}: L2 decay; once the variance estimate is trusted ({@code ρ_t > 5}) the
 * rectified step with ε on the raw square root, before that plain SGD with momentum. Whether the
 * step is rectified depends only on {@code t}, so it is decided once and each case has its loop.
 */
public final class HandRAdam {
  private HandRAdam() {}

  /** {@code r_t} of step {@code t}, or NaN while {@code ρ_t ≤ 5} (no rectified step yet). */
  static double rectification(long t, double beta2) {
    double beta2Power = Math.pow(beta2, t);
    double rhoInf = 2 / (1 - beta2) - 1;
    double rho = rhoInf - 2 * t * beta2Power / (1 - beta2Power);
    if (!(rho > 5)) {
      return Double.NaN;
    }
    return Math.sqrt((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho));
  }

  public static void step(float[] p, float[] g, float[] m, float[] v, long t, Hyperparameters h,
      int from, int to) {
    float wd = (float) h.weightDecay();
    float b1 = (float) h.beta1();
    float b2 = (float) h.beta2();
    float oneMinusB1 = (float) (1 - h.beta1());
    float oneMinusB2 = (float) (1 - h.beta2());
    double bc1 = 1 - Math.pow(h.beta1(), t);
    double rect = rectification(t, h.beta2());
    float eps = (float) h.eps();
    if (rect == rect) {
      float stepSize = (float) (h.lr() * rect * Math.sqrt(1 - Math.pow(h.beta2(), t)) / bc1);
      for (int i = from; i < to; i++) {
        float pi = p[i];
        float gi = g[i] + wd * pi;
        float mi = b1 * m[i] + oneMinusB1 * gi;
        float vi = b2 * v[i] + oneMinusB2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] = pi - stepSize * mi / ((float) Math.sqrt(vi) + eps);
      }
    } else {
      float stepSize = (float) (h.lr() / bc1);
      for (int i = from; i < to; i++) {
        float pi = p[i];
        float gi = g[i] + wd * pi;
        float mi = b1 * m[i] + oneMinusB1 * gi;
        m[i] = mi;
        v[i] = b2 * v[i] + oneMinusB2 * gi * gi;
        p[i] = pi - stepSize * mi;
      }
    }
  }

  public static void step(double[] p, double[] g, double[] m, double[] v, long t,
      Hyperparameters h, int from, int to) {
    double wd = h.weightDecay();
    double b1 = h.beta1();
    double b2 = h.beta2();
    double bc1 = 1 - Math.pow(b1, t);
    double rect = rectification(t, b2);
    double eps = h.eps();
    if (rect == rect) {
      double stepSize = h.lr() * rect * Math.sqrt(1 - Math.pow(b2, t)) / bc1;
      for (int i = from; i < to; i++) {
        double pi = p[i];
        double gi = g[i] + wd * pi;
        double mi = b1 * m[i] + (1 - b1) * gi;
        double vi = b2 * v[i] + (1 - b2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] = pi - stepSize * mi / (Math.sqrt(vi) + eps);
      }
    } else {
      double stepSize = h.lr() / bc1;
      for (int i = from; i < to; i++) {
        double pi = p[i];
        double gi = g[i] + wd * pi;
        double mi = b1 * m[i] + (1 - b1) * gi;
        m[i] = mi;
        v[i] = b2 * v[i] + (1 - b2) * gi * gi;
        p[i] = pi - stepSize * mi;
      }
    }
  }
}
