package io.github.optkernels.runtime;

/**
 * Which element loop a step runs. A kernel decides this once per step, from the step count and
 * the hyperparameters, so no element loop contains a branch on it.
 */
public enum StepPhase {
  /** Adam-2k warm-up ({@code t ≤ K}): only the second moment (and its AMSGrad maximum) changes. */
  VARIANCE_WARMUP,
  /** RAdam without SGD fallback, before rectification engages: moments change, the parameter does not. */
  MOMENTS_ONLY,
  /** RAdam before rectification engages: the un-adapted SGD-with-momentum update. */
  UNADAPTED,
  /** The adaptive update (rectified, when the spec rectifies). */
  ADAPTIVE
}
