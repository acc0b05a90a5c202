package io.github.optkernels.examples.demo;

import io.github.optkernels.annotations.EpsPlacement;
import io.github.optkernels.annotations.Kahan;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.Precision;
import io.github.optkernels.annotations.WeightDecay;

/**
 * DJL's own {@code Optimizer.adam()}, for the demo's DJL part ({@link DjlTrainingExperiment}): L2
 * weight decay, and ε added to the raw √v (DJL scales the learning rate by
 * √(1 − β2^t)/(1 − β1^t) and divides by √v + ε), which is {@code OUTSIDE_RAW_SQRT}.
 */
@Optimizer(name = "DjlAdam", decay = WeightDecay.L2, epsPlacement = EpsPlacement.OUTSIDE_RAW_SQRT, lr = 1e-3,
    beta1 = 0.9, beta2 = 0.999, eps = 1e-8)
interface DjlAdamSpec {
  /** The same Adam with bf16 parameters and gradients, float32 moments, Kahan-compensated updates. */
  @Optimizer(name = "DjlAdamBf16Kahan", decay = WeightDecay.L2, epsPlacement = EpsPlacement.OUTSIDE_RAW_SQRT,
      lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, precisions = Precision.BFLOAT16)
  interface Bf16Kahan {}

  /** The same with each update rounded to the nearest bf16 (no compensation), to show what Kahan keeps. */
  @Optimizer(name = "DjlAdamBf16Nearest", decay = WeightDecay.L2, epsPlacement = EpsPlacement.OUTSIDE_RAW_SQRT,
      lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, precisions = Precision.BFLOAT16, kahan = Kahan.OFF)
  interface Bf16Nearest {}
}
