package io.github.optkernels.examples.rules;

import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.PerStep;
import io.github.optkernels.annotations.Rule;
import io.github.optkernels.annotations.State;
import io.github.optkernels.annotations.WeightDecay;

/**
 * {@link AdamRuleSpec} with the built-in family's Adam-2k warm-up: for the first
 * {@code varianceWarmupSteps} steps only the second moment moves, and the first moment's bias
 * correction counts from the end of the warm-up. The built-in kernel runs another loop during
 * the warm-up; the rule reads the choice as a per-step boolean, and is {@code void} because a
 * warm-up step must leave the parameter exactly as it is (adding an update of {@code +0} would
 * turn {@code −0} into {@code +0}).
 */
@Optimizer(decay = WeightDecay.L2, lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8)
public interface Adam2kRuleSpec {

  @PerStep
  static boolean warmingUp(long t, int varianceWarmupSteps) {
    return t <= varianceWarmupSteps;
  }

  @PerStep
  static double oneMinusBeta1(double beta1) {
    return 1 - beta1;
  }

  @PerStep
  static double oneMinusBeta2(double beta2) {
    return 1 - beta2;
  }

  /** {@code 1 − β1^τ}, τ = t − K the steps since the warm-up (read only after it). */
  @PerStep
  static double bc1(long t, int varianceWarmupSteps, double beta1) {
    return 1 - Math.pow(beta1, t - varianceWarmupSteps);
  }

  /** {@code sqrt(1 − β2^t)}: the second moment has moved since the first step. */
  @PerStep
  static double sqrtBc2(long t, double beta2) {
    return Math.sqrt(1 - Math.pow(beta2, t));
  }

  @PerStep
  static double epsTerm(double eps, double sqrtBc2) {
    return eps * sqrtBc2;
  }

  @PerStep
  static double stepSize(double lr, double sqrtBc2, double bc1) {
    return lr * sqrtBc2 / bc1;
  }

  @Rule
  static void update(float g, float p, @State("exp_avg") float m, @State("exp_avg_sq") float v,
      boolean warmingUp, float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2,
      float epsTerm, float stepSize) {
    v = beta2 * v + oneMinusBeta2 * g * g;
    m = warmingUp ? m : beta1 * m + oneMinusBeta1 * g;
    float d = (float) Math.sqrt(v) + epsTerm;
    p = warmingUp ? p : p + -stepSize * m / d;
  }
}
