package io.github.optkernels.examples.rules;

import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.PerStep;
import io.github.optkernels.annotations.Rule;
import io.github.optkernels.annotations.State;
import io.github.optkernels.annotations.WeightDecay;

/**
 * {@code torch.optim.Adamax}: an infinity-norm second moment; ε is added to {@code |g|} inside the
 * maximum, and only the first moment is bias-corrected. L2 weight decay.
 */
@Optimizer(decay = WeightDecay.L2, lr = 2e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8)
public interface AdamaxSpec {

  @PerStep
  static double oneMinusBeta1(double beta1) {
    return 1 - beta1;
  }

  /** {@code lr / (1 − β1^t)}. */
  @PerStep
  static double stepSize(double lr, long t, double beta1) {
    return lr / (1 - Math.pow(beta1, t));
  }

  @Rule
  static float update(float g, @State("exp_avg") float m, @State("exp_inf") float u, float beta1,
      float oneMinusBeta1, float beta2, float eps, float stepSize) {
    m = beta1 * m + oneMinusBeta1 * g;
    u = Math.max(beta2 * u, Math.abs(g) + eps);
    return -stepSize * m / u;
  }
}
