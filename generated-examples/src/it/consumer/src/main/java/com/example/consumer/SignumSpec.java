package com.example.consumer;

import io.github.optkernels.annotations.Hyper;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.PerStep;
import io.github.optkernels.annotations.Rule;
import io.github.optkernels.annotations.State;

/** A user's own rule: signSGD with momentum (signum), and a hyperparameter of its own. */
@Optimizer(lr = 0.01)
interface SignumSpec {

  @Hyper(domain = Hyper.Domain.UNIT_INTERVAL, description = "momentum of the sign's average")
  double momentum = 0.9;

  @PerStep
  static double oneMinusMomentum(double momentum) {
    return 1 - momentum;
  }

  @Rule
  static float update(float g, @State float average, float momentum, float oneMinusMomentum, float lr) {
    average = momentum * average + oneMinusMomentum * g;
    return -lr * Math.signum(average);
  }
}
