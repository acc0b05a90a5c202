package io.github.optkernels.processor.generation.kernel;

import io.github.optkernels.processor.generation.ir.ElementLoop;

/**
 * One concern of the kernel (weight decay, a moment rule, AMSGrad, ...), stated once as kernel
 * IR: its per-step scalars in {@link #plan}, its per-element statements in {@link #element}. The
 * skeleton asks every feature for every stage of every phase's loop; a feature with nothing to
 * say there adds nothing. What the loops read and write, and the math in the Javadoc, are derived
 * from what features add.
 */
public interface KernelFeature {

  /** Adds per-step scalars, {@code prepare} statements, step-size factors and extra members. */
  void plan(KernelPlan plan);

  /** Adds the statements of {@code stage} to {@code loop} (whose phase says which loop it is). */
  void element(Stage stage, ElementLoop loop, KernelPlan plan);
}
