package io.github.optkernels.annotations;

/**
 * RAdam's variance rectification. With {@code ρ∞ = 2/(1 − β2) − 1} and
 * {@code ρ_t = ρ∞ − 2·t·β2^t/(1 − β2^t)}, a step is <em>rectified</em> when ρ_t passes the
 * {@link RectifyThreshold threshold}; it then multiplies the adaptive step by
 * {@code r_t = sqrt((ρ_t − 4)(ρ_t − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρ_t))}. The choice between the
 * rectified and the un-rectified update is made once per step, outside the element loop.
 */
public enum Rectification {
  /** No rectification: every step is the adaptive Adam step ({@code r_t = 1}). */
  NONE,

  /**
   * {@code torch.optim.RAdam}: while ρ_t is below the threshold, take the un-adapted
   * SGD-with-momentum step {@code p ← p − lr·m̂} (NESTEROV: the same numerator without the
   * denominator).
   */
  RADAM_SGD_FALLBACK,

  /**
   * Official RAdam with {@code degenerated_to_sgd=False}: while ρ_t is below the threshold the
   * parameter does not change at all (no update, no decoupled weight decay); the step count and
   * the moments still update.
   */
  RADAM_SKIP_UPDATE
}
