package io.github.optkernels.runtime;

import java.util.Arrays;
import java.util.Objects;

/**
 * A learning-rate schedule: the learning rate of step {@code t} (1, 2, ...) of a parameter group,
 * from the group's base learning rate ({@link Hyperparameters#lr()}). Immutable and validated on
 * construction; evaluating it is a few floating-point operations and allocates nothing, so a
 * group applies it on every step.
 *
 * <p>Every shape except {@link #explicit} scales the base learning rate by a factor whose peak
 * is 1, so the base learning rate is the peak ({@link #peak}), which is also what fully decoupled
 * weight decay takes as {@code max_lr} when {@code maxLr} is not set. {@link #explicit} gives
 * absolute learning rates and ignores the base.
 *
 * <p>A group's schedule position counts its finished steps; step {@code t = position + 1} uses
 * {@code lr(t, base)}. Schedules are part of a checkpoint (kind and numbers), so a loaded
 * optimizer continues the same schedule from the same position.
 */
public final class LrSchedule {
  /** The shapes, with their stable codes in the checkpoint format. */
  public enum Kind {
    /** {@code lr = base}. */
    CONSTANT(0),
    /** {@code lr = base·min(1, t/W)}. */
    LINEAR_WARMUP(1),
    /** Linear warm-up over {@code W} steps, then cosine decay to {@code base·minFactor} at step {@code T}. */
    WARMUP_COSINE(2),
    /** {@code lr = base·sqrt(W)·min(t^-½, t·W^-1.5)}: linear up to step W, then ∝ 1/sqrt(t). */
    NOAM(3),
    /** {@code lr = lrs[t−1]}, the last entry after the table ends. */
    EXPLICIT(4);

    private final int code;

    Kind(int code) {
      this.code = code;
    }

    /** The code this kind has in the checkpoint format. */
    public int code() {
      return code;
    }

    static Kind ofCode(int code) {
      for (Kind kind : values()) {
        if (kind.code == code) {
          return kind;
        }
      }
      throw new IllegalArgumentException("unknown schedule kind code " + code);
    }
  }

  private static final LrSchedule CONSTANT = new LrSchedule(Kind.CONSTANT, 0, 0, 1.0, new double[0]);

  private final Kind kind;
  private final long warmupSteps;
  private final long totalSteps;
  private final double minFactor;
  private final double[] lrs;
  private final double explicitPeak;

  private LrSchedule(Kind kind, long warmupSteps, long totalSteps, double minFactor, double[] lrs) {
    this.kind = kind;
    this.warmupSteps = warmupSteps;
    this.totalSteps = totalSteps;
    this.minFactor = minFactor;
    this.lrs = lrs;
    double peak = 0;
    for (double lr : lrs) {
      peak = Math.max(peak, lr);
    }
    this.explicitPeak = peak;
  }

  /** The base learning rate on every step (what a group without a schedule does). */
  public static LrSchedule constant() {
    return CONSTANT;
  }

  /**
   * {@code base·t/W} for the first {@code W} steps, then {@code base}. The first step already
   * moves ({@code base/W}); {@code W = 0} is the constant schedule.
   *
   * @throws IllegalArgumentException if {@code warmupSteps < 0}
   */
  public static LrSchedule linearWarmup(long warmupSteps) {
    return new LrSchedule(Kind.LINEAR_WARMUP, nonNegative("warmupSteps", warmupSteps), 0, 1.0, new double[0]);
  }

  /**
   * Linear warm-up to {@code base} over {@code W} steps, then half a cosine from {@code base} down
   * to {@code base·minFactor} at step {@code T}, and {@code base·minFactor} after:
   * {@code factor = minFactor + (1 − minFactor)·½·(1 + cos(π·(t − W)/(T − W)))} for {@code W < t ≤ T}.
   *
   * @throws IllegalArgumentException unless {@code 0 ≤ W < T} and {@code minFactor ∈ [0, 1]}
   */
  public static LrSchedule warmupCosine(long warmupSteps, long totalSteps, double minFactor) {
    nonNegative("warmupSteps", warmupSteps);
    if (totalSteps <= warmupSteps) {
      throw new IllegalArgumentException("totalSteps must be > warmupSteps (" + warmupSteps + "), got " + totalSteps);
    }
    if (!(minFactor >= 0 && minFactor <= 1)) {
      throw new IllegalArgumentException("minFactor must be in [0, 1], got " + minFactor);
    }
    return new LrSchedule(Kind.WARMUP_COSINE, warmupSteps, totalSteps, minFactor, new double[0]);
  }

  /**
   * The Transformer paper's schedule, normalized so its peak (at step {@code W}) is the base
   * learning rate: {@code base·sqrt(W)·min(t^-½, t·W^-1.5)}. The paper's
   * {@code d_model^-½·min(t^-½, t·W^-1.5)} is this with {@code base = (d_model·W)^-½}.
   *
   * @throws IllegalArgumentException if {@code warmupSteps < 1}
   */
  public static LrSchedule noam(long warmupSteps) {
    if (warmupSteps < 1) {
      throw new IllegalArgumentException("warmupSteps must be >= 1, got " + warmupSteps);
    }
    return new LrSchedule(Kind.NOAM, warmupSteps, 0, 1.0, new double[0]);
  }

