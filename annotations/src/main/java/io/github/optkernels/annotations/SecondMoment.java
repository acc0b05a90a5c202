package io.github.optkernels.annotations;

/** What the second moment {@code v} (AdaBelief: {@code s}) tracks. */
public enum SecondMoment {
  /** EMA of the squared gradient (Adam): {@code v ← β2·v + (1 − β2)·g²}. State name {@code exp_avg_sq}. */
  SQUARED_GRADIENT,

  /**
   * EMA of the squared deviation from the (new) first moment, with ε accumulated into the
   * stored state on every step, exactly as adabelief-pytorch 0.2.1 does:
   * {@code s ← β2·s + (1 − β2)·(g − m)² + ε}. State name {@code exp_avg_var}.
   */
  BELIEF,

  /**
   * EMA of the squared deviation from the (new) first moment without adding ε into the state:
   * {@code s ← β2·s + (1 − β2)·(g − m)²}. State name {@code exp_avg_var}.
   */
  BELIEF_WITHOUT_STATE_EPS
}
