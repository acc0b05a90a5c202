package io.github.optkernels.examples.variants;

import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.WeightDecay;

/** {@code torch.optim.Adam}: L2 weight decay, eps after the bias-corrected sqrt. */
@Optimizer(decay = WeightDecay.L2, lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8)
public interface AdamSpec {}
