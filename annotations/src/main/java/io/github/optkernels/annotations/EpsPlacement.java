package io.github.optkernels.annotations;

/**
 * Where ε enters the denominator. With {@code v̂ = v/(1 − β2^t)} the bias-corrected second moment
 * (or the AMSGrad maximum in the same form):
 */
public enum EpsPlacement {
  /** After the bias-corrected square root ({@code torch.optim.Adam}, AdamW, NAdam, optimi): {@code denom = sqrt(v̂) + ε}. */
  OUTSIDE_CORRECTED_SQRT,

  /**
   * On the uncorrected square root, with {@code sqrt(1 − β2^t)} folded into the step size
   * ({@code torch.optim.RAdam}, official RAdam, AdaBelief, the seed's {@code optimized_update}):
   * {@code denom = (sqrt(v) + ε)/sqrt(1 − β2^t) = sqrt(v̂) + ε/sqrt(1 − β2^t)}.
   */
  OUTSIDE_RAW_SQRT,

  /**
   * optax's {@code eps_root}: a second constant inside the square root,
   * {@code denom = sqrt(v̂ + ε_root) + ε} (set {@code eps = 0} for a purely inside placement).
   */
  INSIDE_CORRECTED_SQRT
}
