package io.github.optkernels.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.github.optkernels.djl.specs.DjlAdam;
import io.github.optkernels.runtime.KernelOptimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

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

  /**
   * A run of weight {@code "w"} stepped three times with gradients from {@code seed}, saved to
   * {@code file}, and resumed in a fresh optimizer (its weight restored with the model,
   * registered, then the state loaded); {@code afterLoad} sees the first and the resumed optimizer,
   * then both take two more steps. Returns the two weights' values, which a checkpoint that holds
   * everything the step reads makes equal.
   */
  static float[][] savedAndResumed(NDManager manager, Supplier<OptkernelsOptimizer> optimizers, long seed, Path file,
      BiConsumer<OptkernelsOptimizer, OptkernelsOptimizer> afterLoad) throws IOException {
    NDArray a = manager.create(values(N, seed, 1));
    OptkernelsOptimizer first = optimizers.get();
    for (int step = 1; step <= 3; step++) {
      try (NDArray grad = manager.create(values(N, seed + step, 0.1))) {
        first.update("w", a, grad);
      }
    }
    first.save(file);
    NDArray b = manager.create(a.toFloatArray());
    OptkernelsOptimizer resumed = optimizers.get();
    resumed.register("w", b);
    resumed.load(file);
    afterLoad.accept(first, resumed);
    for (int step = 4; step <= 5; step++) {
      try (NDArray g1 = manager.create(values(N, seed + step, 0.1)); NDArray g2 = manager.create(values(N, seed + step, 0.1))) {
        first.update("w", a, g1);
        resumed.update("w", b, g2);
      }
    }
    return new float[][] {a.toFloatArray(), b.toFloatArray()};
  }

  /** A fresh generated optimizer of DJL's Adam, with L2 decay so that the decay path is stepped too. */
  static KernelOptimizer adam() {
    return DjlAdam.builder().lr(1e-2).weightDecay(1e-3).build();
  }
}
