package io.github.optkernels.examples.handwritten;

import io.github.optkernels.runtime.Hyperparameters;

/**
 * Lion (lucidrains/lion-pytorch = google/automl): decoupled decay first, then a step of
 * {@code lr} against the sign of {@code β1·m + (1 − β1)·g} (with the old {@code m}), then
 * {@code m} moves with {@code β2}. No bias correction, nothing depends on {@code t}. The sign's
 * argument is written as the formula reads: a rearranged form can round a tiny one to 0 or flip it.
 *
 * <p>{@code c} takes the old {@code m} from a local, so the order of the two stores is free; {@code m}
 * is stored first because C2 of JDK 25 then vectorizes the loop and with the parameter store first
 * it does not (about 15x apart at 1M elements). {@code Math.signum} is the sign as written
 * ({@code sign(0) = 0}); C2 of JDK 17 compiles it to a branch, which mispredicts on the random signs
 * of real updates, so this loop is far slower on JDK 17 than on JDK 25.
 */
public final class HandLion {
  private HandLion() {}

  public static void step(float[] p, float[] g, float[] m, Hyperparameters h, int from, int to) {
    float decay = (float) (1 - h.lr() * h.weightDecay());
    float lr = (float) h.lr();
    float b1 = (float) h.beta1();
    float b2 = (float) h.beta2();
    float oneMinusB1 = (float) (1 - h.beta1());
    float oneMinusB2 = (float) (1 - h.beta2());
    for (int i = from; i < to; i++) {
      float gi = g[i];
      float mi = m[i];
      float c = b1 * mi + oneMinusB1 * gi;
      m[i] = b2 * mi + oneMinusB2 * gi;
      p[i] = p[i] * decay - lr * Math.signum(c);
    }
  }

  public static void step(double[] p, double[] g, double[] m, Hyperparameters h, int from, int to) {
    double decay = 1 - h.lr() * h.weightDecay();
    double lr = h.lr();
    double b1 = h.beta1();
    double b2 = h.beta2();
    for (int i = from; i < to; i++) {
      double gi = g[i];
      double mi = m[i];
      double c = b1 * mi + (1 - b1) * gi;
      m[i] = b2 * mi + (1 - b2) * gi;
      p[i] = p[i] * decay - lr * Math.signum(c);
    }
  }
}
