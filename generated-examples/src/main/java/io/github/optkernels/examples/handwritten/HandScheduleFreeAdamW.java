package io.github.optkernels.examples.handwritten;

import static io.github.optkernels.examples.handwritten.HandHyperparameters.R;
import static io.github.optkernels.examples.handwritten.HandHyperparameters.WARMUP_STEPS;
import static io.github.optkernels.examples.handwritten.HandHyperparameters.WEIGHT_LR_POWER;

import io.github.optkernels.runtime.Hyperparameters;

/**
 * Schedule-Free AdamW (facebookresearch/schedule_free {@code AdamWScheduleFreeReference}, 1.3 and
 * later): an Adam-normalized SGD sequence {@code z} (decayed at the current parameters), its
 * weighted average {@code x}, and the parameters {@code y = β1·x + (1 − β1)·z} at which the next
 * gradient is taken, recomputed from the stored {@code x} and {@code z} each step. The averaging
 * weight depends on every learning rate so far ({@code lr_max}, the weight sum): per-optimizer
 * history kept by an {@link Averaging}, which gives each step its {@code c_{t+1}}.
 *
 * <p>State: {@code v}, {@code z}, {@code x}; {@code z} and {@code x} start as copies of the
 * parameters, {@code v} at 0.
 */
public final class HandScheduleFreeAdamW {
  private HandScheduleFreeAdamW() {}

  /** The history behind the averaging weights: one per optimizer, advanced once per step. */
  public static final class Averaging {
    private double lrMax = -1;
    private double weightSum = 0;

    /** Step {@code t}'s {@code c_{t+1} = weight / weight_sum} (0 while the sum is 0), recording its weight. */
    public double advance(long t, Hyperparameters h) {
      lrMax = Math.max(lrMax, warmedUpLr(t, h));
      double weight = Math.pow(t, h.value(R)) * Math.pow(lrMax, h.value(WEIGHT_LR_POWER));
      weightSum += weight;
      return weightSum == 0 ? 0 : weight / weightSum;
    }
  }

  /** Step {@code t}'s learning rate after the linear warm-up (no bias correction in it). */
  public static double warmedUpLr(long t, Hyperparameters h) {
    double warmup = h.value(WARMUP_STEPS);
    return t <= warmup ? h.lr() * (t / warmup) : h.lr();
  }

  public static void step(float[] y, float[] g, float[] v, float[] z, float[] x, long t, double ckp1,
      Hyperparameters h, int from, int to) {
    double lr = warmedUpLr(t, h);
    float lrT = (float) lr;
    float lrDecay = (float) (lr * h.weightDecay());
    float b1 = (float) h.beta1();
    float b2 = (float) h.beta2();
    float oneMinusB1 = (float) (1 - h.beta1());
    float oneMinusB2 = (float) (1 - h.beta2());
    float sqrtBc2 = (float) Math.sqrt(1 - Math.pow(h.beta2(), t));
    float eps = (float) h.eps();
    float c = (float) ckp1;
    float oneMinusC = (float) (1 - ckp1);
    for (int i = from; i < to; i++) {
      float gi = g[i];
      float vi = b2 * v[i] + oneMinusB2 * gi * gi;
      float zi = z[i] - lrDecay * y[i] - lrT * gi / ((float) Math.sqrt(vi) / sqrtBc2 + eps);
      float xi = oneMinusC * x[i] + c * zi;
      v[i] = vi;
      z[i] = zi;
      x[i] = xi;
      y[i] = b1 * xi + oneMinusB1 * zi;
    }
  }

  public static void step(double[] y, double[] g, double[] v, double[] z, double[] x, long t, double ckp1,
      Hyperparameters h, int from, int to) {
    double lrT = warmedUpLr(t, h);
    double lrDecay = lrT * h.weightDecay();
    double b1 = h.beta1();
    double b2 = h.beta2();
    double sqrtBc2 = Math.sqrt(1 - Math.pow(b2, t));
    double eps = h.eps();
    for (int i = from; i < to; i++) {
      double gi = g[i];
      double vi = b2 * v[i] + (1 - b2) * gi * gi;
      double zi = z[i] - lrDecay * y[i] - lrT * gi / (Math.sqrt(vi) / sqrtBc2 + eps);
      double xi = (1 - ckp1) * x[i] + ckp1 * zi;
      v[i] = vi;
      z[i] = zi;
      x[i] = xi;
      y[i] = b1 * xi + (1 - b1) * zi;
    }
  }
}
