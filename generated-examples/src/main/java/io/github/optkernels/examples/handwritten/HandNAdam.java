package io.github.optkernels.examples.handwritten;

import io.github.optkernels.runtime.Hyperparameters;

/**
 * {@code torch.optim.NAdam} (PyTorch 2.x): L2 decay, momentum schedule {@code μ_t}, and the
 * gradient and momentum terms summed before the one store. The running product of the
 * {@code μ}s is per-tensor history, as in torch's state: the caller keeps it and passes
 * {@code Π_t} (through this step's {@code μ_t}, see {@link #mu}).
 */
public final class HandNAdam {
  private HandNAdam() {}

  /** {@code μ_t = β1·(1 − 0.5·0.96^(t·ψ))}. */
  public static double mu(long t, Hyperparameters h) {
    return h.beta1() * (1 - 0.5 * Math.pow(0.96, t * h.momentumDecay()));
  }

  public static void step(float[] p, float[] g, float[] m, float[] v, long t, double muProduct,
      Hyperparameters h, int from, int to) {
    double mu = mu(t, h);
    double muNext = mu(t + 1, h);
    float wd = (float) h.weightDecay();
    float b1 = (float) h.beta1();
    float b2 = (float) h.beta2();
    float oneMinusB1 = (float) (1 - h.beta1());
    float oneMinusB2 = (float) (1 - h.beta2());
    float gradStep = (float) (h.lr() * (1 - mu) / (1 - muProduct));
    float momentumStep = (float) (h.lr() * muNext / (1 - muProduct * muNext));
    float sqrtBc2 = (float) Math.sqrt(1 - Math.pow(h.beta2(), t));
    float eps = (float) h.eps();
    for (int i = from; i < to; i++) {
      float pi = p[i];
      float gi = g[i] + wd * pi;
      float mi = b1 * m[i] + oneMinusB1 * gi;
      float vi = b2 * v[i] + oneMinusB2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] = pi - (gradStep * gi + momentumStep * mi) / ((float) Math.sqrt(vi) / sqrtBc2 + eps);
    }
  }

  public static void step(double[] p, double[] g, double[] m, double[] v, long t,
      double muProduct, Hyperparameters h, int from, int to) {
    double mu = mu(t, h);
    double muNext = mu(t + 1, h);
    double wd = h.weightDecay();
    double b1 = h.beta1();
    double b2 = h.beta2();
    double gradStep = h.lr() * (1 - mu) / (1 - muProduct);
    double momentumStep = h.lr() * muNext / (1 - muProduct * muNext);
    double sqrtBc2 = Math.sqrt(1 - Math.pow(b2, t));
    double eps = h.eps();
    for (int i = from; i < to; i++) {
      double pi = p[i];
      double gi = g[i] + wd * pi;
      double mi = b1 * m[i] + (1 - b1) * gi;
      double vi = b2 * v[i] + (1 - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] = pi - (gradStep * gi + momentumStep * mi) / (Math.sqrt(vi) / sqrtBc2 + eps);
    }
  }
}
