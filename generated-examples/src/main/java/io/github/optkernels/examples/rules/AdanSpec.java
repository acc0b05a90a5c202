package io.github.optkernels.examples.rules;

import io.github.optkernels.annotations.Hyper;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.PerStep;
import io.github.optkernels.annotations.Rule;
import io.github.optkernels.annotations.State;
import io.github.optkernels.annotations.WeightDecay;

/**
 * Adan (sail-sg/Adan, {@code no_prox=False}): Nesterov-style momentum from the gradient
 * difference, three bias-corrected moments, proximal decay after the update. Each β weighs the
 * OLD value, as in the code. On the first step the previous gradient is this one, so the
 * difference is 0.
 */
@Optimizer(decay = WeightDecay.PROXIMAL, lr = 1e-3, beta1 = 0.98, beta2 = 0.92, eps = 1e-8)
public interface AdanSpec {

  @Hyper(domain = Hyper.Domain.UNIT_INTERVAL, description = "β3, the decay of the squared term")
  double beta3 = 0.99;

  @PerStep
  static boolean firstStep(long t) {
    return t == 1;
  }

  @PerStep
  static double oneMinusBeta1(double beta1) {
    return 1 - beta1;
  }

  @PerStep
  static double oneMinusBeta2(double beta2) {
    return 1 - beta2;
  }

  @PerStep
  static double oneMinusBeta3(double beta3) {
    return 1 - beta3;
  }

  /** {@code sqrt(1 − β3^t)}. */
  @PerStep
  static double sqrtBc3(long t, double beta3) {
    return Math.sqrt(1 - Math.pow(beta3, t));
  }

  /** {@code lr / (1 − β1^t)}. */
  @PerStep
  static double momentumStep(double lr, long t, double beta1) {
    return lr / (1 - Math.pow(beta1, t));
  }

  /** {@code lr·β2 / (1 − β2^t)}. */
  @PerStep
  static double differenceStep(double lr, long t, double beta2) {
    return lr * beta2 / (1 - Math.pow(beta2, t));
  }

  @Rule
  static float update(float g, @State("exp_avg") float m, @State("exp_avg_diff") float d,
      @State("exp_avg_sq") float n, @State("pre_grad") float previous, boolean firstStep,
      float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float beta3,
      float oneMinusBeta3, float sqrtBc3, float eps, float momentumStep, float differenceStep) {
    float diff = g - (firstStep ? g : previous);
    m = beta1 * m + oneMinusBeta1 * g;
    d = beta2 * d + oneMinusBeta2 * diff;
    float w = g + beta2 * diff;
    n = beta3 * n + oneMinusBeta3 * w * w;
    float denom = (float) Math.sqrt(n) / sqrtBc3 + eps;
    previous = g;
    return -(momentumStep * m / denom + differenceStep * d / denom);
  }
}
