package io.github.optkernels.examples.conformance;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checker itself: {@link Tolerance}, {@link CaseCheck}, and the file formats it reads and
 * writes ({@link ConformanceCase}, {@link CaseResult}). A checker that passes everything would
 * make every conformance test worthless, so most tests here feed it a result that must fail.
 */
class CaseCheckTest {

  /** T = 30, N = 7, L2 decay and a schedule; state exp_avg and exp_avg_sq. */
  private static final String ADAM_CASE = "adam__f64__n7_t30_sched_wd";
  private static final String KAHAN_CASE = "adam__bf16_statef32__n9_t1000_longhorizon_kahan";

  @TempDir Path tmp;

  private static Path casesDirectory() throws URISyntaxException {
    URL resource = CaseCheckTest.class.getClassLoader().getResource("conformance/cases");
    if (resource != null && resource.getProtocol().equals("file")) {
      return Path.of(resource.toURI());
    }
    return Path.of("src", "test", "resources", "conformance", "cases");
  }

  private static ConformanceCase readCase(String name) throws IOException, URISyntaxException {
    return ConformanceCase.read(casesDirectory().resolve(name + ".json"));
  }

  /** What a perfect implementation would report: the expected values themselves. */
  private static CaseResult exactResult(ConformanceCase c) {
    return new CaseResult(c.expectedParams(), c.expectedState());
  }

  // ---- Tolerance ----

  @Test
  void toleranceAcceptsUpToTheBoundInclusiveAndNothingNonFinite() {
    Tolerance t = new Tolerance(0.5, 0.25);
    assertThat(t.limit(-2.0)).isEqualTo(1.0);
    // |diff| exactly at the bound passes; one ulp further (representable as a diff at 3.0) fails.
    assertThat(t.accepts(-3.0, -2.0)).isTrue();
    assertThat(t.accepts(Math.nextDown(-3.0), -2.0)).isFalse();
    assertThat(new Tolerance(0.5, 0).accepts(0.5, 0.0)).isTrue();
    assertThat(new Tolerance(0.5, 0).accepts(Math.nextUp(0.5), 0.0)).isFalse();
    assertThat(t.accepts(Double.NaN, 0.0)).isFalse();
    assertThat(new Tolerance(1e300, 1.0).accepts(Double.POSITIVE_INFINITY, 1e308)).isFalse();
    assertThat(t.accepts(0.0, Double.NaN)).isFalse();
    assertThrows(IllegalArgumentException.class, () -> new Tolerance(-1e-12, 0));
    assertThrows(IllegalArgumentException.class, () -> new Tolerance(0, Double.NaN));
  }

  // ---- CaseCheck ----

  @Test
  void exactResultPasses() throws Exception {
    ConformanceCase c = readCase(ADAM_CASE);
    CaseCheck.Verdict verdict = CaseCheck.check(c, exactResult(c));
    assertThat(verdict.passed()).isTrue();
    assertThat(verdict.maxError()).isEqualTo(0.0);
    assertThat(verdict.maxStateError()).isEqualTo(0.0);
    assertThat(verdict.checkedState()).containsExactly("exp_avg", "exp_avg_sq").inOrder();
    assertThat(verdict.detail()).isEmpty();
    assertThat(verdict.toString()).startsWith("PASS " + ADAM_CASE + " max_err=");
  }

  @Test
  void stateIsOptional() throws Exception {
    ConformanceCase c = readCase(ADAM_CASE);
    CaseCheck.Verdict verdict = CaseCheck.check(c, new CaseResult(c.expectedParams(), Map.of()));
    assertThat(verdict.passed()).isTrue();
    assertThat(verdict.checkedState()).isEmpty();
  }

  @Test
  void oneParamElementBeyondToleranceFailsWithItsStepAndElement() throws Exception {
    ConformanceCase c = readCase(ADAM_CASE);
    double[][] params = c.expectedParams();
    double limit = c.tolerance().limit(params[2][4]);
    params[2][4] += 2 * limit; // step 3, element 4
    params[5][1] += 0.5 * limit; // within tolerance, and smaller: must not be the one reported
    CaseCheck.Verdict verdict = CaseCheck.check(c, new CaseResult(params, c.expectedState()));
    assertThat(verdict.passed()).isFalse();
    assertThat(verdict.detail()).startsWith("step 3 elem 4: got ");
    assertThat(verdict.maxError()).isWithin(1e-3 * limit).of(2 * limit);
    assertThat(verdict.toString()).startsWith("FAIL " + ADAM_CASE);
  }

