package io.github.optkernels.examples.handwritten;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.optkernels.examples.conformance.CaseCheck;
import io.github.optkernels.examples.conformance.CaseResult;
import io.github.optkernels.examples.conformance.ConformanceCase;
import io.github.optkernels.examples.conformance.ConformanceCase.Dtype;
import io.github.optkernels.runtime.Bf16;
import io.github.optkernels.runtime.Hyperparameter;
import io.github.optkernels.runtime.Hyperparameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every hand-written baseline against every conformance case of its variant and precision, with
 * the project's own tolerances and checker ({@link CaseCheck}, as for the generated kernels). A
 * baseline that computed something else would make every speed comparison meaningless, so a
 * failure here is a bug in the baseline.
 *
 * <p>Each case runs twice: over the whole tensor, and with every step split into three ranges
 * (as the all-cores benchmark rows split it over threads); both must pass. LAMB's first pass runs
 * over the three ranges too, its sums added in range order.
 *
 * <p>The bf16 loops run the cases of their layout: float32 state, rounded to nearest or Kahan.
 */
class BaselineConformanceTest {
  /**
   * Variants × {float32, float64} × five configurations, plus the two float64 rule cases of the
   * later variants, LAMB's zero norms and Schedule-Free's zero learning rates (conformance README,
   * section 1).
   */
  private static final int FLOAT_CASES = Baseline.VARIANTS.size() * 2 * 5 + 2;

  /** The later variants with a bf16 Kahan loop with float32 state. */
  private static final List<String> BF16_KAHAN_LATER = List.of("lion", "adan");

  private static List<ConformanceCase> cases() throws IOException {
    Path path = Path.of("src/test/resources/conformance/cases");
    assertTrue(Files.isDirectory(path), "no conformance cases at " + path.toAbsolutePath());
    return ConformanceCase.readAll(path);
  }

  private static boolean isFloatCase(ConformanceCase c) {
    return Baseline.VARIANTS.contains(c.variant())
        && (c.dtype() == Dtype.FLOAT32 || c.dtype() == Dtype.FLOAT64)
        && c.stateDtype() == c.dtype() && !c.kahan();
  }

  private static boolean isBf16AdamWCase(ConformanceCase c) {
    return c.variant().equals("adamw") && c.dtype() == Dtype.BFLOAT16
        && c.stateDtype() == Dtype.FLOAT32;
  }

  private static boolean isBf16KahanLaterCase(ConformanceCase c) {
    return BF16_KAHAN_LATER.contains(c.variant()) && c.dtype() == Dtype.BFLOAT16
        && c.stateDtype() == Dtype.FLOAT32 && c.kahan();
  }

  @Test
  void everyFloatCaseOfEveryBaselineIsChecked() throws IOException {
    // The dynamic tests below would pass vacuously on an empty or renamed case set.
    assertEquals(FLOAT_CASES, cases().stream().filter(BaselineConformanceTest::isFloatCase).count());
    assertEquals(2, cases().stream().filter(BaselineConformanceTest::isBf16AdamWCase).count(),
        "adamw bf16 cases with float32 state: one plain, one Kahan");
    assertEquals(BF16_KAHAN_LATER.size(),
        cases().stream().filter(BaselineConformanceTest::isBf16KahanLaterCase).count(),
        "one bf16 Kahan case with float32 state per later variant with a bf16 loop");
  }

