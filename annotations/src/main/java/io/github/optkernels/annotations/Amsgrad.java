package io.github.optkernels.annotations;

/**
 * AMSGrad: use a running maximum of the second moment in the denominator. Implementations
 * disagree on whether the maximum is taken before or after bias correction.
 */
public enum Amsgrad {
  /** No running maximum: the denominator uses {@code v} itself. */
  OFF,

  /**
   * Maximum of the uncorrected second moment, bias-corrected afterwards
   * ({@code torch.optim.Adam(amsgrad=True)}): {@code v_max ← max(v_max, v)}, denominator from
   * {@code v_max / (1 − β2^t)}.
   */
  MAX_OF_RAW,

  /**
   * Maximum of the bias-corrected second moment ({@code optax.amsgrad}):
   * {@code v_max ← max(v_max, v / (1 − β2^t))}, denominator from {@code v_max} directly.
   */
  MAX_OF_CORRECTED
}
