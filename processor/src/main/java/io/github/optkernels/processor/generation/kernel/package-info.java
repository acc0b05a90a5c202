/**
 * The kernel skeleton's features: each file states one concern — weight decay, first moment,
 * second moment, AMSGrad, rectification, denominator, update — once, as kernel IR: per-step
 * scalars for {@code prepare} and per-element statements for each phase's loop. Adding a feature
 * does not touch the others; {@link io.github.optkernels.processor.generation.kernel.KernelPlan}
 * is where they meet and {@link io.github.optkernels.processor.generation.kernel.KernelIr} puts
 * the IR together.
 */
package io.github.optkernels.processor.generation.kernel;
