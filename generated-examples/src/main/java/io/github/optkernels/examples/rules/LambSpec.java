package io.github.optkernels.examples.rules;

import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.PerStep;
import io.github.optkernels.annotations.Rule;
import io.github.optkernels.annotations.State;
import io.github.optkernels.annotations.Tensor;

/**
 * LAMB as optax chains it (scale_by_adam, add_decayed_weights, scale_by_trust_ratio): an Adam
 * direction with ε outside the square root of the bias-corrected second moment, plus λ·p, scaled
 * by the trust ratio ‖p‖/‖u‖ of the whole tensor (1 where either norm is 0). The decay is part of
 * the rule (before the ratio), so {@code decay} stays NONE.
 */
@Optimizer(lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-6)
public interface LambSpec {

  @PerStep
  static double oneMinusBeta1(double beta1) {
    return 1 - beta1;
  }

  @PerStep
  static double oneMinusBeta2(double beta2) {
    return 1 - beta2;
  }

  @PerStep
  static double bc1(long t, double beta1) {
    return 1 - Math.pow(beta1, t);
  }

  @PerStep
  static double bc2(long t, double beta2) {
    return 1 - Math.pow(beta2, t);
  }

  @Rule
  static float update(float g, float p, @State("exp_avg") float m, @State("exp_avg_sq") float v,
      float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float bc1, float bc2,
      float eps, float weightDecay, float lr) {
    m = beta1 * m + oneMinusBeta1 * g;
    v = beta2 * v + oneMinusBeta2 * g * g;
    float u = m / bc1 / ((float) Math.sqrt(v / bc2) + eps) + weightDecay * p;
    float parameterNorm = Tensor.norm(p);
    float updateNorm = Tensor.norm(u);
    float ratio = parameterNorm == 0 ? 1 : updateNorm == 0 ? 1 : parameterNorm / updateNorm;
    return -lr * ratio * u;
  }
}
