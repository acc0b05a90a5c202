package io.github.optkernels.examples.demo;

import io.github.optkernels.examples.variants.AMSGrad;
import io.github.optkernels.examples.variants.AdaBelief;
import io.github.optkernels.examples.variants.Adam;
import io.github.optkernels.examples.variants.AdamW;
import io.github.optkernels.examples.variants.NAdam;
import io.github.optkernels.examples.variants.RAdam;
import io.github.optkernels.runtime.KernelOptimizer;
import java.util.function.DoubleFunction;

/**
 * The generated optimizers the digits model is trained with. Each is built through its generated
 * builder with the spec's defaults (betas, ε, weight decay; see {@code variants/}) and the demo's
 * learning rate, so the runs differ only in the update rule.
 */
enum TrainedOptimizer {
  ADAM("Adam", lr -> Adam.builder().lr(lr).build()),
  ADAMW("AdamW", lr -> AdamW.builder().lr(lr).build()),
  AMSGRAD("AMSGrad", lr -> AMSGrad.builder().lr(lr).build()),
  RADAM("RAdam", lr -> RAdam.builder().lr(lr).build()),
  ADABELIEF("AdaBelief", lr -> AdaBelief.builder().lr(lr).build()),
  NADAM("NAdam", lr -> NAdam.builder().lr(lr).build());

  private final String displayName;
  private final DoubleFunction<KernelOptimizer> factory;

  TrainedOptimizer(String displayName, DoubleFunction<KernelOptimizer> factory) {
    this.displayName = displayName;
    this.factory = factory;
  }

  String displayName() {
    return displayName;
  }

  /** A new optimizer with no tensors, learning rate {@code lr}. */
  KernelOptimizer create(double lr) {
    return factory.apply(lr);
  }
}
