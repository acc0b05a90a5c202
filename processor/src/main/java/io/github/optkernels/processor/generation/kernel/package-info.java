/**
 * The kernel skeleton's features: each file contributes fields (per-step scalars), code for
 * {@code prepare} and per-element statements for one concern — weight decay, first moment,
 * second moment, AMSGrad, rectification, denominator, update. Adding a feature does not touch
 * the others; {@link io.github.optkernels.processor.generation.kernel.KernelPlan} is where they meet.
 */
package io.github.optkernels.processor.generation.kernel;
