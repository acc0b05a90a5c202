package io.github.optkernels.examples.rules;

import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.PerStep;
import io.github.optkernels.annotations.Rule;
import io.github.optkernels.annotations.State;
import io.github.optkernels.annotations.WeightDecay;

/**
 * {@code variants.RAdamNoSgdSpec} written as a rule: RAdam that leaves the parameter alone (but
 * moves both moments) while {@code ρ_t ≤ 5}, L2 decay. The rule is {@code void} and assigns
 * {@code p}: an update of 0 would still add {@code +0} and turn a parameter of {@code −0} into
 * {@code +0}, where the built-in kernel does not write the parameter at all.
 */
@Optimizer(decay = WeightDecay.L2, lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8)
public interface RAdamNoSgdRuleSpec {

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

  @PerStep
  static double beta2Power(long t, double beta2) {
    return Math.pow(beta2, t);
  }

  /** {@code 1 − β2^t}. */
  @PerStep
  static double bc2(double beta2Power) {
    return 1 - beta2Power;
  }

  /** {@code ρ∞ = 2/(1 − β2) − 1}. */
  @PerStep
  static double rhoInf(double beta2) {
    return 2 / (1 - beta2) - 1;
  }

  /** {@code ρ_t}: the length of the moving average the EMA of g² approximates. */
  @PerStep
  static double rho(long t, double rhoInf, double beta2Power, double bc2) {
    return rhoInf - 2 * t * beta2Power / bc2;
  }

  @PerStep
  static boolean rectified(double rho) {
    return rho > 5;
  }

  /** {@code r_t}, read only on rectified steps (NaN or meaningless before). */
  @PerStep
  static double rectification(double rho, double rhoInf) {
    return Math.sqrt((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho));
  }

  /** {@code lr·r_t·sqrt(bc2)/bc1}: the denominator reads the raw second moment. */
  @PerStep
  static double stepSize(double lr, double rectification, double bc2, double bc1) {
    return lr * rectification * Math.sqrt(bc2) / bc1;
  }

  @Rule
  static void update(float g, float p, @State("exp_avg") float m, @State("exp_avg_sq") float v,
      float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float eps,
      boolean rectified, float stepSize) {
    m = beta1 * m + oneMinusBeta1 * g;
    v = beta2 * v + oneMinusBeta2 * g * g;
    float d = (float) Math.sqrt(v) + eps;
    p = rectified ? p + -stepSize * m / d : p;
  }
}
