package io.github.optkernels.runtime;

/**
 * What a parameter group hands to {@link StepKernel#prepare}: the group's hyperparameters with
 * this step's scheduled learning rate and the resolved {@code max_lr}. One instance per group,
 * rebuilt when the group's hyperparameters or schedule change and only re-pointed ({@link #setLr})
 * on each step, so a step with a schedule allocates nothing. A view, not a {@link Hyperparameters}
 * (which is immutable); it never leaves the runtime except as the argument of {@code prepare}.
 */
final class StepHyperparameters implements HyperparameterValues {
  private final Hyperparameters base;
  private final double resolvedMaxLr;
  private double stepLr;

  /**
   * @param base the group's hyperparameters (validated)
   * @param resolvedMaxLr {@code base.maxLr()} if set, else the schedule's peak; NaN if unused
   */
  StepHyperparameters(Hyperparameters base, double resolvedMaxLr) {
    this.base = base;
    this.resolvedMaxLr = resolvedMaxLr;
    this.stepLr = base.lr();
  }

  /** Sets the learning rate of the step about to be prepared (finite, ≥ 0: schedules guarantee it). */
  void setLr(double lr) {
    stepLr = lr;
  }

  @Override
  public double value(Hyperparameter hyperparameter) {
    if (hyperparameter == Hyperparameter.LR) {
      return stepLr;
    }
    if (hyperparameter == Hyperparameter.MAX_LR) {
      return resolvedMaxLr;
    }
    return base.value(hyperparameter);
  }

  @Override
  public double lr() {
    return stepLr;
  }

  @Override
  public double maxLr() {
    return resolvedMaxLr;
  }

  @Override
  public String toString() {
    return "step of " + base + " with lr=" + stepLr + ", resolved maxLr=" + resolvedMaxLr;
  }
}
