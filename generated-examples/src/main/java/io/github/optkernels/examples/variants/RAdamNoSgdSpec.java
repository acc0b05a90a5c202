package io.github.optkernels.examples.variants;

import io.github.optkernels.annotations.EpsPlacement;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.Rectification;
import io.github.optkernels.annotations.RectifyThreshold;
import io.github.optkernels.annotations.WeightDecay;

/**
 * RAdam without the un-rectified step (official RAdam, {@code degenerated_to_sgd=False}) with
 * torch's formulas: the parameter stays put until {@code ρ_t > 5}; moments update throughout.
 */
@Optimizer(
    rectify = Rectification.RADAM_SKIP_UPDATE,
    rectifyThreshold = RectifyThreshold.RHO_ABOVE_5,
    epsPlacement = EpsPlacement.OUTSIDE_RAW_SQRT,
    decay = WeightDecay.L2,
    lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8)
public interface RAdamNoSgdSpec {}
