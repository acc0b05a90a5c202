package io.github.optkernels.examples.demo;

import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.PerStep;
import io.github.optkernels.annotations.Precision;
import io.github.optkernels.annotations.Rule;
import io.github.optkernels.annotations.State;

/**
 * A rule written in the demo's own source: LaProp (Ziyin et al. 2020), which normalises the
 * gradient by the second moment first and averages the normalised gradients, so momentum and
 * adaptivity are decoupled. Nothing in optkernels knows it; the processor generates it from these
 * lines like any built-in optimizer.
 */
@Optimizer(lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8)
interface LaPropSpec {

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
  static float update(float g, @State("exp_avg") float m, @State("exp_avg_sq") float v, float beta1,
      float oneMinusBeta1, float beta2, float oneMinusBeta2, float bc1, float bc2, float eps, float lr) {
    v = beta2 * v + oneMinusBeta2 * g * g;
    float normalized = g / ((float) Math.sqrt(v / bc2) + eps);
    m = beta1 * m + oneMinusBeta1 * normalized;
    return -lr * m / bc1;
  }

  /** The bf16 twin: the same rule, bf16 parameters, float32 state, Kahan-compensated updates. */
  @Optimizer(name = "LaPropMixedKahan", lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8,
      precisions = Precision.BFLOAT16)
  interface MixedKahan extends LaPropSpec {}
}
