package io.github.optkernels.examples.conformance;

/**
 * How far a produced value may be from the float64 reference (conformance README, section 6.1):
 * an element passes when {@code |got − expected| <= abs + rel·|expected|}.
 *
 * <p>A non-finite produced value never passes, whatever the bounds: an implementation that
 * overflowed or divided by zero has not followed the trajectory, even if the expected value
 * happens to be huge.
 *
 * @param abs the absolute part of the bound, finite and ≥ 0
 * @param rel the part proportional to {@code |expected|}, finite and ≥ 0
 */
public record Tolerance(double abs, double rel) {

  /** Rejects bounds that would make every comparison meaningless (negative, NaN or infinite). */
  public Tolerance {
    if (!(abs >= 0 && abs < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("tolerance abs must be finite and >= 0, got " + abs);
    }
    if (!(rel >= 0 && rel < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("tolerance rel must be finite and >= 0, got " + rel);
    }
  }

  /** The largest {@code |got − expected|} accepted for this expected value. */
  public double limit(double expected) {
    return abs + rel * Math.abs(expected);
  }

  /**
   * Whether {@code got} is close enough to {@code expected}. The comparison is written so that a
   * NaN anywhere (got, expected or their difference) rejects rather than accepts.
   */
  public boolean accepts(double got, double expected) {
    if (!Double.isFinite(got)) {
      return false;
    }
    return Math.abs(got - expected) <= limit(expected);
  }
}
