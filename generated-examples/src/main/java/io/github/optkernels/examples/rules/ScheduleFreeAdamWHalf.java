package io.github.optkernels.examples.rules;

import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.Precision;
import io.github.optkernels.annotations.StatePrecision;

/**
 * {@code schedulefree_adamw} with bf16 and fp16 parameters, in the storage configurations the
 * conformance set runs. Each nested spec takes its rule from {@link ScheduleFreeAdamWSpec}, which it extends.
 * The rule assigns the parameter (it is not an accumulated update), so there is no Kahan
 * compensation: {@code x} and {@code z} are the accumulators.
 */
final class ScheduleFreeAdamWHalf {
  private ScheduleFreeAdamWHalf() {}

  /** 16-bit parameters, float32 state. */
  @Optimizer(name = "ScheduleFreeAdamWMixed", lr = 0.0025, beta1 = 0.9, beta2 = 0.999, eps = 1e-8,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16})
  interface Mixed extends ScheduleFreeAdamWSpec {}

  /** Pure 16-bit. */
  @Optimizer(name = "ScheduleFreeAdamWPure", lr = 0.0025, beta1 = 0.9, beta2 = 0.999, eps = 1e-8,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16},
      statePrecision = StatePrecision.PARAMETER)
  interface Pure extends ScheduleFreeAdamWSpec {}
}
