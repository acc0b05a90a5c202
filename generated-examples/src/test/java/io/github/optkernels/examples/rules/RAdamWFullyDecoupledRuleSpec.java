package io.github.optkernels.examples.rules;

import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.PerStep;
import io.github.optkernels.annotations.Rule;
import io.github.optkernels.annotations.State;
import io.github.optkernels.annotations.WeightDecay;

/**
 * {@code variants.RAdamWFullyDecoupledSpec} written as a rule: optimi's {@code RAdam} with
 * {@code decouple_lr=True}. The moments are stored bias-corrected (debiased β: {@code β̂_t =
 * (β^t − β)/(β^t − 1)}), so the step needs no correction; the fully decoupled decay
 * ({@code p ← p·(1 − λ·lr/max_lr)}) is the skeleton's.
 */
@Optimizer(decay = WeightDecay.FULLY_DECOUPLED, lr = 1e-3, beta1 = 0.9, beta2 = 0.99, eps = 1e-6,
    weightDecay = 1e-5)
public interface RAdamWFullyDecoupledRuleSpec {

  @PerStep
  static double beta1Power(long t, double beta1) {
    return Math.pow(beta1, t);
  }

  @PerStep
  static double beta2Power(long t, double beta2) {
    return Math.pow(beta2, t);
  }

  /** β1 debiased: keeps the stored first moment equal to {@code m_raw / (1 − β1^t)}. */
  @PerStep
  static double beta1Hat(double beta1Power, double beta1) {
    return (beta1Power - beta1) / (beta1Power - 1);
  }

  @PerStep
  static double oneMinusBeta1Hat(double beta1Hat) {
    return 1 - beta1Hat;
  }

  /** β2 debiased: keeps the stored second moment equal to {@code v_raw / (1 − β2^t)}. */
  @PerStep
  static double beta2Hat(double beta2Power, double beta2) {
    return (beta2Power - beta2) / (beta2Power - 1);
  }

  @PerStep
  static double oneMinusBeta2Hat(double beta2Hat) {
    return 1 - beta2Hat;
  }

  /** {@code ρ∞ = 2/(1 − β2) − 1}. */
  @PerStep
  static double rhoInf(double beta2) {
    return 2 / (1 - beta2) - 1;
  }

  /** {@code ρ_t}: the length of the moving average the EMA of g² approximates. */
  @PerStep
  static double rho(long t, double rhoInf, double beta2Power) {
    return rhoInf - 2 * t * beta2Power / (1 - beta2Power);
  }

  @PerStep
  static boolean rectified(double rho) {
    return rho > 5;
  }

  /** {@code lr·r_t}, read only on rectified steps. */
  @PerStep
  static double stepSize(double lr, double rho, double rhoInf) {
    return lr * Math.sqrt((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho));
  }

  @Rule
  static float update(float g, @State("exp_avg") float m, @State("exp_avg_sq") float v,
      float beta1Hat, float oneMinusBeta1Hat, float beta2Hat, float oneMinusBeta2Hat, float eps,
      boolean rectified, float stepSize, float lr) {
    m = beta1Hat * m + oneMinusBeta1Hat * g;
    v = beta2Hat * v + oneMinusBeta2Hat * g * g;
    float d = (float) Math.sqrt(v) + eps;
    return rectified ? -stepSize * m / d : -lr * m;
  }
}
