package io.github.optkernels.examples.rules;

import io.github.optkernels.annotations.Kahan;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.Precision;
import io.github.optkernels.annotations.StatePrecision;
import io.github.optkernels.annotations.WeightDecay;

/**
 * {@code adamax} with bf16 and fp16 parameters, in the four storage configurations the
 * conformance set runs. Each nested spec takes its rule from {@link AdamaxSpec}, which it extends.
 */
final class AdamaxHalf {
  private AdamaxHalf() {}

  /** 16-bit parameters, float32 state, Kahan-compensated updates (the 16-bit default). */
  @Optimizer(name = "AdamaxMixedKahan", decay = WeightDecay.L2, lr = 2e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16})
  interface MixedKahan extends AdamaxSpec {}

  /** 16-bit parameters, float32 state; each update rounded once into the parameter. */
  @Optimizer(name = "AdamaxMixed", decay = WeightDecay.L2, lr = 2e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16},
      kahan = Kahan.OFF)
  interface Mixed extends AdamaxSpec {}

  /** Pure 16-bit: state in the parameter's type too; Kahan-compensated updates. */
  @Optimizer(name = "AdamaxPureKahan", decay = WeightDecay.L2, lr = 2e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16},
      statePrecision = StatePrecision.PARAMETER)
  interface PureKahan extends AdamaxSpec {}

  /** Pure 16-bit, without Kahan compensation. */
  @Optimizer(name = "AdamaxPure", decay = WeightDecay.L2, lr = 2e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16},
      statePrecision = StatePrecision.PARAMETER, kahan = Kahan.OFF)
  interface Pure extends AdamaxSpec {}
}
