package io.github.optkernels.djl.specs;

import io.github.optkernels.annotations.EpsPlacement;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.SecondMoment;
import io.github.optkernels.annotations.WeightDecay;

/** AdaBelief (the belief second moment, decoupled decay), which DJL does not have. */
@Optimizer(
    secondMoment = SecondMoment.BELIEF,
    epsPlacement = EpsPlacement.OUTSIDE_RAW_SQRT,
    decay = WeightDecay.DECOUPLED,
    lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-16)
public interface AdaBeliefSpec {}
