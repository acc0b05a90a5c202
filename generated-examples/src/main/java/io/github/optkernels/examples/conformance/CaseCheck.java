package io.github.optkernels.examples.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks a {@link CaseResult} against its {@link ConformanceCase} by the rules of section 6 of the
 * conformance README, the same rules as the README's {@code check.py} (section 8), so the Java
 * tests and the script give the same verdict on the same files:
 *
 * <ul>
 *   <li>every parameter element of every step must meet the case's tolerance (6.1);
 *   <li>state arrays are optional; each one the result holds and the case expects is compared
 *       with its {@code state_tolerance} (6.2). Result arrays the case does not expect are
 *       ignored, as check.py ignores them;
 *   <li>a wrong number of rows or elements fails the case outright, with infinite error;
 *   <li>the {@code kahan_gain} pair property (6.3) is decided by
 *       {@link #checkKahanGain}, which needs the baseline case's maximum error.
 * </ul>
 */
public final class CaseCheck {

  /**
   * The outcome for one case.
   *
   * @param name the case name
   * @param passed whether every checked element (and the property, if decided) passed
   * @param maxError the largest {@code |got − expected|} over all parameter elements of all steps;
   *     infinite if any was non-finite or the shape was wrong
   * @param maxStateError the same over the state arrays that were compared; 0 if none was
   * @param checkedState the names of the state arrays that were compared, in case order, so a
   *     runner can tell "state matched" from "state not reported"
   * @param detail empty when passed; otherwise the first failure, e.g.
   *     {@code step 3 elem 5: got ... expected ... (|diff| 2e-05 > tol 1e-05)}
   */
  public record Verdict(String name, boolean passed, double maxError, double maxStateError,
      List<String> checkedState, String detail) {

    /** Copies {@code checkedState} so the verdict stays immutable. */
    public Verdict {
      checkedState = List.copyOf(checkedState);
    }

    /** One line in check.py's format: {@code PASS|FAIL <name> max_err=<e> [| <detail>]}. */
    @Override
    public String toString() {
      return (passed ? "PASS " : "FAIL ") + name + " max_err=" + g3(maxError)
          + (detail.isEmpty() ? "" : " | " + detail);
    }
  }

  private CaseCheck() {}

  /** Checks every parameter element and every reported, expected state array of {@code result}. */
  public static Verdict check(ConformanceCase c, CaseResult result) {
    double[][] expectedParams = c.expectedParams();
    double[][] gotParams = result.params();
    if (gotParams.length != c.steps()) {
      return shapeFailure(c, "params: expected " + c.steps() + " rows, got " + gotParams.length);
    }

    ArrayComparison params = new ArrayComparison();
    for (int s = 0; s < c.steps(); s++) {
      if (gotParams[s].length != c.n()) {
        return shapeFailure(c, "params[step " + (s + 1) + "]: expected " + c.n() + " entries, got "
            + gotParams[s].length);
      }
      params.compare(gotParams[s], expectedParams[s], c.tolerance(), "step " + (s + 1) + " elem ");
    }

    ArrayComparison state = new ArrayComparison();
    List<String> checked = new ArrayList<>();
    Map<String, double[]> gotState = result.state();
    for (Map.Entry<String, double[]> e : c.expectedState().entrySet()) {
      String name = e.getKey();
      double[] got = gotState.get(name);
      if (got == null) {
        continue; // state is optional (6.2): not every implementation can observe it
      }
      if (got.length != c.n()) {
        return new Verdict(c.name(), false, params.maxError, Double.POSITIVE_INFINITY, checked,
            name + ": expected " + c.n() + " entries, got " + got.length);
      }
      state.compare(got, e.getValue(), c.stateTolerance().get(name), "state " + name + " elem ");
      checked.add(name);
    }

    // As in check.py, a parameter failure is reported in preference to a state failure: the
    // trajectory is what the case is about, and a wrong state usually follows from it.
    String detail = params.firstFailure != null ? params.firstFailure
        : state.firstFailure != null ? state.firstFailure : "";
    return new Verdict(c.name(), detail.isEmpty(), params.maxError, state.maxError, checked, detail);
  }

  /**
   * Checks the Kahan case of a long-horizon pair: its own elements (as {@link #check}) and the
   * {@code kahan_gain} property {@code max_err(baseline) >= min_factor · max_err(kahan)}.
   *
   * @param kahanCase a case whose {@link ConformanceCase#property()} is {@code kahan_gain}
   * @param kahanResult what the implementation produced for it
   * @param baselineMaxError {@link Verdict#maxError()} of the same implementation on the baseline
   *     (plain) case named by the property
   * @throws IllegalArgumentException if {@code kahanCase} has no {@code kahan_gain} property
   */
  public static Verdict checkKahanGain(ConformanceCase kahanCase, CaseResult kahanResult,
      double baselineMaxError) {
    ConformanceCase.Property property = kahanCase.property();
    if (property == null || !property.kind().equals(ConformanceCase.KAHAN_GAIN)) {
      throw new IllegalArgumentException(kahanCase.name() + " has no " + ConformanceCase.KAHAN_GAIN + " property");
    }
    Verdict own = check(kahanCase, kahanResult);
    double kahanMaxError = own.maxError();
    if (kahanGainHolds(baselineMaxError, kahanMaxError, property.minFactor())) {
      return own;
    }
    double gain = kahanMaxError > 0 ? baselineMaxError / kahanMaxError
        : baselineMaxError > 0 ? Double.POSITIVE_INFINITY : 0.0;
    String failure = "kahan gain " + g3(gain) + " < required " + g3(property.minFactor())
        + " (max err " + g3(kahanMaxError) + " vs baseline " + property.baselineCase() + " "
        + g3(baselineMaxError) + ")";
    String detail = own.detail().isEmpty() ? failure : own.detail() + "; " + failure;
    return new Verdict(own.name(), false, own.maxError(), own.maxStateError(), own.checkedState(), detail);
  }

  /**
   * The {@code kahan_gain} rule itself: {@code baseline >= minFactor · kahan}, with both errors
   * finite and the baseline error positive. The last two conditions are check.py's: an infinite
   * error means a broken run, not a gain, and if the plain run has no error at all there is
   * nothing for compensation to recover, so the pair does not show that Kahan summation works.
   */
  public static boolean kahanGainHolds(double baselineMaxError, double kahanMaxError, double minFactor) {
    return Double.isFinite(baselineMaxError) && Double.isFinite(kahanMaxError)
        && baselineMaxError > 0 && baselineMaxError >= minFactor * kahanMaxError;
  }

  private static Verdict shapeFailure(ConformanceCase c, String reason) {
    return new Verdict(c.name(), false, Double.POSITIVE_INFINITY, 0.0, List.of(), reason);
  }

  /** Three significant digits, like check.py's {@code %.3g}; Java spells them {@code 2.00e-05}. */
  private static String g3(double x) {
    return Double.isFinite(x) ? String.format(Locale.ROOT, "%.3g", x) : Double.toString(x);
  }

  /** The running maximum error and first failure over one or more equally long arrays. */
  private static final class ArrayComparison {
    double maxError;
    String firstFailure;

    /** {@code where} is the failure's prefix, completed by the element index. */
    void compare(double[] got, double[] expected, Tolerance tolerance, String where) {
      for (int i = 0; i < got.length; i++) {
        double error = Double.isFinite(got[i]) ? Math.abs(got[i] - expected[i]) : Double.POSITIVE_INFINITY;
        maxError = Math.max(maxError, error);
        if (firstFailure == null && !tolerance.accepts(got[i], expected[i])) {
          firstFailure = where + i + ": got " + got[i] + " expected " + expected[i]
              + " (|diff| " + g3(error) + " > tol " + g3(tolerance.limit(expected[i])) + ")";
        }
      }
    }
  }
}
