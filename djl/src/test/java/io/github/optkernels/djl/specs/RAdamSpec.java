package io.github.optkernels.djl.specs;

import io.github.optkernels.annotations.EpsPlacement;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.Rectification;
import io.github.optkernels.annotations.RectifyThreshold;
import io.github.optkernels.annotations.WeightDecay;

/** {@code torch.optim.RAdam}, which DJL does not have: SGD-with-momentum steps until {@code ρ_t > 5}. */
@Optimizer(
    rectify = Rectification.RADAM_SGD_FALLBACK,
    rectifyThreshold = RectifyThreshold.RHO_ABOVE_5,
    epsPlacement = EpsPlacement.OUTSIDE_RAW_SQRT,
    decay = WeightDecay.L2,
    lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8)
public interface RAdamSpec {}
