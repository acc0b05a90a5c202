package io.github.optkernels.runtime;

import java.util.Objects;

/**
 * The run-time numbers of an optimizer: immutable, validated on construction. Change one with a
 * {@code with...} method, which returns a new validated instance; an invalid value throws
 * {@link IllegalArgumentException} naming the hyperparameter, and nothing changes.
 *
 * <p>Which of them a given optimizer uses is decided by its spec ({@link SpecInfo}); the generated
 * builder only exposes those. The learning rate may be 0 (warm-up from zero, pauses): the state
 * still updates, only the parameter update vanishes.
 *
 * <p>Sealed rather than final: the runtime's own per-step view ({@code StepHyperparameters}, the
 * step's scheduled learning rate and resolved {@code max_lr} in a reused object, so a scheduled
 * step allocates nothing) is the only subclass; every instance users create is immutable.
 */
public sealed class Hyperparameters permits StepHyperparameters {
  private final double lr;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double epsRoot;
  private final double weightDecay;
  private final double maxLr;
  private final double momentumDecay;
  private final int varianceWarmupSteps;

  /**
   * Creates validated hyperparameters.
   *
   * @param lr learning rate, finite, ≥ 0
   * @param beta1 first-moment decay, in [0, 1)
   * @param beta2 second-moment decay, in [0, 1)
   * @param eps denominator constant, finite, ≥ 0
   * @param epsRoot constant inside the square root, finite, ≥ 0
   * @param weightDecay weight-decay coefficient λ, finite, ≥ 0
   * @param maxLr {@code max_lr} of fully decoupled decay, finite and &gt; 0, or NaN for "not set"
   * @param momentumDecay ψ of NAdam's momentum schedule, finite, ≥ 0
   * @param varianceWarmupSteps K of the Adam-2k warm-up, ≥ 0
   */
  public Hyperparameters(double lr, double beta1, double beta2, double eps, double epsRoot,
      double weightDecay, double maxLr, double momentumDecay, int varianceWarmupSteps) {
    this.lr = nonNegative("lr", lr);
    this.beta1 = unitInterval("beta1", beta1);
    this.beta2 = unitInterval("beta2", beta2);
    this.eps = nonNegative("eps", eps);
    this.epsRoot = nonNegative("epsRoot", epsRoot);
    this.weightDecay = nonNegative("weightDecay", weightDecay);
    if (!Double.isNaN(maxLr) && !(maxLr > 0 && maxLr < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("maxLr must be finite and > 0 (or NaN for not set), got " + maxLr);
    }
    this.maxLr = maxLr;
    this.momentumDecay = nonNegative("momentumDecay", momentumDecay);
    if (varianceWarmupSteps < 0) {
      throw new IllegalArgumentException("varianceWarmupSteps must be >= 0, got " + varianceWarmupSteps);
    }
    this.varianceWarmupSteps = varianceWarmupSteps;
  }

  private static double nonNegative(String name, double value) {
    if (!(value >= 0 && value < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(name + " must be finite and >= 0, got " + value);
    }
    return value;
  }

  private static double unitInterval(String name, double value) {
    if (!(value >= 0 && value < 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
    }
    return value;
  }

  /** Learning rate. */
  public double lr() {
    return lr;
  }

  /** First-moment decay β1. */
  public double beta1() {
    return beta1;
  }

  /** Second-moment decay β2. */
  public double beta2() {
    return beta2;
  }

  /** Denominator constant ε. */
  public double eps() {
    return eps;
  }

  /** Constant inside the square root, ε_root. */
  public double epsRoot() {
    return epsRoot;
  }

  /** Weight-decay coefficient λ. */
  public double weightDecay() {
    return weightDecay;
  }

  /** {@code max_lr} of fully decoupled decay, or NaN when not set. */
  public double maxLr() {
    return maxLr;
  }

  /** ψ of NAdam's momentum schedule. */
  public double momentumDecay() {
    return momentumDecay;
  }

  /** K of the Adam-2k warm-up. */
  public int varianceWarmupSteps() {
    return varianceWarmupSteps;
  }

  /** A copy with another learning rate. */
  public Hyperparameters withLr(double value) {
    return new Hyperparameters(value, beta1, beta2, eps, epsRoot, weightDecay, maxLr, momentumDecay, varianceWarmupSteps);
  }

  /** A copy with another β1. */
  public Hyperparameters withBeta1(double value) {
    return new Hyperparameters(lr, value, beta2, eps, epsRoot, weightDecay, maxLr, momentumDecay, varianceWarmupSteps);
  }

  /** A copy with another β2. */
  public Hyperparameters withBeta2(double value) {
    return new Hyperparameters(lr, beta1, value, eps, epsRoot, weightDecay, maxLr, momentumDecay, varianceWarmupSteps);
  }

  /** A copy with another ε. */
  public Hyperparameters withEps(double value) {
    return new Hyperparameters(lr, beta1, beta2, value, epsRoot, weightDecay, maxLr, momentumDecay, varianceWarmupSteps);
  }

  /** A copy with another ε_root. */
  public Hyperparameters withEpsRoot(double value) {
    return new Hyperparameters(lr, beta1, beta2, eps, value, weightDecay, maxLr, momentumDecay, varianceWarmupSteps);
  }

  /** A copy with another weight-decay coefficient. */
  public Hyperparameters withWeightDecay(double value) {
    return new Hyperparameters(lr, beta1, beta2, eps, epsRoot, value, maxLr, momentumDecay, varianceWarmupSteps);
  }

  /** A copy with another {@code max_lr}. */
  public Hyperparameters withMaxLr(double value) {
    return new Hyperparameters(lr, beta1, beta2, eps, epsRoot, weightDecay, value, momentumDecay, varianceWarmupSteps);
  }

  /** A copy with another ψ. */
  public Hyperparameters withMomentumDecay(double value) {
    return new Hyperparameters(lr, beta1, beta2, eps, epsRoot, weightDecay, maxLr, value, varianceWarmupSteps);
  }

  /** A copy with another Adam-2k K. */
  public Hyperparameters withVarianceWarmupSteps(int value) {
    return new Hyperparameters(lr, beta1, beta2, eps, epsRoot, weightDecay, maxLr, momentumDecay, value);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Hyperparameters)) {
      return false;
    }
    Hyperparameters h = (Hyperparameters) o;
    return Double.compare(lr, h.lr) == 0 && Double.compare(beta1, h.beta1) == 0
        && Double.compare(beta2, h.beta2) == 0 && Double.compare(eps, h.eps) == 0
        && Double.compare(epsRoot, h.epsRoot) == 0 && Double.compare(weightDecay, h.weightDecay) == 0
        && Double.compare(maxLr, h.maxLr) == 0 && Double.compare(momentumDecay, h.momentumDecay) == 0
        && varianceWarmupSteps == h.varianceWarmupSteps;
  }

  @Override
  public int hashCode() {
    return Objects.hash(lr, beta1, beta2, eps, epsRoot, weightDecay, maxLr, momentumDecay, varianceWarmupSteps);
  }

  @Override
  public String toString() {
    return "Hyperparameters{lr=" + lr + ", beta1=" + beta1 + ", beta2=" + beta2 + ", eps=" + eps
        + ", epsRoot=" + epsRoot + ", weightDecay=" + weightDecay + ", maxLr=" + maxLr
        + ", momentumDecay=" + momentumDecay + ", varianceWarmupSteps=" + varianceWarmupSteps + '}';
  }
}
