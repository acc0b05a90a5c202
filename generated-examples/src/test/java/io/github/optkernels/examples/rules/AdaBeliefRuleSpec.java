package io.github.optkernels.examples.rules;

import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.PerStep;
import io.github.optkernels.annotations.Rule;
import io.github.optkernels.annotations.State;
import io.github.optkernels.annotations.WeightDecay;

/**
 * {@code variants.AdaBeliefSpec} written as a rule: AdaBelief (juntang-zhuang, {@code
 * rectify=True}, decoupled decay). The second moment is the EMA of the belief {@code (g − m)²}
 * plus ε; the step is rectified as RAdam's, with the threshold {@code ρ_t ≥ 5} and the SGD step
 * before it.
 */
@Optimizer(decay = WeightDecay.DECOUPLED, lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-16)
public interface AdaBeliefRuleSpec {

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
    return rho >= 5;
  }

  /** {@code r_t}, read only on rectified steps. */
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
  static float update(float g, @State("exp_avg") float m, @State("exp_avg_var") float v,
      float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float eps,
      boolean rectified, float stepSize, float sgdStepSize) {
    // g − m_new = β1·(g − m_old), computed from the old m as the built-in kernel does
    float r = beta1 * g - beta1 * m;
    m = beta1 * m + oneMinusBeta1 * g;
    v = beta2 * v + oneMinusBeta2 * r * r + eps;
    float d = (float) Math.sqrt(v) + eps;
    return rectified ? -stepSize * m / d : -sgdStepSize * m;
  }
}
