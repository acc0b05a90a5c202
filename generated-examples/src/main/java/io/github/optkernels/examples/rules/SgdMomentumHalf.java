package io.github.optkernels.examples.rules;

import io.github.optkernels.annotations.Kahan;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.Precision;
import io.github.optkernels.annotations.StatePrecision;
import io.github.optkernels.annotations.WeightDecay;

/**
 * {@code sgd_momentum} with bf16 and fp16 parameters, in the four storage configurations the
 * conformance set runs. Each nested spec takes its rule from {@link SgdMomentumSpec}, which it extends.
 */
final class SgdMomentumHalf {
  private SgdMomentumHalf() {}

  /** 16-bit parameters, float32 state, Kahan-compensated updates (the 16-bit default). */
  @Optimizer(name = "SgdMomentumMixedKahan", decay = WeightDecay.L2, lr = 1e-2,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16})
  interface MixedKahan extends SgdMomentumSpec {}

  /** 16-bit parameters, float32 state; each update rounded once into the parameter. */
  @Optimizer(name = "SgdMomentumMixed", decay = WeightDecay.L2, lr = 1e-2,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16},
      kahan = Kahan.OFF)
  interface Mixed extends SgdMomentumSpec {}

  /** Pure 16-bit: state in the parameter's type too; Kahan-compensated updates. */
  @Optimizer(name = "SgdMomentumPureKahan", decay = WeightDecay.L2, lr = 1e-2,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16},
      statePrecision = StatePrecision.PARAMETER)
  interface PureKahan extends SgdMomentumSpec {}

  /** Pure 16-bit, without Kahan compensation. */
  @Optimizer(name = "SgdMomentumPure", decay = WeightDecay.L2, lr = 1e-2,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16},
      statePrecision = StatePrecision.PARAMETER, kahan = Kahan.OFF)
  interface Pure extends SgdMomentumSpec {}
}
