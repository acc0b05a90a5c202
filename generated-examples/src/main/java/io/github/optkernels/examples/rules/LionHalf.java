package io.github.optkernels.examples.rules;

import io.github.optkernels.annotations.Kahan;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.Precision;
import io.github.optkernels.annotations.StatePrecision;
import io.github.optkernels.annotations.WeightDecay;

/**
 * {@code lion} with bf16 and fp16 parameters, in the four storage configurations the
 * conformance set runs. Each nested spec takes its rule from {@link LionSpec}, which it extends.
 */
final class LionHalf {
  private LionHalf() {}

  /** 16-bit parameters, float32 state, Kahan-compensated updates (the 16-bit default). */
  @Optimizer(name = "LionMixedKahan", decay = WeightDecay.DECOUPLED, lr = 1e-4, beta1 = 0.9, beta2 = 0.99,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16})
  interface MixedKahan extends LionSpec {}

  /** 16-bit parameters, float32 state; each update rounded once into the parameter. */
  @Optimizer(name = "LionMixed", decay = WeightDecay.DECOUPLED, lr = 1e-4, beta1 = 0.9, beta2 = 0.99,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16},
      kahan = Kahan.OFF)
  interface Mixed extends LionSpec {}

  /** Pure 16-bit: state in the parameter's type too; Kahan-compensated updates. */
  @Optimizer(name = "LionPureKahan", decay = WeightDecay.DECOUPLED, lr = 1e-4, beta1 = 0.9, beta2 = 0.99,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16},
      statePrecision = StatePrecision.PARAMETER)
  interface PureKahan extends LionSpec {}

  /** Pure 16-bit, without Kahan compensation. */
  @Optimizer(name = "LionPure", decay = WeightDecay.DECOUPLED, lr = 1e-4, beta1 = 0.9, beta2 = 0.99,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16},
      statePrecision = StatePrecision.PARAMETER, kahan = Kahan.OFF)
  interface Pure extends LionSpec {}
}
