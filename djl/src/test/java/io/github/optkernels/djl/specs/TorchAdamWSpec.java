package io.github.optkernels.djl.specs;

import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.WeightDecay;

/**
 * PyTorch's {@code torch.optim.AdamW} (and its fused AdamW): decoupled weight decay
 * {@code p ← p·(1 − lr·λ)}, and ε added after the bias-corrected √v ({@code OUTSIDE_CORRECTED_SQRT},
 * the default), torch's defaults. Not DJL's AdamW, which puts ε on the raw √v.
 */
@Optimizer(name = "TorchAdamW", decay = WeightDecay.DECOUPLED, lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8,
    weightDecay = 0.01)
public interface TorchAdamWSpec {}
