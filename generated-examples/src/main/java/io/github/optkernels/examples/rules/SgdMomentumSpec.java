package io.github.optkernels.examples.rules;

import io.github.optkernels.annotations.Hyper;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.PerStep;
import io.github.optkernels.annotations.Rule;
import io.github.optkernels.annotations.State;
import io.github.optkernels.annotations.WeightDecay;

/**
 * {@code torch.optim.SGD(momentum, dampening, nesterov=False)}: the first step's buffer is the
 * gradient itself (no dampening), as torch creates it.
 */
@Optimizer(decay = WeightDecay.L2, lr = 1e-2)
public interface SgdMomentumSpec {

  @Hyper(domain = Hyper.Domain.UNIT_INTERVAL, description = "momentum μ")
  double momentum = 0.9;

  @Hyper(description = "dampening of the momentum buffer's gradient term")
  double dampening = 0;

  @PerStep
  static boolean firstStep(long t) {
    return t == 1;
  }

  @PerStep
  static double oneMinusDampening(double dampening) {
    return 1 - dampening;
  }

  @Rule
  static float update(float g, @State("momentum_buffer") float b, boolean firstStep, float momentum,
      float oneMinusDampening, float lr) {
    b = firstStep ? g : momentum * b + oneMinusDampening * g;
    return -lr * b;
  }
}
