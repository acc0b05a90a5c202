package io.github.optkernels.cluster.specs;

import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.WeightDecay;

/** {@code torch.optim.AdamW}: decoupled weight decay {@code p ← p·(1 − lr·λ)}, torch's default λ = 0.01. */
@Optimizer(decay = WeightDecay.DECOUPLED, lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8,
    weightDecay = 0.01)
public interface AdamWSpec {}
