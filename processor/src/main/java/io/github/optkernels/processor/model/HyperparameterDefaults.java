package io.github.optkernels.processor.model;

/**
 * The defaults the generated builder starts from (validated: betas in [0, 1), lr &gt; 0, ...).
 *
 * @param maxLr NaN when not set (the builder then uses the initial lr)
 */
public record HyperparameterDefaults(
    double lr,
    double beta1,
    double beta2,
    double eps,
    double epsRoot,
    double weightDecay,
    double maxLr,
    double momentumDecay,
    int varianceWarmupSteps) {}
