package io.github.optkernels.runtime;

/**
 * What a step does when a gradient it is about to read holds NaN or ±Infinity. The gradients
 * are scanned before anything is written, so under {@link #REFUSE} and {@link #SKIP} a bad
 * gradient changes no parameter and no state.
 */
public enum NonFiniteGradients {
  /**
   * The default: the step is refused with a {@link NonFiniteGradientException} naming the first
   * bad tensor (in registration order) and element; nothing is written and no counter moves.
   */
  REFUSE,
  /**
   * The step is skipped and counted ({@link KernelOptimizer#skippedSteps()}), as mixed-precision
   * training does when a loss scale overflows: nothing is written, step counts and schedule
   * positions stay where they were.
   */
  SKIP,
  /** No scan: the step reads whatever is there (NaN then spreads into parameters and state). */
  UNCHECKED
}
