package io.github.optkernels.examples.rules;

import io.github.optkernels.annotations.Kahan;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.Precision;
import io.github.optkernels.annotations.StatePrecision;

/**
 * {@code lamb} with bf16 and fp16 parameters, in the storage configurations the
 * conformance set runs. Each nested spec takes its rule from {@link LambSpec}, which it extends.
 */
final class LambHalf {
  private LambHalf() {}

  /** 16-bit parameters, float32 state, Kahan-compensated updates (the 16-bit default). */
  @Optimizer(name = "LambMixedKahan", lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-6,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16})
  interface MixedKahan extends LambSpec {}

  /** 16-bit parameters, float32 state; each update rounded once into the parameter. */
  @Optimizer(name = "LambMixed", lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-6,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16},
      kahan = Kahan.OFF)
  interface Mixed extends LambSpec {}

  /** Pure 16-bit: state in the parameter's type too; Kahan-compensated updates. */
  @Optimizer(name = "LambPureKahan", lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-6,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16},
      statePrecision = StatePrecision.PARAMETER)
  interface PureKahan extends LambSpec {}

  /** Pure 16-bit, without Kahan compensation. */
  @Optimizer(name = "LambPure", lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-6,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16},
      statePrecision = StatePrecision.PARAMETER, kahan = Kahan.OFF)
  interface Pure extends LambSpec {}
}
