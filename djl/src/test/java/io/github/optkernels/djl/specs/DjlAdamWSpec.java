package io.github.optkernels.djl.specs;

import io.github.optkernels.annotations.EpsPlacement;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.WeightDecay;

/**
 * DJL's own {@code Optimizer.adamW()}: decoupled weight decay as in PyTorch, but ε added to the raw
 * √v as in DJL's Adam ({@code OUTSIDE_RAW_SQRT}), so not PyTorch's AdamW ({@link TorchAdamWSpec}).
 */
@Optimizer(name = "DjlAdamW", decay = WeightDecay.DECOUPLED, epsPlacement = EpsPlacement.OUTSIDE_RAW_SQRT, lr = 1e-3,
    beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0.01)
public interface DjlAdamWSpec {}
