package io.github.optkernels.examples.handwritten;

import static io.github.optkernels.examples.handwritten.HandHyperparameters.DAMPENING;
import static io.github.optkernels.examples.handwritten.HandHyperparameters.MOMENTUM;

import io.github.optkernels.runtime.Hyperparameters;

/**
 * {@code torch.optim.SGD(momentum, nesterov=True)}: the buffer as {@link HandSgdMomentum}'s (torch
 * rejects Nesterov with dampening, so it is 0 in practice), and the parameter moves by
 * {@code −lr·(g + μ·b)} with the NEW buffer.
 */
public final class HandSgdNesterov {
  private HandSgdNesterov() {}

  public static void step(float[] p, float[] g, float[] b, long t, Hyperparameters h, int from, int to) {
    boolean first = t == 1;
    float wd = (float) h.weightDecay();
    float lr = (float) h.lr();
    float mu = (float) h.value(MOMENTUM);
    float oneMinusDampening = (float) (1 - h.value(DAMPENING));
    for (int i = from; i < to; i++) {
      float pi = p[i];
      float gi = g[i] + wd * pi;
      float bi = first ? gi : mu * b[i] + oneMinusDampening * gi;
      b[i] = bi;
      p[i] = pi - lr * (gi + mu * bi);
    }
  }

  public static void step(double[] p, double[] g, double[] b, long t, Hyperparameters h, int from, int to) {
    boolean first = t == 1;
    double wd = h.weightDecay();
    double lr = h.lr();
    double mu = h.value(MOMENTUM);
    double oneMinusDampening = 1 - h.value(DAMPENING);
    for (int i = from; i < to; i++) {
      double pi = p[i];
      double gi = g[i] + wd * pi;
      double bi = first ? gi : mu * b[i] + oneMinusDampening * gi;
      b[i] = bi;
      p[i] = pi - lr * (gi + mu * bi);
    }
  }
}
