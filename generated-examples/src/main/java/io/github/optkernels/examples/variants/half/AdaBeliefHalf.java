package io.github.optkernels.examples.variants.half;

import io.github.optkernels.annotations.EpsPlacement;
import io.github.optkernels.annotations.Kahan;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.Precision;
import io.github.optkernels.annotations.Rectification;
import io.github.optkernels.annotations.RectifyThreshold;
import io.github.optkernels.annotations.SecondMoment;
import io.github.optkernels.annotations.StatePrecision;
import io.github.optkernels.annotations.WeightDecay;

/**
 * {@code adabelief} with bf16 and fp16 parameters, in the four storage configurations the
 * conformance set runs; the options are those of {@code AdaBeliefSpec}. Each nested spec is one
 * optimizer with a bf16 and an fp16 kernel.
 */
final class AdaBeliefHalf {
  private AdaBeliefHalf() {}

  /** 16-bit parameters, float32 moments, Kahan-compensated updates (the 16-bit default). */
  @Optimizer(
      name = "AdaBeliefMixedKahan",
      secondMoment = SecondMoment.BELIEF,
      rectify = Rectification.RADAM_SGD_FALLBACK,
      rectifyThreshold = RectifyThreshold.RHO_AT_LEAST_5,
      epsPlacement = EpsPlacement.OUTSIDE_RAW_SQRT,
      decay = WeightDecay.DECOUPLED,
      lr = 1e-3,
      beta1 = 0.9,
      beta2 = 0.999,
      eps = 1e-16,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16})
  interface MixedKahan {}

  /** 16-bit parameters, float32 moments; each update rounded once into the parameter. */
  @Optimizer(
      name = "AdaBeliefMixed",
      secondMoment = SecondMoment.BELIEF,
      rectify = Rectification.RADAM_SGD_FALLBACK,
      rectifyThreshold = RectifyThreshold.RHO_AT_LEAST_5,
      epsPlacement = EpsPlacement.OUTSIDE_RAW_SQRT,
      decay = WeightDecay.DECOUPLED,
      lr = 1e-3,
      beta1 = 0.9,
      beta2 = 0.999,
      eps = 1e-16,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16},
      kahan = Kahan.OFF)
  interface Mixed {}

  /** Pure 16-bit: moments in the parameter's type too; Kahan-compensated updates. */
  @Optimizer(
      name = "AdaBeliefPureKahan",
      secondMoment = SecondMoment.BELIEF,
      rectify = Rectification.RADAM_SGD_FALLBACK,
      rectifyThreshold = RectifyThreshold.RHO_AT_LEAST_5,
      epsPlacement = EpsPlacement.OUTSIDE_RAW_SQRT,
      decay = WeightDecay.DECOUPLED,
      lr = 1e-3,
      beta1 = 0.9,
      beta2 = 0.999,
      eps = 1e-16,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16},
      statePrecision = StatePrecision.PARAMETER)
  interface PureKahan {}

  /** Pure 16-bit, without Kahan compensation. */
  @Optimizer(
      name = "AdaBeliefPure",
      secondMoment = SecondMoment.BELIEF,
      rectify = Rectification.RADAM_SGD_FALLBACK,
      rectifyThreshold = RectifyThreshold.RHO_AT_LEAST_5,
      epsPlacement = EpsPlacement.OUTSIDE_RAW_SQRT,
      decay = WeightDecay.DECOUPLED,
      lr = 1e-3,
      beta1 = 0.9,
      beta2 = 0.999,
      eps = 1e-16,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16},
      statePrecision = StatePrecision.PARAMETER,
      kahan = Kahan.OFF)
  interface Pure {}
}
