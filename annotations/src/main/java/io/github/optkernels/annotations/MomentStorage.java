package io.github.optkernels.annotations;

/**
 * The form in which the moments are stored. It changes what the state (and a checkpoint) holds,
 * not the trajectory: both forms produce the same parameters up to rounding.
 */
public enum MomentStorage {
  /** Raw EMAs {@code m = β1·m + (1 − β1)·g}, {@code v = β2·v + (1 − β2)·g²}, corrected when used (PyTorch). */
  RAW,

  /**
   * Bias-corrected ("debiased") moments, as optimi keeps them: the EMAs use step-dependent
   * betas {@code β̂_t = (β^t − β)/(β^t − 1)}, so the stored {@code m = m_raw/(1 − β1^t)} and
   * {@code v = v_raw/(1 − β2^t)}; AMSGrad's maximum is stored in the corrected form too.
   */
  BIAS_CORRECTED
}