  @Test
  void anElementWithinToleranceStillPassesAndCountsTowardsMaxError() throws Exception {
    ConformanceCase c = readCase(ADAM_CASE);
    double[][] params = c.expectedParams();
    double limit = c.tolerance().limit(params[29][6]);
    params[29][6] -= 0.5 * limit;
    CaseCheck.Verdict verdict = CaseCheck.check(c, new CaseResult(params, Map.of()));
    assertThat(verdict.passed()).isTrue();
    assertThat(verdict.maxError()).isWithin(1e-3 * limit).of(0.5 * limit);
  }

  @Test
  void aStateElementBeyondToleranceFailsWithItsName() throws Exception {
    ConformanceCase c = readCase(ADAM_CASE);
    Map<String, double[]> state = new LinkedHashMap<>(c.expectedState());
    double[] v = state.get("exp_avg_sq");
    v[2] += 2 * c.stateTolerance().get("exp_avg_sq").limit(v[2]);
    CaseCheck.Verdict verdict = CaseCheck.check(c, new CaseResult(c.expectedParams(), state));
    assertThat(verdict.passed()).isFalse();
    assertThat(verdict.detail()).startsWith("state exp_avg_sq elem 2: got ");
    assertThat(verdict.maxError()).isEqualTo(0.0);
    assertThat(verdict.maxStateError()).isGreaterThan(0.0);
  }

  @Test
  void aParamFailureIsReportedBeforeAStateFailure() throws Exception {
    ConformanceCase c = readCase(ADAM_CASE);
    double[][] params = c.expectedParams();
    params[29][0] += 1.0;
    Map<String, double[]> state = new LinkedHashMap<>(c.expectedState());
    state.get("exp_avg")[0] += 1.0;
    CaseCheck.Verdict verdict = CaseCheck.check(c, new CaseResult(params, state));
    assertThat(verdict.passed()).isFalse();
    assertThat(verdict.detail()).startsWith("step 30 elem 0:");
  }

