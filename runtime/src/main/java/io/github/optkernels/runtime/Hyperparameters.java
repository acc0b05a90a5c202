package io.github.optkernels.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The run-time numbers of an optimizer: immutable, validated on construction. Change one with a
 * {@code with...} method, which returns a new validated instance; an invalid value throws
 * {@link IllegalArgumentException} naming the hyperparameter, and nothing changes.
 *
 * <p>Values are held by identity ({@link Hyperparameter}), in a layout: the built-in
 * hyperparameters ({@link Hyperparameter#BUILT_IN}, always present) followed by any a spec
 * declares ({@link #builder(List)}). Which of them a given optimizer uses is decided by its spec
 * ({@link SpecInfo}); the generated builder only exposes those. The learning rate may be 0
 * (warm-up from zero, pauses): the state still updates, only the parameter update vanishes.
 */
public final class Hyperparameters implements HyperparameterValues {
  /** The layout of instances without declared hyperparameters. */
  private static final Hyperparameter[] BUILT_IN_LAYOUT = Hyperparameter.BUILT_IN.toArray(new Hyperparameter[0]);

  /** Built-in hyperparameters first, in {@link Hyperparameter#BUILT_IN} order; shared, never written. */
  private final Hyperparameter[] layout;
  /** One value per layout position; never written after construction. */
  private final double[] values;

  /**
   * Creates validated values of the built-in hyperparameters (the order of
   * {@link Hyperparameter#BUILT_IN}).
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
   * @throws IllegalArgumentException naming the first value outside its domain
   */
  public Hyperparameters(double lr, double beta1, double beta2, double eps, double epsRoot,
      double weightDecay, double maxLr, double momentumDecay, int varianceWarmupSteps) {
    this(BUILT_IN_LAYOUT, checked(BUILT_IN_LAYOUT,
        new double[] {lr, beta1, beta2, eps, epsRoot, weightDecay, maxLr, momentumDecay, varianceWarmupSteps}));
  }

  private Hyperparameters(Hyperparameter[] layout, double[] values) {
    this.layout = layout;
    this.values = values;
  }

  private static double[] checked(Hyperparameter[] layout, double[] values) {
    for (int i = 0; i < layout.length; i++) {
      layout[i].check(values[i]);
    }
    return values;
  }

  /** A builder for the built-in hyperparameters; every one must be set. */
  public static Builder builder() {
    return new Builder(BUILT_IN_LAYOUT);
  }

  /**
   * A builder for the built-in hyperparameters and {@code declared} ones (a spec's own, in the
   * spec's order); every one must be set.
   *
   * @throws IllegalArgumentException if {@code declared} names a built-in one or one name twice
   */
  public static Builder builder(List<Hyperparameter> declared) {
    Hyperparameter[] layout = Arrays.copyOf(BUILT_IN_LAYOUT, BUILT_IN_LAYOUT.length + declared.size());
    Set<String> names = new HashSet<>();
    for (Hyperparameter h : Hyperparameter.BUILT_IN) {
      names.add(h.name());
    }
    for (int i = 0; i < declared.size(); i++) {
      Hyperparameter h = Objects.requireNonNull(declared.get(i), "declared hyperparameter");
      if (h.isBuiltIn() || !names.add(h.name())) {
        throw new IllegalArgumentException("hyperparameter " + h + " is declared twice (or is built in)");
      }
      layout[BUILT_IN_LAYOUT.length + i] = h;
    }
    return new Builder(layout);
  }

  /** Collects one value per hyperparameter of a layout; each is checked when set. */
  public static final class Builder {
    private final Hyperparameter[] layout;
    private final double[] values;
    private final boolean[] set;

    private Builder(Hyperparameter[] layout) {
      this.layout = layout;
      this.values = new double[layout.length];
      this.set = new boolean[layout.length];
    }

    /**
     * Sets one value.
     *
     * @throws IllegalArgumentException naming the hyperparameter if the value is outside its
     *     domain, or if the layout has no such hyperparameter
     */
    public Builder set(Hyperparameter hyperparameter, double value) {
      int i = indexOf(layout, hyperparameter);
      values[i] = hyperparameter.check(value);
      set[i] = true;
      return this;
    }

    /**
     * The hyperparameters.
     *
     * @throws IllegalArgumentException naming a hyperparameter that was not set
     */
    public Hyperparameters build() {
      for (int i = 0; i < layout.length; i++) {
        if (!set[i]) {
          throw new IllegalArgumentException(layout[i] + " is not set");
        }
      }
      return new Hyperparameters(layout, values.clone());
    }
  }

  private static int indexOf(Hyperparameter[] layout, Hyperparameter hyperparameter) {
    if (hyperparameter.builtInIndex >= 0) {
      return hyperparameter.builtInIndex;
    }
    for (int i = BUILT_IN_LAYOUT.length; i < layout.length; i++) {
      if (layout[i].equals(hyperparameter)) {
        return i;
      }
    }
    throw new IllegalArgumentException("no hyperparameter " + hyperparameter + " here; these are "
        + Arrays.toString(layout));
  }

  /** Every hyperparameter these values are for: the built-in ones, then the declared ones. */
  public List<Hyperparameter> hyperparameters() {
    return List.of(layout);
  }

  /** Whether these values include {@code hyperparameter}. */
  public boolean has(Hyperparameter hyperparameter) {
    return hyperparameter.isBuiltIn() || Arrays.asList(layout).contains(hyperparameter);
  }

  @Override
  public double value(Hyperparameter hyperparameter) {
    return values[indexOf(layout, hyperparameter)];
  }

  /**
   * A copy with another value of {@code hyperparameter}.
   *
   * @throws IllegalArgumentException naming the hyperparameter if the value is outside its
   *     domain, or if these values have no such hyperparameter
   */
  public Hyperparameters with(Hyperparameter hyperparameter, double value) {
    int i = indexOf(layout, hyperparameter);
    double[] copy = values.clone();
    copy[i] = hyperparameter.check(value);
    return new Hyperparameters(layout, copy);
  }

  /** A copy with another learning rate. */
  public Hyperparameters withLr(double value) {
    return with(Hyperparameter.LR, value);
  }

  /** A copy with another β1. */
  public Hyperparameters withBeta1(double value) {
    return with(Hyperparameter.BETA1, value);
  }

  /** A copy with another β2. */
  public Hyperparameters withBeta2(double value) {
    return with(Hyperparameter.BETA2, value);
  }

  /** A copy with another ε. */
  public Hyperparameters withEps(double value) {
    return with(Hyperparameter.EPS, value);
  }

  /** A copy with another ε_root. */
  public Hyperparameters withEpsRoot(double value) {
    return with(Hyperparameter.EPS_ROOT, value);
  }

  /** A copy with another weight-decay coefficient. */
  public Hyperparameters withWeightDecay(double value) {
    return with(Hyperparameter.WEIGHT_DECAY, value);
  }

  /** A copy with another {@code max_lr}. */
  public Hyperparameters withMaxLr(double value) {
    return with(Hyperparameter.MAX_LR, value);
  }

  /** A copy with another ψ. */
  public Hyperparameters withMomentumDecay(double value) {
    return with(Hyperparameter.MOMENTUM_DECAY, value);
  }

  /** A copy with another Adam-2k K. */
  public Hyperparameters withVarianceWarmupSteps(int value) {
    return with(Hyperparameter.VARIANCE_WARMUP_STEPS, value);
  }

  /** Equal when the layouts are and every value is the same double ({@link Double#compare}). */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Hyperparameters)) {
      return false;
    }
    Hyperparameters h = (Hyperparameters) o;
    return Arrays.equals(layout, h.layout) && Arrays.equals(values, h.values);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(layout) + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>(layout.length);
    for (int i = 0; i < layout.length; i++) {
      parts.add(layout[i] + "=" + layout[i].format(values[i]));
    }
    return "Hyperparameters{" + String.join(", ", parts) + '}';
  }
}
