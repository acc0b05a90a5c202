package io.github.optkernels.annotations;

/** How the weight-decay coefficient {@code λ} acts. */
public enum WeightDecay {
  /** No weight decay; the {@code weightDecay} hyperparameter does not exist for this spec. */
  NONE,

  /** L2 penalty added to the gradient (Adam): {@code g ← g + λ·p}, using {@code p} before this step. */
  L2,

  /** Decoupled (AdamW): {@code p ← p·(1 − lr·λ)} at the start of the step; {@code g} unchanged. */
  DECOUPLED,

  /**
   * Fully decoupled (optimi {@code decouple_lr=True}): {@code p ← p·(1 − λ·lr/max_lr)}, so a
   * learning-rate schedule does not change the effective decay. {@code max_lr} defaults to the
   * initial learning rate.
   */
  FULLY_DECOUPLED,

  /**
   * Proximal (Adan): {@code p ← (p + u) / (1 + lr·λ)}, a division after the step's update, stored
   * separately (Kahan compensation covers the update, not the division). Only for a spec with a
   * {@link Rule}.
   */
  PROXIMAL
}
