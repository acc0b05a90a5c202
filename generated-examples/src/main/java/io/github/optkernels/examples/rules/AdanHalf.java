package io.github.optkernels.examples.rules;

import io.github.optkernels.annotations.Kahan;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.Precision;
import io.github.optkernels.annotations.StatePrecision;
import io.github.optkernels.annotations.WeightDecay;

/**
 * {@code adan} with bf16 and fp16 parameters, in the four storage configurations the
 * conformance set runs. Each nested spec takes its rule from {@link AdanSpec}, which it extends.
 */
final class AdanHalf {
  private AdanHalf() {}

  /** 16-bit parameters, float32 state, Kahan-compensated updates (the 16-bit default). */
  @Optimizer(name = "AdanMixedKahan", decay = WeightDecay.PROXIMAL, lr = 1e-3, beta1 = 0.98, beta2 = 0.92, eps = 1e-8,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16})
  interface MixedKahan extends AdanSpec {}

  /** 16-bit parameters, float32 state; each update rounded once into the parameter. */
  @Optimizer(name = "AdanMixed", decay = WeightDecay.PROXIMAL, lr = 1e-3, beta1 = 0.98, beta2 = 0.92, eps = 1e-8,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16},
      kahan = Kahan.OFF)
  interface Mixed extends AdanSpec {}

  /** Pure 16-bit: state in the parameter's type too; Kahan-compensated updates. */
  @Optimizer(name = "AdanPureKahan", decay = WeightDecay.PROXIMAL, lr = 1e-3, beta1 = 0.98, beta2 = 0.92, eps = 1e-8,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16},
      statePrecision = StatePrecision.PARAMETER)
  interface PureKahan extends AdanSpec {}

  /** Pure 16-bit, without Kahan compensation. */
  @Optimizer(name = "AdanPure", decay = WeightDecay.PROXIMAL, lr = 1e-3, beta1 = 0.98, beta2 = 0.92, eps = 1e-8,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16},
      statePrecision = StatePrecision.PARAMETER, kahan = Kahan.OFF)
  interface Pure extends AdanSpec {}
}
