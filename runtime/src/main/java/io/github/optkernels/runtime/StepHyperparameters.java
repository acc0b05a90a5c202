package io.github.optkernels.runtime;

/**
 * What a parameter group hands to {@link StepKernel#prepare}: the group's hyperparameters with
 * this step's scheduled learning rate and the resolved {@code max_lr}. One instance per group,
 * rebuilt when the group's hyperparameters or schedule change and only re-pointed ({@link #lr}
 * set) on each step, so a step with a schedule allocates nothing. Never leaves the runtime.
 */
final class StepHyperparameters extends Hyperparameters {
  private final double resolvedMaxLr;
  private double stepLr;

  /**
   * @param base the group's hyperparameters (validated)
   * @param resolvedMaxLr {@code base.maxLr()} if set, else the schedule's peak; NaN if unused
   */
  StepHyperparameters(Hyperparameters base, double resolvedMaxLr) {
    super(base.lr(), base.beta1(), base.beta2(), base.eps(), base.epsRoot(), base.weightDecay(),
        base.maxLr(), base.momentumDecay(), base.varianceWarmupSteps());
    this.resolvedMaxLr = resolvedMaxLr;
    this.stepLr = base.lr();
  }

  /** Sets the learning rate of the step about to be prepared (finite, ≥ 0: schedules guarantee it). */
  void setLr(double lr) {
    stepLr = lr;
  }

  @Override
  public double lr() {
    return stepLr;
  }

  @Override
  public double maxLr() {
    return resolvedMaxLr;
  }
}
