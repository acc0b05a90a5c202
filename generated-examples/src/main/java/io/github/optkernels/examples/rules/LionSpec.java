package io.github.optkernels.examples.rules;

import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.PerStep;
import io.github.optkernels.annotations.Rule;
import io.github.optkernels.annotations.State;
import io.github.optkernels.annotations.WeightDecay;

/**
 * Lion (Chen et al. 2023, lucidrains/lion-pytorch): the sign of an interpolation of momentum and
 * gradient. Decoupled decay multiplies first; {@code b1} shapes the update, {@code b2} the state.
 */
@Optimizer(decay = WeightDecay.DECOUPLED, lr = 1e-4, beta1 = 0.9, beta2 = 0.99)
public interface LionSpec {

  @PerStep
  static double oneMinusBeta1(double beta1) {
    return 1 - beta1;
  }

  @PerStep
  static double oneMinusBeta2(double beta2) {
    return 1 - beta2;
  }

  @Rule
  static float update(float g, @State("exp_avg") float m, float lr, float beta1, float oneMinusBeta1,
      float beta2, float oneMinusBeta2) {
    float c = beta1 * m + oneMinusBeta1 * g; // with the old m, as written: only its sign counts
    m = beta2 * m + oneMinusBeta2 * g;       // the state moves after the update, with b2
    return -lr * Math.signum(c);
  }
}