  @Test
  void nanAndInfinityFail() throws Exception {
    ConformanceCase c = readCase(ADAM_CASE);
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
      double[][] params = c.expectedParams();
      params[0][0] = bad;
      CaseCheck.Verdict verdict = CaseCheck.check(c, new CaseResult(params, Map.of()));
      assertThat(verdict.passed()).isFalse();
      assertThat(verdict.detail()).startsWith("step 1 elem 0: got " + bad);
      assertThat(verdict.maxError()).isPositiveInfinity();
    }
  }

  @Test
  void wrongShapesFailWithAReason() throws Exception {
    ConformanceCase c = readCase(ADAM_CASE);

    double[][] tooFewRows = Arrays.copyOf(c.expectedParams(), 29);
    CaseCheck.Verdict rows = CaseCheck.check(c, new CaseResult(tooFewRows, Map.of()));
    assertThat(rows.passed()).isFalse();
    assertThat(rows.detail()).isEqualTo("params: expected 30 rows, got 29");
    assertThat(rows.maxError()).isPositiveInfinity();

    double[][] longRow = c.expectedParams();
    longRow[4] = Arrays.copyOf(longRow[4], 8);
    CaseCheck.Verdict row = CaseCheck.check(c, new CaseResult(longRow, Map.of()));
    assertThat(row.passed()).isFalse();
    assertThat(row.detail()).isEqualTo("params[step 5]: expected 7 entries, got 8");

    Map<String, double[]> shortState = new LinkedHashMap<>(c.expectedState());
    shortState.put("exp_avg", new double[6]);
    CaseCheck.Verdict state = CaseCheck.check(c, new CaseResult(c.expectedParams(), shortState));
    assertThat(state.passed()).isFalse();
    assertThat(state.detail()).isEqualTo("exp_avg: expected 7 entries, got 6");
  }

  // ---- kahan_gain (README 6.3) ----

  @Test
  void kahanGainRule() {
    assertThat(CaseCheck.kahanGainHolds(1.0, 0.25, 4.0)).isTrue();
    assertThat(CaseCheck.kahanGainHolds(1.0, 0.0, 4.0)).isTrue();
    assertThat(CaseCheck.kahanGainHolds(1.0, 0.2500001, 4.0)).isFalse();
    assertThat(CaseCheck.kahanGainHolds(0.0, 0.0, 4.0)).isFalse();
    assertThat(CaseCheck.kahanGainHolds(Double.POSITIVE_INFINITY, 0.1, 4.0)).isFalse();
    assertThat(CaseCheck.kahanGainHolds(1.0, Double.POSITIVE_INFINITY, 4.0)).isFalse();
  }

  @Test
  void kahanGainPassesOnlyWhenTheBaselineIsAtLeastMinFactorWorse() throws Exception {
    ConformanceCase c = readCase(KAHAN_CASE);
    assertThat(c.property()).isEqualTo(new ConformanceCase.Property(
        ConformanceCase.KAHAN_GAIN, "adam__bf16_statef32__n9_t1000_longhorizon", 4.0));
    double[][] params = c.expectedParams();
    params[500][3] += 0.01; // inside the case's own tolerance (abs 0.0478)
    CaseResult result = new CaseResult(params, Map.of());

    CaseCheck.Verdict gain5 = CaseCheck.checkKahanGain(c, result, 0.05);
    assertThat(gain5.passed()).isTrue();
    assertThat(gain5.maxError()).isWithin(1e-12).of(0.01);

    CaseCheck.Verdict gain3 = CaseCheck.checkKahanGain(c, result, 0.03);
    assertThat(gain3.passed()).isFalse();
    assertThat(gain3.detail()).contains("kahan gain");
    assertThat(gain3.detail()).contains("adam__bf16_statef32__n9_t1000_longhorizon");
  }

  @Test
  void kahanGainNeedsTheProperty() throws Exception {
    ConformanceCase c = readCase(ADAM_CASE);
    assertThrows(IllegalArgumentException.class, () -> CaseCheck.checkKahanGain(c, exactResult(c), 1.0));
  }

  // ---- result files ----

  @Test
  void resultFileReadsBackExactly() throws Exception {
    double[] tricky = {0.1, 1.0 / 3, 0.30000000000000004, 1e23, 2e-323, Double.MIN_VALUE, Double.MAX_VALUE,
        -0.0, Math.PI, Math.ulp(1.0), -1.5e-300, 8.41e21, 2.0e-3};
    CaseResult result = new CaseResult(new double[][] {tricky, {1.0}}, Map.of("exp_avg", new double[] {-2.5}));
    Path file = tmp.resolve("r.json");
    result.write(file);
    CaseResult back = CaseResult.read(file);
    assertThat(back.params()[0]).isEqualTo(tricky);
    assertThat(back.params()[1]).isEqualTo(new double[] {1.0});
    assertThat(back.state().get("exp_avg")).isEqualTo(new double[] {-2.5});
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).startsWith("{\"params\":[[0.1,");
  }

  @Test
  void nonFiniteValuesAreWrittenAsNullAndFailTheCheck() throws Exception {
    ConformanceCase c = readCase(ADAM_CASE);
    double[][] params = c.expectedParams();
    params[6][2] = Double.NaN;
    params[7][3] = Double.NEGATIVE_INFINITY;
    Path file = tmp.resolve(ADAM_CASE + ".json");
    new CaseResult(params, c.expectedState()).write(file);

    String text = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(text).doesNotContain("NaN");
    assertThat(text).doesNotContain("Infinity");
    assertThat(text).contains("null");
    CaseCheck.Verdict verdict = CaseCheck.check(c, CaseResult.read(file));
    assertThat(verdict.passed()).isFalse();
    assertThat(verdict.detail()).startsWith("step 7 elem 2: got NaN");
  }

  @Test
  void anExactResultSurvivesTheFileRoundTrip() throws Exception {
    ConformanceCase c = readCase(ADAM_CASE);
    Path file = tmp.resolve(ADAM_CASE + ".json");
    exactResult(c).write(file);
    CaseCheck.Verdict verdict = CaseCheck.check(c, CaseResult.read(file));
    assertThat(verdict.passed()).isTrue();
    assertThat(verdict.maxError()).isEqualTo(0.0);
  }

  // ---- case files ----

  @Test
  void readsACaseFileExactly() throws Exception {
    ConformanceCase c = readCase("adam__f64__n1_t30_default");
    assertThat(c.variant()).isEqualTo("adam");
    assertThat(c.dtype()).isEqualTo(ConformanceCase.Dtype.FLOAT64);
    assertThat(c.kahan()).isFalse();
    assertThat(c.steps()).isEqualTo(30);
    assertThat(c.n()).isEqualTo(1);
    assertThat(c.p0()).isEqualTo(new double[] {-0.32133020599790396});
    assertThat(c.grad(2)).isEqualTo(new double[] {0.25038752497980404});
    assertThat(c.lrPerStep()).isNull();
    assertThat(c.lr(17)).isEqualTo(0.001);
    assertThat(c.hyper().keySet()).containsExactly("lr", "beta1", "beta2", "eps", "weight_decay").inOrder();
    assertThat(c.property()).isNull();

    ConformanceCase scheduled = readCase(ADAM_CASE);
    assertThat(scheduled.lrPerStep()).hasLength(30);
    assertThat(scheduled.lr(30)).isEqualTo(scheduled.lrPerStep()[29]);
    assertThrows(IllegalArgumentException.class, () -> scheduled.lr(31));
  }

  @Test
  void readsAllPublicCasesSortedByName() throws Exception {
    List<ConformanceCase> all = ConformanceCase.readAll(casesDirectory());
    assertThat(all).hasSize(248);
    assertThat(all.stream().map(ConformanceCase::name).toList()).isInOrder();
  }

  @Test
  void malformedCaseFilesNameTheFileAndTheField() throws Exception {
    String good = Files.readString(casesDirectory().resolve("adam__f64__n1_t30_default.json"), StandardCharsets.UTF_8);

    Path shortP0 = tmp.resolve("short_p0.json");
    Files.writeString(shortP0, good.replace("\"N\": 1,", "\"N\": 2,"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConformanceCase.read(shortP0));
    assertThat(e).hasMessageThat().contains("short_p0.json");
    assertThat(e).hasMessageThat().contains("\"p0\"");

    Path noTolerance = tmp.resolve("no_tolerance.json");
    Files.writeString(noTolerance, good.replace("\"tolerance\"", "\"tolerence\""));
    e = assertThrows(IllegalArgumentException.class, () -> ConformanceCase.read(noTolerance));
    assertThat(e).hasMessageThat().contains("field \"tolerance\": missing");

    Path badVariant = tmp.resolve("bad_variant.json");
    Files.writeString(badVariant, good.replace("\"variant\": \"adam\"", "\"variant\": \"adamm\""));
    e = assertThrows(IllegalArgumentException.class, () -> ConformanceCase.read(badVariant));
    assertThat(e).hasMessageThat().contains("adamm");

    // a later variant's case must have that variant's hyperparameters (SGD: momentum, no betas)
    Path sgdWithoutMomentum = tmp.resolve("sgd_without_momentum.json");
    Files.writeString(sgdWithoutMomentum, good.replace("\"variant\": \"adam\"", "\"variant\": \"sgd_momentum\""));
    e = assertThrows(IllegalArgumentException.class, () -> ConformanceCase.read(sgdWithoutMomentum));
    assertThat(e).hasMessageThat().contains("missing \"momentum\"");

    Path notJson = tmp.resolve("not_json.json");
    Files.writeString(notJson, good.substring(0, good.length() / 2));
    IOException io = assertThrows(IOException.class, () -> ConformanceCase.read(notJson));
    assertThat(io).hasMessageThat().contains("not_json.json");
  }
}