  /**
   * Explicit learning rates, one per step: step {@code t} uses {@code lrs[t − 1]}, and every step
   * after the table the last entry. Absolute values: the group's base learning rate is not used.
   *
   * @throws IllegalArgumentException if the table is empty or holds a negative or non-finite value
   */
  public static LrSchedule explicit(double... lrs) {
    Objects.requireNonNull(lrs, "lrs");
    if (lrs.length == 0) {
      throw new IllegalArgumentException("an explicit schedule needs at least one learning rate");
    }
    for (int i = 0; i < lrs.length; i++) {
      if (!(lrs[i] >= 0 && lrs[i] < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException("lrs[" + i + "] must be finite and >= 0, got " + lrs[i]);
      }
    }
    return new LrSchedule(Kind.EXPLICIT, 0, 0, 1.0, lrs.clone());
  }

  /** Rebuilds a schedule from its checkpoint fields, validating them as the factories do. */
  static LrSchedule of(Kind kind, long warmupSteps, long totalSteps, double minFactor, double[] lrs) {
    switch (kind) {
      case CONSTANT:
        return constant();
      case LINEAR_WARMUP:
        return linearWarmup(warmupSteps);
      case WARMUP_COSINE:
        return warmupCosine(warmupSteps, totalSteps, minFactor);
      case NOAM:
        return noam(warmupSteps);
      case EXPLICIT:
        return explicit(lrs);
      default:
        throw new AssertionError(kind);
    }
  }

  private static long nonNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }
    return value;
  }

  /**
   * The learning rate of step {@code step} for a group whose base learning rate is {@code baseLr}:
   * finite, ≥ 0 and at most {@link #peak}. Allocates nothing.
   *
   * @param step the step being taken, ≥ 1
   * @param baseLr the group's learning rate, finite and ≥ 0
   * @throws IllegalArgumentException if {@code step < 1} or {@code baseLr} is negative or not
   *     finite (a warm-up would otherwise return a negative rate, a table index out of bounds)
   */
  public double lr(long step, double baseLr) {
    if (step < 1) {
      throw new IllegalArgumentException("step must be >= 1 (steps count from 1), got " + step);
    }
    checkBase(baseLr);
    switch (kind) {
      case CONSTANT:
        return baseLr;
      case LINEAR_WARMUP:
        return step >= warmupSteps ? baseLr : baseLr * ((double) step / warmupSteps);
      case WARMUP_COSINE:
        if (step <= warmupSteps) {
          return baseLr * ((double) step / warmupSteps);
        }
        if (step >= totalSteps) {
          return baseLr * minFactor;
        }
        double progress = (double) (step - warmupSteps) / (totalSteps - warmupSteps);
        return baseLr * (minFactor + (1 - minFactor) * 0.5 * (1 + Math.cos(Math.PI * progress)));
      case NOAM:
        double t = step;
        double w = warmupSteps;
        return baseLr * Math.sqrt(w) * Math.min(1 / Math.sqrt(t), t * Math.pow(w, -1.5));
      case EXPLICIT:
        return lrs[(int) Math.min(step, lrs.length) - 1];
      default:
        throw new AssertionError(kind);
    }
  }

  /**
   * The schedule's peak learning rate for base {@code baseLr}: the base itself for every shape
   * but {@link #explicit}, whose peak is the table's largest entry. Fully decoupled weight decay
   * uses it as {@code max_lr} when {@code maxLr} is not set.
   *
   * @throws IllegalArgumentException if {@code baseLr} is negative or not finite
   */
  public double peak(double baseLr) {
    checkBase(baseLr);
    return kind == Kind.EXPLICIT ? explicitPeak : baseLr;
  }

  private static void checkBase(double baseLr) {
    if (!(baseLr >= 0 && baseLr < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("baseLr must be finite and >= 0, got " + baseLr);
    }
  }

  /** The shape. */
  public Kind kind() {
    return kind;
  }

  /** W: warm-up steps (0 for shapes without one). */
  public long warmupSteps() {
    return warmupSteps;
  }

  /** T: the step at which a cosine decay ends (0 for other shapes). */
  public long totalSteps() {
    return totalSteps;
  }

  /** The cosine decay's final factor (1 for other shapes). */
  public double minFactor() {
    return minFactor;
  }

  /** A copy of an explicit schedule's table (empty for other shapes). */
  public double[] lrs() {
    return lrs.clone();
  }

  int tableLength() {
    return lrs.length;
  }

  double tableEntry(int i) {
    return lrs[i];
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof LrSchedule)) {
      return false;
    }
    LrSchedule s = (LrSchedule) o;
    return kind == s.kind && warmupSteps == s.warmupSteps && totalSteps == s.totalSteps
        && Double.compare(minFactor, s.minFactor) == 0 && Arrays.equals(lrs, s.lrs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, warmupSteps, totalSteps, minFactor, Arrays.hashCode(lrs));
  }

  @Override
  public String toString() {
    switch (kind) {
      case CONSTANT:
        return "constant";
      case LINEAR_WARMUP:
        return "linearWarmup(" + warmupSteps + ")";
      case WARMUP_COSINE:
        return "warmupCosine(" + warmupSteps + ", " + totalSteps + ", " + minFactor + ")";
      case NOAM:
        return "noam(" + warmupSteps + ")";
      default:
        return "explicit(" + lrs.length + " steps, peak " + explicitPeak + ")";
    }
  }
}
