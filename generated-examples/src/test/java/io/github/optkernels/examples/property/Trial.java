package io.github.optkernels.examples.property;

import io.github.optkernels.annotations.EpsPlacement;
import io.github.optkernels.annotations.SecondMoment;
import io.github.optkernels.annotations.WeightDecay;
import io.github.optkernels.examples.reference.ReferenceSpec;
import io.github.optkernels.runtime.Hyperparameters;
import java.util.SplittableRandom;

/**
 * Random hyperparameters and data for one combination, reproducible from its seed. Inputs are
 * float32 values so the float kernel, the double kernel and the interpreter start from the same
 * numbers. Lengths are odd (tails run), schedules contain zero-lr steps, some runs start with an
 * Adam-2k warm-up, and β2 is large enough that rectifying specs run both phases within the
 * trial (ρ_t first exceeds 5 at t = 6 for β2 ≥ 0.9).
 */
record Trial(Hyperparameters hyperparameters, double[] lrs, float[] p0, float[][] grads) {
  static final int STEPS = 20;

  static Trial random(ReferenceSpec spec, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int n = pick(random, 1, 3, 7, 17, 33, 67);
    double lrBase = pick(random, 1e-3, 3e-3, 1e-2);
    double[] lrs = new double[STEPS];
    double maxLr = 0;
    for (int t = 0; t < STEPS; t++) {
      lrs[t] = random.nextDouble() < 0.1 ? 0.0 : lrBase * (0.5 + 0.5 * random.nextDouble());
      maxLr = Math.max(maxLr, lrs[t]);
    }
    if (maxLr == 0) {
      lrs[0] = maxLr = lrBase;
    }
    double weightDecay = spec.decay() == WeightDecay.NONE ? 0.0 : pick(random, 0.0, 1e-3, 0.05);
    // β1 = 0 makes the belief deviation g − m identically 0: the denominator is ε alone and,
    // with L2 decay, parameters grow by λ·lr/ε per step until float32 overflows. Legal, but a
    // trial of nothing; the squared-gradient rule still gets β1 = 0.
    double beta1 = spec.secondMoment() == SecondMoment.SQUARED_GRADIENT
        ? pick(random, 0.0, 0.5, 0.9, 0.95) : pick(random, 0.5, 0.9, 0.95);
    Hyperparameters h = new Hyperparameters(lrs[0],
        beta1,
        pick(random, 0.9, 0.99, 0.999),
        pick(random, 1e-8, 1e-6, 1e-3),
        spec.epsPlacement() == EpsPlacement.INSIDE_CORRECTED_SQRT ? pick(random, 0.0, 1e-8, 1e-4) : 0.0,
        weightDecay,
        spec.decay() == WeightDecay.FULLY_DECOUPLED ? maxLr : Double.NaN,
        pick(random, 0.004, 0.02),
        random.nextInt(3) == 0 ? 3 : 0);
    float[] p0 = new float[n];
    float[] scale = new float[n];
    for (int i = 0; i < n; i++) {
      p0[i] = (float) (4 * random.nextDouble() - 2);
      scale[i] = (float) Math.pow(10, -2 + 2.3 * random.nextDouble());
    }
    float[][] grads = new float[STEPS][n];
    for (int t = 0; t < STEPS; t++) {
      for (int i = 0; i < n; i++) {
        grads[t][i] = random.nextDouble() < 0.05 ? 0f : (float) (scale[i] * (2 * random.nextDouble() - 1));
      }
    }
    return new Trial(h, lrs, p0, grads);
  }

  /**
   * The largest gradient the moments see: the raw gradients plus, with L2 decay, λ·|p| for
   * parameters up to {@code paramScale}.
   */
  double gradientScale(double paramScale) {
    double max = 0;
    for (float[] step : grads) {
      for (float g : step) {
        max = Math.max(max, Math.abs(g));
      }
    }
    return max + hyperparameters.weightDecay() * paramScale;
  }

  private static double pick(SplittableRandom random, double... values) {
    return values[random.nextInt(values.length)];
  }

  private static int pick(SplittableRandom random, int... values) {
    return values[random.nextInt(values.length)];
  }
}
