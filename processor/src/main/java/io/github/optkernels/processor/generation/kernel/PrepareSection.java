package io.github.optkernels.processor.generation.kernel;

/**
 * The fixed order of {@code prepare}'s sections. The skeleton declares the shared locals
 * ({@code beta2, beta2Power, bc2, eps} before the warm-up check; {@code tau, lr, beta1,
 * beta1Power, bc1} after it) and returns early on Adam-2k warm-up steps.
 */
public enum PrepareSection {
  /** Scalars of the second moment and its maximum: needed on every step, warm-up included. */
  SECOND_MOMENT,
  /** Scalars that modify the gradient (L2): needed on every step. */
  GRADIENT,
  /** First-moment scalars (after the warm-up check). */
  FIRST_MOMENT,
  /** The phase decision (rectification); the skeleton picks ADAPTIVE when this is empty. */
  PHASE,
  /** Numerator weights (NAdam's μ schedule). */
  NUMERATOR,
  /** Denominator constants, decay factors, step sizes. */
  STEP,
  /** A user-written rule's per-step values and the scalars its element rule reads. */
  RULE
}
