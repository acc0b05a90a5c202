package io.github.optkernels.examples.variants.half;

import io.github.optkernels.annotations.Kahan;
import io.github.optkernels.annotations.MomentStorage;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.Precision;
import io.github.optkernels.annotations.Rectification;
import io.github.optkernels.annotations.StatePrecision;
import io.github.optkernels.annotations.WeightDecay;

/**
 * {@code radamw_fully_decoupled} with bf16 and fp16 parameters, in the four storage configurations the
 * conformance set runs; the options are those of {@code RAdamWFullyDecoupledSpec}. Each nested spec is one
 * optimizer with a bf16 and an fp16 kernel.
 */
final class RAdamWFullyDecoupledHalf {
  private RAdamWFullyDecoupledHalf() {}

  /** 16-bit parameters, float32 moments, Kahan-compensated updates (the 16-bit default). */
  @Optimizer(
      name = "RAdamWFullyDecoupledMixedKahan",
      rectify = Rectification.RADAM_SGD_FALLBACK,
      momentStorage = MomentStorage.BIAS_CORRECTED,
      decay = WeightDecay.FULLY_DECOUPLED,
      lr = 1e-3,
      beta1 = 0.9,
      beta2 = 0.99,
      eps = 1e-6,
      weightDecay = 1e-5,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16})
  interface MixedKahan {}

  /** 16-bit parameters, float32 moments; each update rounded once into the parameter. */
  @Optimizer(
      name = "RAdamWFullyDecoupledMixed",
      rectify = Rectification.RADAM_SGD_FALLBACK,
      momentStorage = MomentStorage.BIAS_CORRECTED,
      decay = WeightDecay.FULLY_DECOUPLED,
      lr = 1e-3,
      beta1 = 0.9,
      beta2 = 0.99,
      eps = 1e-6,
      weightDecay = 1e-5,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16},
      kahan = Kahan.OFF)
  interface Mixed {}

  /** Pure 16-bit: moments in the parameter's type too; Kahan-compensated updates. */
  @Optimizer(
      name = "RAdamWFullyDecoupledPureKahan",
      rectify = Rectification.RADAM_SGD_FALLBACK,
      momentStorage = MomentStorage.BIAS_CORRECTED,
      decay = WeightDecay.FULLY_DECOUPLED,
      lr = 1e-3,
      beta1 = 0.9,
      beta2 = 0.99,
      eps = 1e-6,
      weightDecay = 1e-5,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16},
      statePrecision = StatePrecision.PARAMETER)
  interface PureKahan {}

  /** Pure 16-bit, without Kahan compensation. */
  @Optimizer(
      name = "RAdamWFullyDecoupledPure",
      rectify = Rectification.RADAM_SGD_FALLBACK,
      momentStorage = MomentStorage.BIAS_CORRECTED,
      decay = WeightDecay.FULLY_DECOUPLED,
      lr = 1e-3,
      beta1 = 0.9,
      beta2 = 0.99,
      eps = 1e-6,
      weightDecay = 1e-5,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16},
      statePrecision = StatePrecision.PARAMETER,
      kahan = Kahan.OFF)
  interface Pure {}
}
