package io.github.optkernels.examples.rules;

import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.PerStep;
import io.github.optkernels.annotations.Rule;
import io.github.optkernels.annotations.State;
import io.github.optkernels.annotations.WeightDecay;

/**
 * {@code variants.AdamSpec} written as a rule: {@code torch.optim.Adam} with L2 decay. The raw
 * second moment is stored and {@code 1/sqrt(1 − β2^t)} moves into the step size and ε, as the
 * built-in kernel does, so both compute the same floats in the same order.
 */
@Optimizer(decay = WeightDecay.L2, lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8)
public interface AdamRuleSpec {

  @PerStep
  static double oneMinusBeta1(double beta1) {
    return 1 - beta1;
  }

  @PerStep
  static double oneMinusBeta2(double beta2) {
    return 1 - beta2;
  }

  /** {@code 1 − β1^t}. */
  @PerStep
  static double bc1(long t, double beta1) {
    return 1 - Math.pow(beta1, t);
  }

  /** {@code sqrt(1 − β2^t)}. */
  @PerStep
  static double sqrtBc2(long t, double beta2) {
    return Math.sqrt(1 - Math.pow(beta2, t));
  }

  /** ε scaled to the raw second moment: {@code sqrt(v/bc2) + ε = (sqrt(v) + ε·sqrt(bc2))/sqrt(bc2)}. */
  @PerStep
  static double epsTerm(double eps, double sqrtBc2) {
    return eps * sqrtBc2;
  }

  @PerStep
  static double stepSize(double lr, double sqrtBc2, double bc1) {
    return lr * sqrtBc2 / bc1;
  }

  @Rule
  static float update(float g, @State("exp_avg") float m, @State("exp_avg_sq") float v,
      float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float epsTerm,
      float stepSize) {
    m = beta1 * m + oneMinusBeta1 * g;
    v = beta2 * v + oneMinusBeta2 * g * g;
    float d = (float) Math.sqrt(v) + epsTerm;
    return -stepSize * m / d;
  }
}
