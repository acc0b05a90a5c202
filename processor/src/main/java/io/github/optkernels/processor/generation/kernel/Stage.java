package io.github.optkernels.processor.generation.kernel;

/** The fixed order of the per-element statements in every loop of the kernel skeleton. */
public enum Stage {
  /** Read the gradient (negated when maximizing) and, if needed, the parameter. */
  LOAD,
  /** Modify the gradient (L2 weight decay). */
  GRADIENT,
  /** Scale the parameter (decoupled weight decay). */
  DECAY,
  /** First moment {@code m}. */
  FIRST_MOMENT,
  /** Second moment {@code v}. */
  SECOND_MOMENT,
  /** AMSGrad running maximum {@code vMax}. */
  MAXIMUM,
  /** Write the moments back. */
  STORE_STATE,
  /** Denominator {@code d}. */
  DENOMINATOR,
  /** The step's additive update {@code u}. */
  UPDATE,
  /** Write the parameter. */
  STORE_PARAM
}
