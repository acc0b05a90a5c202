/**
 * What generated code and users call at run time: {@link io.github.optkernels.runtime.Hyperparameters}
 * (values by {@link io.github.optkernels.runtime.Hyperparameter} identity), the {@link io.github.optkernels.runtime.StepKernel} contract every generated kernel implements,
 * and {@link io.github.optkernels.runtime.KernelOptimizer}, the base of every generated optimizer.
 * Nothing here depends on the annotation processor.
 */
package io.github.optkernels.runtime;
