package io.github.optkernels.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.github.optkernels.djl.specs.DjlAdam;
import io.github.optkernels.runtime.KernelOptimizer;
import java.util.SplittableRandom;

/** What the DJL optimizer's tests step: seeded values, and the optimizer they step them with. */
final class TestTensors {
  /** Odd, and more than a vector and a chunk of scratch: every loop has a tail. */
  static final int N = 4099;

  private TestTensors() {}

  /** {@code n} values uniform in [−scale, scale) from {@code seed}. */
  static float[] values(int n, long seed, double scale) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) ((2 * random.nextDouble() - 1) * scale);
    }
    return v;
  }

  /**
   * Adds {@code g} to {@code weight}'s own gradient by a backward pass, as a training step's
   * backward does: d(sum(w * g))/dw = g (PyTorch adds into a gradient that is there already).
   */
  static void backward(NDManager manager, NDArray weight, float[] g) {
    weight.setRequiresGradient(true);
    try (NDArray gradients = manager.create(g).reshape(weight.getShape());
        GradientCollector collector = manager.getEngine().newGradientCollector()) {
      collector.backward(weight.mul(gradients).sum());
    }
  }

  /** A fresh generated optimizer of DJL's Adam, with L2 decay so that the decay path is stepped too. */
  static KernelOptimizer adam() {
    return DjlAdam.builder().lr(1e-2).weightDecay(1e-3).build();
  }
}
