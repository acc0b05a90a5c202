package io.github.optkernels.examples.rules;

import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.PerStep;
import io.github.optkernels.annotations.Rule;
import io.github.optkernels.annotations.State;
import io.github.optkernels.annotations.WeightDecay;

/**
 * {@code variants.RAdamSpec} written as a rule: {@code torch.optim.RAdam} with L2 decay. While
 * {@code ρ_t ≤ 5} the variance is not trusted and the step is SGD with the bias-corrected
 * momentum; after, Adam's step scaled by the rectification {@code r_t}. The built-in kernel picks
 * one of two loops per step; the rule reads the same choice as a per-step boolean.
 */
@Optimizer(decay = WeightDecay.L2, lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8)
public interface RAdamRuleSpec {

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

  @PerStep
  static double sgdStepSize(double lr, double bc1) {
    return lr / bc1;
  }

  @Rule
  static float update(float g, @State("exp_avg") float m, @State("exp_avg_sq") float v,
      float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float eps,
      boolean rectified, float stepSize, float sgdStepSize) {
    m = beta1 * m + oneMinusBeta1 * g;
    v = beta2 * v + oneMinusBeta2 * g * g;
    float d = (float) Math.sqrt(v) + eps;
    return rectified ? -stepSize * m / d : -sgdStepSize * m;
  }
}
