package io.github.optkernels.examples.runtime;

import io.github.optkernels.examples.conformance.ConformanceCase;
import io.github.optkernels.examples.conformance.VariantRegistry;
import io.github.optkernels.runtime.Hyperparameters;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.LrSchedule;
import java.util.List;

/**
 * Every named variant, built through its public builder, with two parameter groups that differ
 * in learning rate, weight decay, warm-up and schedule. Taken from the conformance variant list,
 * so a variant added there is covered here without touching the tests.
 */
final class Variants {
  static final List<String> NAMES = ConformanceCase.VARIANTS;

  /** lr, β1, β2 = 0.9 (RAdam rectifies from step 6), ε, λ; max_lr unset: the schedule's peak. */
  private static final Hyperparameters BASE = new Hyperparameters(3e-3, 0.9, 0.9, 1e-6, 0, 0.01,
      Double.NaN, 0.004, 0);

  private Variants() {}

  /** {@code variant} with its default group and a second group (index 1), both with schedules. */
  static KernelOptimizer create(String variant) {
    KernelOptimizer optimizer = VariantRegistry.create(variant, BASE)
        .orElseThrow(() -> new AssertionError("no optimizer for " + variant));
    optimizer.setSchedule(LrSchedule.warmupCosine(3, 40, 0.1));
    optimizer.addGroup(BASE.withLr(1e-2).withWeightDecay(0).withVarianceWarmupSteps(2))
        .setSchedule(LrSchedule.explicit(1e-2, 0, 5e-3, 2e-2, 1e-2));
    return optimizer;
  }

  /** Odd sizes in both precisions and both groups: vector tails and small-tensor batches. */
  static Tensors tensors(long seed) {
    Tensors tensors = new Tensors();
    int[] sizes = {1, 3, 7, 33, 67, 1001, 4099, 2, 515};
    for (int k = 0; k < sizes.length; k++) {
      tensors.add(k % 3 == 2, sizes[k], k % 2, seed + k);
    }
    return tensors;
  }
}
