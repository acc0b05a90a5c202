package io.github.optkernels.examples.variants;

import io.github.optkernels.annotations.EpsPlacement;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.Rectification;
import io.github.optkernels.annotations.RectifyThreshold;
import io.github.optkernels.annotations.SecondMoment;
import io.github.optkernels.annotations.WeightDecay;

/**
 * adabelief-pytorch 0.2.1 {@code AdaBelief(weight_decouple=True, rectify=True,
 * degenerated_to_sgd=True)}: belief second moment with eps in the state, rectified at
 * {@code ρ_t ≥ 5}, eps on the uncorrected sqrt; its default eps 1e-16.
 */
@Optimizer(
    secondMoment = SecondMoment.BELIEF,
    rectify = Rectification.RADAM_SGD_FALLBACK,
    rectifyThreshold = RectifyThreshold.RHO_AT_LEAST_5,
    epsPlacement = EpsPlacement.OUTSIDE_RAW_SQRT,
    decay = WeightDecay.DECOUPLED,
    lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-16)
public interface AdaBeliefSpec {}
