package io.github.optkernels.examples.rules;

import io.github.optkernels.annotations.Carried;
import io.github.optkernels.annotations.Hyper;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.PerStep;
import io.github.optkernels.annotations.Rule;
import io.github.optkernels.annotations.State;

/**
 * Schedule-free AdamW (facebookresearch/schedule_free, {@code AdamWScheduleFreeReference}): the
 * parameters hold {@code y}, where gradients are taken; {@code z} is the SGD-like sequence and
 * {@code x}, its running weighted average, the point to evaluate at
 * ({@code useEvaluationPoint()}). Weights grow with the warmed-up learning rate's running maximum.
 * The decay is applied to {@code z} at {@code y}, inside the rule ({@code decay} stays NONE).
 */
@Optimizer(lr = 0.0025, beta1 = 0.9, beta2 = 0.999, eps = 1e-8)
public interface ScheduleFreeAdamWSpec {

  @Hyper(domain = Hyper.Domain.COUNT, description = "linear warm-up steps of the learning rate")
  int warmupSteps = 0;

  @Hyper(description = "r, the power of t in the averaging weight")
  double r = 0;

  @Hyper(description = "the power of the largest learning rate so far in the averaging weight")
  double weightLrPower = 2;

  @PerStep
  static boolean firstStep(long t) {
    return t == 1;
  }

  /** The warmed-up learning rate: {@code lr·t/warmupSteps} during the warm-up. */
  @PerStep
  static double lrT(double lr, long t, int warmupSteps) {
    return t <= warmupSteps ? lr * ((double) t / warmupSteps) : lr;
  }

  @PerStep
  static double bc2(long t, double beta2) {
    return 1 - Math.pow(beta2, t);
  }

  @PerStep
  @Carried(initial = -1)
  static double lrMax(double lrMax, double lrT) {
    return Math.max(lrMax, lrT);
  }

  @PerStep
  static double weight(long t, double r, double lrMax, double weightLrPower) {
    return Math.pow(t, r) * Math.pow(lrMax, weightLrPower);
  }

  @PerStep
  @Carried(initial = 0)
  static double weightSum(double weightSum, double weight) {
    return weightSum + weight;
  }

  /** The new point's weight in the average {@code x}; 0 while no weight has accrued. */
  @PerStep
  static double ckp1(double weight, double weightSum) {
    return weightSum == 0 ? 0 : weight / weightSum;
  }

  @PerStep
  static double oneMinusCkp1(double ckp1) {
    return 1 - ckp1;
  }

  @PerStep
  static double decay(double lrT, double weightDecay) {
    return lrT * weightDecay;
  }

  @PerStep
  static double oneMinusBeta1(double beta1) {
    return 1 - beta1;
  }

  @PerStep
  static double oneMinusBeta2(double beta2) {
    return 1 - beta2;
  }

  @Rule
  static void update(float g, float p, @State("exp_avg_sq") float v, @State("z") float z,
      @State(value = "x", evaluationPoint = true) float x, boolean firstStep, float lrT, float bc2,
      float ckp1, float oneMinusCkp1, float decay, float beta1, float oneMinusBeta1, float beta2,
      float oneMinusBeta2, float eps) {
    // z and x start at the parameter: on the first step their old values are p itself
    float zOld = firstStep ? p : z;
    float xOld = firstStep ? p : x;
    v = beta2 * v + oneMinusBeta2 * g * g;
    z = zOld - decay * p - lrT * g / ((float) Math.sqrt(v / bc2) + eps);
    x = oneMinusCkp1 * xOld + ckp1 * z;
    p = beta1 * x + oneMinusBeta1 * z;
  }
}
