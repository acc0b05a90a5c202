package io.github.optkernels.runtime;

import java.util.List;
import java.util.Objects;

/**
 * The identity of one run-time hyperparameter: its name, its domain and whether it is a count.
 * The built-in ones are the constants here; they are also the spec annotation's numeric members
 * (the processor reads a spec's defaults by these names), the generated builder's setters, and
 * the names a checkpoint saves values under. A spec's generated code may {@link #declare} more;
 * {@link Hyperparameters} holds a value for every hyperparameter of its layout, built-in ones
 * first, and checks each against its domain.
 *
 * <p>Two hyperparameters are equal when their names and domains are.
 */
public final class Hyperparameter {

  /** The values a hyperparameter may take; a check names the hyperparameter and the value. */
  public enum Domain {
    /** Finite and ≥ 0. */
    NON_NEGATIVE("must be finite and >= 0", false),
    /** In [0, 1) (decay rates). */
    UNIT_INTERVAL("must be in [0, 1)", false),
    /** Finite and &gt; 0, or NaN for "not set". */
    POSITIVE_OR_UNSET("must be finite and > 0 (or NaN for not set)", false),
    /** A count: an {@code int} ≥ 0. */
    COUNT("must be >= 0", true);

    private final String requirement;
    private final boolean integer;

    Domain(String requirement, boolean integer) {
      this.requirement = requirement;
      this.integer = integer;
    }

    /** Whether {@code value} is in this domain. */
    public boolean contains(double value) {
      switch (this) {
        case NON_NEGATIVE:
          return value >= 0 && value < Double.POSITIVE_INFINITY;
        case UNIT_INTERVAL:
          return value >= 0 && value < 1;
        case POSITIVE_OR_UNSET:
          return Double.isNaN(value) || (value > 0 && value < Double.POSITIVE_INFINITY);
        case COUNT:
          return value >= 0 && value <= Integer.MAX_VALUE && value == Math.rint(value);
        default:
          throw new AssertionError(this);
      }
    }

    /** What a value must be, e.g. {@code must be in [0, 1)}. */
    public String requirement() {
      return requirement;
    }

    /** Whether values are {@code int}s (held as doubles, which hold every {@code int} exactly). */
    public boolean integer() {
      return integer;
    }
  }

  /** Learning rate. */
  public static final Hyperparameter LR = new Hyperparameter("lr", Domain.NON_NEGATIVE, "learning rate", 0);
  /** First-moment decay β1. */
  public static final Hyperparameter BETA1 =
      new Hyperparameter("beta1", Domain.UNIT_INTERVAL, "first-moment decay β1, in [0, 1)", 1);
  /** Second-moment decay β2. */
  public static final Hyperparameter BETA2 =
      new Hyperparameter("beta2", Domain.UNIT_INTERVAL, "second-moment decay β2, in [0, 1)", 2);
  /** Denominator constant ε. */
  public static final Hyperparameter EPS = new Hyperparameter("eps", Domain.NON_NEGATIVE, "ε of the denominator", 3);
  /** Constant inside the square root, ε_root. */
  public static final Hyperparameter EPS_ROOT =
      new Hyperparameter("epsRoot", Domain.NON_NEGATIVE, "ε_root inside the square root", 4);
  /** Weight-decay coefficient λ. */
  public static final Hyperparameter WEIGHT_DECAY =
      new Hyperparameter("weightDecay", Domain.NON_NEGATIVE, "weight-decay coefficient λ", 5);
  /** {@code max_lr} of fully decoupled decay; NaN when not set. */
  public static final Hyperparameter MAX_LR =
      new Hyperparameter("maxLr", Domain.POSITIVE_OR_UNSET, "max_lr of fully decoupled decay", 6);
  /** ψ of NAdam's momentum schedule. */
  public static final Hyperparameter MOMENTUM_DECAY =
      new Hyperparameter("momentumDecay", Domain.NON_NEGATIVE, "ψ of NAdam's momentum schedule", 7);
  /** K of the Adam-2k warm-up: the first K steps only update the second moment. */
  public static final Hyperparameter VARIANCE_WARMUP_STEPS = new Hyperparameter("varianceWarmupSteps",
      Domain.COUNT, "K of the Adam-2k warm-up", 8);

  /**
   * The built-in hyperparameters, in their fixed order: the first positions of every layout, and
   * the order of the values in a version-2 checkpoint (so this order never changes).
   */
  public static final List<Hyperparameter> BUILT_IN = List.of(LR, BETA1, BETA2, EPS, EPS_ROOT,
      WEIGHT_DECAY, MAX_LR, MOMENTUM_DECAY, VARIANCE_WARMUP_STEPS);

  private final String name;
  private final Domain domain;
  private final String description;
  /** The position in {@link #BUILT_IN}, the same in every layout; −1 for a declared one. */
  final int builtInIndex;

  private Hyperparameter(String name, Domain domain, String description, int builtInIndex) {
    this.name = name;
    this.domain = domain;
    this.description = description;
    this.builtInIndex = builtInIndex;
  }

  /**
   * A hyperparameter a spec declares beyond the built-in ones (for generated code: one constant
   * per declared hyperparameter, given to {@link Hyperparameters#builder(List)}).
   *
   * @param name a Java identifier, not the name of a built-in hyperparameter
   * @param domain the values it may take
   * @param description what it is, for documentation, e.g. {@code "third-moment decay β3"}
   * @throws IllegalArgumentException if the name is not an identifier or is a built-in's
   */
  public static Hyperparameter declare(String name, Domain domain, String description) {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(description, "description");
    if (name == null || name.isEmpty() || !Character.isJavaIdentifierStart(name.charAt(0))
        || !name.chars().allMatch(Character::isJavaIdentifierPart)) {
      throw new IllegalArgumentException("a hyperparameter's name must be a Java identifier, got \"" + name + "\"");
    }
    for (Hyperparameter builtIn : BUILT_IN) {
      if (builtIn.name.equals(name)) {
        throw new IllegalArgumentException(name + " is a built-in hyperparameter (Hyperparameter."
            + "BUILT_IN); a spec cannot declare it again");
      }
    }
    return new Hyperparameter(name, domain, description, -1);
  }

  /** The name: the builder's setter, the spec annotation's member, the checkpoint's key. */
  public String name() {
    return name;
  }

  /** The values it may take. */
  public Domain domain() {
    return domain;
  }

  /** Whether its values are {@code int}s. */
  public boolean isInteger() {
    return domain.integer();
  }

  /** Whether it is one of {@link #BUILT_IN}. */
  public boolean isBuiltIn() {
    return builtInIndex >= 0;
  }

  /** What it is, e.g. {@code first-moment decay β1, in [0, 1)}. */
  public String description() {
    return description;
  }

  /**
   * {@code value} if it is in this hyperparameter's domain.
   *
   * @throws IllegalArgumentException naming this hyperparameter and the value otherwise
   */
  public double check(double value) {
    if (!domain.contains(value)) {
      throw new IllegalArgumentException(name + " " + domain.requirement() + ", got " + format(value));
    }
    return value;
  }

  /** {@code value} as written in messages: an {@code int} one without a fraction. */
  String format(double value) {
    if (isInteger() && value == Math.rint(value) && Math.abs(value) < 0x1p53) {
      return Long.toString((long) value);
    }
    return Double.toString(value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hyperparameter && ((Hyperparameter) o).name.equals(name)
        && ((Hyperparameter) o).domain == domain;
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  /** The name. */
  @Override
  public String toString() {
    return name;
  }
}
