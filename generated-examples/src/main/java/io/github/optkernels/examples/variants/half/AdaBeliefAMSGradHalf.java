package io.github.optkernels.examples.variants.half;

import io.github.optkernels.annotations.Amsgrad;
import io.github.optkernels.annotations.Kahan;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.Precision;
import io.github.optkernels.annotations.SecondMoment;
import io.github.optkernels.annotations.StatePrecision;
import io.github.optkernels.annotations.WeightDecay;

/**
 * {@code adabelief_amsgrad} with bf16 and fp16 parameters, in the four storage configurations the
 * conformance set runs; the options are those of {@code AdaBeliefAMSGradSpec}. Each nested spec is one
 * optimizer with a bf16 and an fp16 kernel.
 */
final class AdaBeliefAMSGradHalf {
  private AdaBeliefAMSGradHalf() {}

  /** 16-bit parameters, float32 moments, Kahan-compensated updates (the 16-bit default). */
  @Optimizer(
      name = "AdaBeliefAMSGradMixedKahan",
      secondMoment = SecondMoment.BELIEF,
      amsgrad = Amsgrad.MAX_OF_RAW,
      decay = WeightDecay.DECOUPLED,
      lr = 1e-3,
      beta1 = 0.9,
      beta2 = 0.999,
      eps = 1e-16,
      precisions = {Precision.BFLOAT16, Precision.FLOAT16})
  interface MixedKahan {}

  /** 16-bit parameters, float32 moments; each update rounded once into the parameter. */
  @Optimizer(
      name = "AdaBeliefAMSGradMixed",
      secondMoment = SecondMoment.BELIEF,
      amsgrad = Amsgrad.MAX_OF_RAW,
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
      name = "AdaBeliefAMSGradPureKahan",
      secondMoment = SecondMoment.BELIEF,
      amsgrad = Amsgrad.MAX_OF_RAW,
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
      name = "AdaBeliefAMSGradPure",
      secondMoment = SecondMoment.BELIEF,
      amsgrad = Amsgrad.MAX_OF_RAW,
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
