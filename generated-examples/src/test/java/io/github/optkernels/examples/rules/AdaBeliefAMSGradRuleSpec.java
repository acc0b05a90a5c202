package io.github.optkernels.examples.rules;

import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.PerStep;
import io.github.optkernels.annotations.Rule;
import io.github.optkernels.annotations.State;
import io.github.optkernels.annotations.WeightDecay;

/**
 * {@code variants.AdaBeliefAMSGradSpec} written as a rule: AdaBelief ({@code amsgrad=True}) without
 * rectification, decoupled decay: the denominator reads the running maximum of the belief.
 */
@Optimizer(decay = WeightDecay.DECOUPLED, lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-16)
public interface AdaBeliefAMSGradRuleSpec {

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

  @PerStep
  static double epsTerm(double eps, double sqrtBc2) {
    return eps * sqrtBc2;
  }

  @PerStep
  static double stepSize(double lr, double sqrtBc2, double bc1) {
    return lr * sqrtBc2 / bc1;
  }

  @Rule
  static float update(float g, @State("exp_avg") float m, @State("exp_avg_var") float v,
      @State("max_exp_avg_var") float vMax, float beta1, float oneMinusBeta1, float beta2,
      float oneMinusBeta2, float eps, float epsTerm, float stepSize) {
    // g − m_new = β1·(g − m_old), computed from the old m as the built-in kernel does
    float r = beta1 * g - beta1 * m;
    m = beta1 * m + oneMinusBeta1 * g;
    v = beta2 * v + oneMinusBeta2 * r * r + eps;
    vMax = Math.max(vMax, v);
    float d = (float) Math.sqrt(vMax) + epsTerm;
    return -stepSize * m / d;
  }
}
