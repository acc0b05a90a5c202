package io.github.optkernels.examples.rules;

import io.github.optkernels.annotations.Kahan;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.Precision;
import io.github.optkernels.annotations.StatePrecision;
import io.github.optkernels.annotations.WeightDecay;

/**
 * {@code sgd_nesterov} with bf16 and fp16 parameters, in the four storage configurations the
 * conformance set runs. Each nested spec takes its rule from {@link SgdNesterovSpec}, which it extends.
 */
final class SgdNesterovHalf {
  private SgdNesterovHalf() {}

  /** 16-bit parameters, float32 state, Kahan-compensated updates (the 16-bit default). */
  @Optimizer(name = "SgdNesterovMixedKahan", decay = WeightDecay.L2, lr = 1e-2,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16})
  interface MixedKahan extends SgdNesterovSpec {}

  /** 16-bit parameters, float32 state; each update rounded once into the parameter. */
  @Optimizer(name = "SgdNesterovMixed", decay = WeightDecay.L2, lr = 1e-2,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16},
      kahan = Kahan.OFF)
  interface Mixed extends SgdNesterovSpec {}

  /** Pure 16-bit: state in the parameter's type too; Kahan-compensated updates. */
  @Optimizer(name = "SgdNesterovPureKahan", decay = WeightDecay.L2, lr = 1e-2,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16},
      statePrecision = StatePrecision.PARAMETER)
  interface PureKahan extends SgdNesterovSpec {}

  /** Pure 16-bit, without Kahan compensation. */
  @Optimizer(name = "SgdNesterovPure", decay = WeightDecay.L2, lr = 1e-2,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16},
      statePrecision = StatePrecision.PARAMETER, kahan = Kahan.OFF)
  interface Pure extends SgdNesterovSpec {}
}
