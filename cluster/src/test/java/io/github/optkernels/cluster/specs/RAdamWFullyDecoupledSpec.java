package io.github.optkernels.cluster.specs;

import io.github.optkernels.annotations.MomentStorage;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.Rectification;
import io.github.optkernels.annotations.WeightDecay;

/**
 * optimi {@code RAdam(decouple_lr=True)}: debiased moments, eps after the sqrt of the corrected
 * second moment, {@code p ← p·(1 − λ·lr/max_lr)}; optimi's defaults betas (0.9, 0.99), eps 1e-6.
 */
@Optimizer(
    rectify = Rectification.RADAM_SGD_FALLBACK,
    momentStorage = MomentStorage.BIAS_CORRECTED,
    decay = WeightDecay.FULLY_DECOUPLED,
    lr = 1e-3, beta1 = 0.9, beta2 = 0.99, eps = 1e-6, weightDecay = 1e-5)
public interface RAdamWFullyDecoupledSpec {}
