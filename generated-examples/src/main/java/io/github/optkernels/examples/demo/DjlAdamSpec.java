package io.github.optkernels.examples.demo;

import io.github.optkernels.annotations.EpsPlacement;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.WeightDecay;

/**
 * DJL's own {@code Optimizer.adam()}, for the demo's DJL part ({@link DjlTrainingExperiment}): L2
 * weight decay, and ε added to the raw √v (DJL scales the learning rate by
 * √(1 − β2^t)/(1 − β1^t) and divides by √v + ε), which is {@code OUTSIDE_RAW_SQRT}.
 */
@Optimizer(name = "DjlAdam", decay = WeightDecay.L2, epsPlacement = EpsPlacement.OUTSIDE_RAW_SQRT, lr = 1e-3,
    beta1 = 0.9, beta2 = 0.999, eps = 1e-8)
interface DjlAdamSpec {}
