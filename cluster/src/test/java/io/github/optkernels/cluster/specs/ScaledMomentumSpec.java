package io.github.optkernels.cluster.specs;

import io.github.optkernels.annotations.Hyper;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.Rule;
import io.github.optkernels.annotations.State;

/**
 * A rule with hyperparameters of its own, so a sharded step must carry their values (a group may
 * set its own) to the shards' owners along with the built-in ones.
 */
@Optimizer(lr = 1e-2)
public interface ScaledMomentumSpec {

  @Hyper(domain = Hyper.Domain.UNIT_INTERVAL, description = "momentum of the buffer")
  double momentum = 0.9;

  @Hyper(description = "scale of the gradient added to the buffer")
  double scale = 1;

  @Rule
  static float update(float g, @State("buffer") float b, float momentum, float scale, float lr) {
    b = momentum * b + scale * g;
    return -lr * b;
  }
}
