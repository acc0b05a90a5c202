package io.github.optkernels.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.optkernels.djl.specs.DjlAdam;
import io.github.optkernels.djl.specs.DjlAdamW;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The spec {@code DjlAdam} against DJL's own {@code Optimizer.adam()}, update by update on one
 * tensor: the same values to float32 rounding (the two order the same operations differently).
 */
class DjlAdamMatchTest {
  @Test
  void eachUpdateMatchesDjlsAdamToFloat32Rounding() {
    float lr = 3e-3f;
    compare(Optimizer.adam().optLearningRateTracker(Tracker.fixed(lr)).build(), OptkernelsOptimizer.of(DjlAdam.builder().lr(lr).build()));
  }

  /** DJL's AdamW: decoupled decay, ε on the raw √v; {@code DjlAdamW}, not PyTorch's AdamW. */
  @Test
  void eachUpdateMatchesDjlsAdamWToFloat32Rounding() {
    float lr = 3e-3f;
    compare(Optimizer.adamW().optLearningRateTracker(Tracker.fixed(lr)).optWeightDecays(0.05f).build(),
        OptkernelsOptimizer.of(DjlAdamW.builder().lr(lr).weightDecay(0.05).build()));
  }

  private static void compare(Optimizer djl, OptkernelsOptimizer ours) {
    int n = 1031;
    try (NDManager manager = NDManager.newBaseManager()) {
      SplittableRandom random = new SplittableRandom(9);
      float[] start = new float[n];
      for (int i = 0; i < n; i++) {
        start[i] = (float) (2 * random.nextDouble() - 1);
      }
      NDArray djlWeight = manager.create(start.clone());
      NDArray ourWeight = manager.create(start.clone());
      for (int step = 1; step <= 20; step++) {
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
          g[i] = (float) ((2 * random.nextDouble() - 1) * 0.1);
        }
        try (NDArray g1 = manager.create(g); NDArray g2 = manager.create(g)) {
          djl.update("w", djlWeight, g1);
          ours.update("w", ourWeight, g2);
        }
        float[] expected = djlWeight.toFloatArray();
        float[] actual = ourWeight.toFloatArray();
        for (int i = 0; i < n; i++) {
          assertEquals(expected[i], actual[i], 2e-6f * Math.max(1f, Math.abs(expected[i])), "step " + step + ", element " + i);
        }
      }
    }
  }
}
