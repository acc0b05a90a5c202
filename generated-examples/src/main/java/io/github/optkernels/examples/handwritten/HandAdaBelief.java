package io.github.optkernels.examples.handwritten;

import io.github.optkernels.runtime.Hyperparameters;

/**
 * adabelief-pytorch 0.2.1 {@code AdaBelief(weight_decouple=True, rectify=True)}: decoupled decay;
 * the second moment tracks {@code (g − m)²} with the new {@code m} and accumulates ε in its
 * state; rectified once {@code ρ_t ≥ 5}, plain SGD with momentum before. Written exactly as the
 * formulas read ({@code r = g − m}), which is what a user writes first.
 */
public final class HandAdaBelief {
  private HandAdaBelief() {}

  /** The rectified step size factor of step {@code t}, or NaN while {@code ρ_t < 5}. */
  static double rectifiedStep(long t, double beta1, double beta2) {
    double beta2Power = Math.pow(beta2, t);
    double rhoInf = 2 / (1 - beta2) - 1;
    double rho = rhoInf - 2 * t * beta2Power / (1 - beta2Power);
    if (!(rho >= 5)) {
      return Double.NaN;
    }
    return Math.sqrt((1 - beta2Power) * (rho - 4) / (rhoInf - 4) * (rho - 2) / rho * rhoInf
        / (rhoInf - 2)) / (1 - Math.pow(beta1, t));
  }

  public static void step(float[] p, float[] g, float[] m, float[] s, long t, Hyperparameters h,
      int from, int to) {
    float decay = (float) (1 - h.lr() * h.weightDecay());
    float b1 = (float) h.beta1();
    float b2 = (float) h.beta2();
    float oneMinusB1 = (float) (1 - h.beta1());
    float oneMinusB2 = (float) (1 - h.beta2());
    float eps = (float) h.eps();
    double rectified = rectifiedStep(t, h.beta1(), h.beta2());
    if (rectified == rectified) {
      float stepSize = (float) (h.lr() * rectified);
      for (int i = from; i < to; i++) {
        float gi = g[i];
        float mi = b1 * m[i] + oneMinusB1 * gi;
        float r = gi - mi;
        float si = b2 * s[i] + oneMinusB2 * r * r + eps;
        m[i] = mi;
        s[i] = si;
        p[i] = p[i] * decay - stepSize * mi / ((float) Math.sqrt(si) + eps);
      }
    } else {
      float stepSize = (float) (h.lr() / (1 - Math.pow(h.beta1(), t)));
      for (int i = from; i < to; i++) {
        float gi = g[i];
        float mi = b1 * m[i] + oneMinusB1 * gi;
        float r = gi - mi;
        m[i] = mi;
        s[i] = b2 * s[i] + oneMinusB2 * r * r + eps;
        p[i] = p[i] * decay - stepSize * mi;
      }
    }
  }

  public static void step(double[] p, double[] g, double[] m, double[] s, long t,
      Hyperparameters h, int from, int to) {
    double decay = 1 - h.lr() * h.weightDecay();
    double b1 = h.beta1();
    double b2 = h.beta2();
    double eps = h.eps();
    double rectified = rectifiedStep(t, b1, b2);
    if (rectified == rectified) {
      double stepSize = h.lr() * rectified;
      for (int i = from; i < to; i++) {
        double gi = g[i];
        double mi = b1 * m[i] + (1 - b1) * gi;
        double r = gi - mi;
        double si = b2 * s[i] + (1 - b2) * r * r + eps;
        m[i] = mi;
        s[i] = si;
        p[i] = p[i] * decay - stepSize * mi / (Math.sqrt(si) + eps);
      }
    } else {
      double stepSize = h.lr() / (1 - Math.pow(b1, t));
      for (int i = from; i < to; i++) {
        double gi = g[i];
        double mi = b1 * m[i] + (1 - b1) * gi;
        double r = gi - mi;
        m[i] = mi;
        s[i] = b2 * s[i] + (1 - b2) * r * r + eps;
        p[i] = p[i] * decay - stepSize * mi;
      }
    }
  }
}
