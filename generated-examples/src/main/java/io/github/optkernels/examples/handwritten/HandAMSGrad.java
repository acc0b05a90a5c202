package io.github.optkernels.examples.handwritten;

import io.github.optkernels.runtime.Hyperparameters;

/**
 * {@code torch.optim.Adam(amsgrad=True)}: as {@link HandAdam}, with the denominator taken from the
 * running maximum of the raw second moment.
 */
public final class HandAMSGrad {
  private HandAMSGrad() {}

  public static void step(float[] p, float[] g, float[] m, float[] v, float[] vMax, long t,
      Hyperparameters h, int from, int to) {
    float wd = (float) h.weightDecay();
    float b1 = (float) h.beta1();
    float b2 = (float) h.beta2();
    float oneMinusB1 = (float) (1 - h.beta1());
    float oneMinusB2 = (float) (1 - h.beta2());
    float stepSize = (float) (h.lr() / (1 - Math.pow(h.beta1(), t)));
    float sqrtBc2 = (float) Math.sqrt(1 - Math.pow(h.beta2(), t));
    float eps = (float) h.eps();
    for (int i = from; i < to; i++) {
      float pi = p[i];
      float gi = g[i] + wd * pi;
      float mi = b1 * m[i] + oneMinusB1 * gi;
      float vi = b2 * v[i] + oneMinusB2 * gi * gi;
      float maxi = Math.max(vMax[i], vi);
      m[i] = mi;
      v[i] = vi;
      vMax[i] = maxi;
      p[i] = pi - stepSize * mi / ((float) Math.sqrt(maxi) / sqrtBc2 + eps);
    }
  }

  public static void step(double[] p, double[] g, double[] m, double[] v, double[] vMax, long t,
      Hyperparameters h, int from, int to) {
    double wd = h.weightDecay();
    double b1 = h.beta1();
    double b2 = h.beta2();
    double stepSize = h.lr() / (1 - Math.pow(b1, t));
    double sqrtBc2 = Math.sqrt(1 - Math.pow(b2, t));
    double eps = h.eps();
    for (int i = from; i < to; i++) {
      double pi = p[i];
      double gi = g[i] + wd * pi;
      double mi = b1 * m[i] + (1 - b1) * gi;
      double vi = b2 * v[i] + (1 - b2) * gi * gi;
      double maxi = Math.max(vMax[i], vi);
      m[i] = mi;
      v[i] = vi;
      vMax[i] = maxi;
      p[i] = pi - stepSize * mi / (Math.sqrt(maxi) / sqrtBc2 + eps);
    }
  }
}