  @TestFactory
  Stream<DynamicTest> floatAndDoubleCases() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (ConformanceCase c : cases()) {
      if (isFloatCase(c)) {
        for (int pieces : new int[] {1, 3}) {
          tests.add(DynamicTest.dynamicTest(c.name() + " in " + pieces + " range(s)",
              () -> assertPasses(c, runFloat(c, pieces))));
        }
      }
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> bf16AdamWCases() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (ConformanceCase c : cases()) {
      if (isBf16AdamWCase(c)) {
        tests.add(DynamicTest.dynamicTest(c.name(), () -> assertPasses(c, runBf16(c))));
      }
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> bf16KahanLaterCases() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (ConformanceCase c : cases()) {
      if (isBf16KahanLaterCase(c)) {
        tests.add(DynamicTest.dynamicTest(c.name(), () -> assertPasses(c, runBf16KahanLater(c))));
      }
    }
    return tests.stream();
  }

  private static void assertPasses(ConformanceCase c, CaseResult result) {
    CaseCheck.Verdict verdict = CaseCheck.check(c, result);
    assertTrue(verdict.passed(), verdict.toString());
    assertEquals(c.expectedState().keySet().stream().toList(), verdict.checkedState(),
        "every expected state array is compared");
  }

  /** The case's step-{@code t} hyperparameters: its constants with this step's learning rate. */
  private static Hyperparameters at(ConformanceCase c, int t) {
    return hyperparameters(c).withLr(c.lr(t));
  }

  /**
   * A case's hyperparameters for the baselines: the built-in ones as the generated optimizers get
   * them (a key the case does not give keeps a value without effect: 0 for the betas and ε SGD
   * and Lion do not have, no {@code max_lr}, NAdam's default ψ), and the variant's declared ones
   * ({@link HandHyperparameters#declaredBy}) from their snake_case keys, which the case must give.
   */
  private static Hyperparameters hyperparameters(ConformanceCase c) {
    Map<String, Double> hyper = c.hyper();
    List<Hyperparameter> declared = HandHyperparameters.declaredBy(c.variant());
    Hyperparameters.Builder b = Hyperparameters.builder(declared)
        .set(Hyperparameter.LR, hyper.get("lr"))
        .set(Hyperparameter.BETA1, hyper.getOrDefault("beta1", 0.0))
        .set(Hyperparameter.BETA2, hyper.getOrDefault("beta2", 0.0))
        .set(Hyperparameter.EPS, hyper.getOrDefault("eps", 0.0))
        .set(Hyperparameter.EPS_ROOT, 0)
        .set(Hyperparameter.WEIGHT_DECAY, hyper.getOrDefault("weight_decay", 0.0))
        .set(Hyperparameter.MAX_LR, hyper.getOrDefault("max_lr", Double.NaN))
        .set(Hyperparameter.MOMENTUM_DECAY, hyper.getOrDefault("momentum_decay", 0.004))
        .set(Hyperparameter.VARIANCE_WARMUP_STEPS, 0);
    for (Hyperparameter d : declared) {
      String key = d.name().replaceAll("([A-Z])", "_$1").toLowerCase(Locale.ROOT);
      assertTrue(hyper.containsKey(key), c.name() + " gives no \"" + key + "\"");
      b.set(d, hyper.get(key));
    }
    return b.build();
  }

  private static CaseResult runFloat(ConformanceCase c, int pieces) {
    Baseline baseline = Baseline.of(c.variant());
    int n = c.n();
    int stateCount = baseline.stateNames().size();
    boolean single = c.dtype() == Dtype.FLOAT32;
    float[] pf = new float[n];
    float[] gf = new float[n];
    float[][] sf = new float[stateCount][n];
    double[] pd = c.p0();
    double[] gd = new double[n];
    double[][] sd = new double[stateCount][n];
    for (int i = 0; i < n; i++) {
      pf[i] = (float) pd[i];
    }
    if (single) {
      baseline.startState(pf, sf);
    } else {
      baseline.startState(pd, sd);
    }
    double[][] params = new double[c.steps()][];
    for (int t = 1; t <= c.steps(); t++) {
      Hyperparameters h = at(c, t);
      double[] grad = c.grad(t);
      for (int i = 0; i < n; i++) {
        gf[i] = (float) grad[i];
        gd[i] = grad[i];
      }
      baseline.beginStep(t, h);
      if (baseline.sumCount() > 0) {
        double[] sums = new double[baseline.sumCount()];
        for (int k = 0; k < pieces; k++) {
          int from = (int) ((long) n * k / pieces);
          int to = (int) ((long) n * (k + 1) / pieces);
          if (single) {
            baseline.firstPass(pf, gf, sf, t, h, from, to, sums);
          } else {
            baseline.firstPass(pd, gd, sd, t, h, from, to, sums);
          }
        }
        baseline.beginUpdate(sums);
      }
      for (int k = 0; k < pieces; k++) {
        int from = (int) ((long) n * k / pieces);
        int to = (int) ((long) n * (k + 1) / pieces);
        if (single) {
          baseline.step(pf, gf, sf, t, h, from, to);
        } else {
          baseline.step(pd, gd, sd, t, h, from, to);
        }
      }
      params[t - 1] = single ? widen(pf) : pd.clone();
    }
    Map<String, double[]> state = new LinkedHashMap<>();
    for (int k = 0; k < stateCount; k++) {
      state.put(baseline.stateNames().get(k), single ? widen(sf[k]) : sd[k].clone());
    }
    return new CaseResult(params, state);
  }

  private static CaseResult runBf16(ConformanceCase c) {
    int n = c.n();
    short[] p = new short[n];
    short[] g = new short[n];
    float[] m = new float[n];
    float[] v = new float[n];
    short[] comp = new short[n];
    double[] p0 = c.p0();
    for (int i = 0; i < n; i++) {
      p[i] = Bf16.fromFloat((float) p0[i]);
    }
    double[][] params = new double[c.steps()][n];
    for (int t = 1; t <= c.steps(); t++) {
      double[] grad = c.grad(t);
      for (int i = 0; i < n; i++) {
        g[i] = Bf16.fromFloat((float) grad[i]);
      }
      if (c.kahan()) {
        HandAdamWBf16Kahan.step(p, g, m, v, comp, t, at(c, t), 0, n);
      } else {
        HandAdamWBf16.step(p, g, m, v, t, at(c, t), 0, n);
      }
      for (int i = 0; i < n; i++) {
        params[t - 1][i] = Bf16.toFloat(p[i]);
      }
    }
    Map<String, double[]> state = new LinkedHashMap<>();
    state.put("exp_avg", widen(m));
    state.put("exp_avg_sq", widen(v));
    return new CaseResult(params, state);
  }

  /** A Lion or Adan bf16 Kahan case through {@link HandLionBf16Kahan} or {@link HandAdanBf16Kahan}. */
  private static CaseResult runBf16KahanLater(ConformanceCase c) {
    int n = c.n();
    boolean lion = c.variant().equals("lion");
    List<String> names = Baseline.of(c.variant()).stateNames();
    short[] p = new short[n];
    short[] g = new short[n];
    float[][] s = new float[names.size()][n];
    short[] comp = new short[n];
    double[] p0 = c.p0();
    for (int i = 0; i < n; i++) {
      p[i] = Bf16.fromFloat((float) p0[i]);
    }
    double[][] params = new double[c.steps()][n];
    for (int t = 1; t <= c.steps(); t++) {
      double[] grad = c.grad(t);
      for (int i = 0; i < n; i++) {
        g[i] = Bf16.fromFloat((float) grad[i]);
      }
      if (lion) {
        HandLionBf16Kahan.step(p, g, s[0], comp, at(c, t), 0, n);
      } else {
        HandAdanBf16Kahan.step(p, g, s[0], s[1], s[2], s[3], comp, t, at(c, t), 0, n);
      }
      for (int i = 0; i < n; i++) {
        params[t - 1][i] = Bf16.toFloat(p[i]);
      }
    }
    Map<String, double[]> state = new LinkedHashMap<>();
    for (int k = 0; k < names.size(); k++) {
      state.put(names.get(k), widen(s[k]));
    }
    return new CaseResult(params, state);
  }

  private static double[] widen(float[] values) {
    double[] d = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      d[i] = values[i];
    }
    return d;
  }
}
