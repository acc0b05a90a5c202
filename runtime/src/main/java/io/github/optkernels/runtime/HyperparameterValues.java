package io.github.optkernels.runtime;

/**
 * The hyperparameter values one step is prepared with ({@link StepKernel#prepare}): read-only
 * access by identity, plus an accessor per built-in hyperparameter.
 *
 * <p>Two kinds exist. {@link Hyperparameters}, immutable, is what a caller who prepares a kernel
 * directly passes: {@code lr()} is its learning rate. For a step of an optimizer, the runtime
 * passes its own per-group view: the group's hyperparameters, with {@code lr()} the learning rate
 * the group's schedule gives this step and {@code maxLr()} the resolved {@code max_lr} (the one
 * set, else the schedule's peak). That view is reused from step to step, so a scheduled step
 * allocates nothing: a kernel reads it during {@code prepare} and keeps no reference to it.
 */
public interface HyperparameterValues {

  /**
   * The value of {@code hyperparameter} ({@code int} ones as exact doubles).
   *
   * @throws IllegalArgumentException if these values have none for it
   */
  double value(Hyperparameter hyperparameter);

  /** Learning rate. */
  default double lr() {
    return value(Hyperparameter.LR);
  }

  /** First-moment decay β1. */
  default double beta1() {
    return value(Hyperparameter.BETA1);
  }

  /** Second-moment decay β2. */
  default double beta2() {
    return value(Hyperparameter.BETA2);
  }

  /** Denominator constant ε. */
  default double eps() {
    return value(Hyperparameter.EPS);
  }

  /** Constant inside the square root, ε_root. */
  default double epsRoot() {
    return value(Hyperparameter.EPS_ROOT);
  }

  /** Weight-decay coefficient λ. */
  default double weightDecay() {
    return value(Hyperparameter.WEIGHT_DECAY);
  }

  /** {@code max_lr} of fully decoupled decay, or NaN when not set. */
  default double maxLr() {
    return value(Hyperparameter.MAX_LR);
  }

  /** ψ of NAdam's momentum schedule. */
  default double momentumDecay() {
    return value(Hyperparameter.MOMENTUM_DECAY);
  }

  /** K of the Adam-2k warm-up. */
  default int varianceWarmupSteps() {
    return (int) value(Hyperparameter.VARIANCE_WARMUP_STEPS);
  }
}
