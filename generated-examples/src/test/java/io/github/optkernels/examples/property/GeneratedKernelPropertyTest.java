package io.github.optkernels.examples.property;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import io.github.optkernels.examples.reference.ReferenceOptimizer;
import io.github.optkernels.examples.reference.ReferenceSpec;
import io.github.optkernels.processor.OptimizerProcessor;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.StepPhase;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The differential tier: every legal combination of structural options is compiled through the
 * processor, and its generated float and double optimizers are run on random data and compared,
 * step by step, with the reference interpreter (plain double, written from docs/SEMANTICS.md).
 *
 * <p>Tolerances, relative to the trajectory's scale {@code max(1, max|p|)}; a state array is
 * measured against the size of what flows into it (the gradient scale G for the first moment,
 * G² for the second moment and its maximum), not against itself: an average of gradients with
 * mixed signs can end near zero, and its rounding error is then that of the gradients.
 * <ul>
 *   <li>double: {@value #DOUBLE_TOLERANCE}. The kernels fold scalars differently from the
 *       interpreter, which costs a few ulps per step; observed worst is 1.5e-14. A wrong
 *       formula moves parameters by a fraction of lr (≥ 1e-6 here), eight orders above.</li>
 *   <li>float: {@value #FLOAT_TOLERANCE}. float32 keeps 24 bits (6e-8 relative), and a trial
 *       rounds a few dozen times per element per step for {@value Trial#STEPS} steps; a float
 *       path that computes something else (a missed rounding of a scalar, a wrong cast) errs by
 *       far more. Observed worst: 5.5e-7.</li>
 * </ul>
 */
class GeneratedKernelPropertyTest {
  static final double DOUBLE_TOLERANCE = 1e-12;
  static final double FLOAT_TOLERANCE = 1e-5;
  private static final String PACKAGE = "prop";
  /** Compiled in batches on two threads: compile time dominates this test. */
  private static final int BATCH = 270;

  /** What one combination's run found. */
  private record Outcome(int index, double doubleError, double floatError, List<StepPhase> phases, String failure) {}

  /**
   * {@code -Dproperty.only=12,345} runs only those combinations and prints their per-step
   * deviations: the way to look at one failure.
   */
  private static final String ONLY = System.getProperty("property.only", "");

  @Test
  void everyCombinationOfOptionsMatchesTheReferenceInterpreterInFloatAndDouble() throws Exception {
    List<ReferenceSpec> specs = SpecCombinations.all();
    assertThat(specs).hasSize(SpecCombinations.expectedCount());
    if (!ONLY.isEmpty()) {
      for (String index : ONLY.split(",")) {
        int k = Integer.parseInt(index.trim());
        compileAndRun(specs, k, k + 1, true);
      }
      return;
    }

    List<Outcome> outcomes = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<List<Outcome>>> batches = new ArrayList<>();
      for (int from = 0; from < specs.size(); from += BATCH) {
        int start = from;
        int end = Math.min(specs.size(), from + BATCH);
        batches.add(pool.submit(() -> compileAndRun(specs, start, end, false)));
      }
      for (Future<List<Outcome>> batch : batches) {
        outcomes.addAll(batch.get());
      }
    } finally {
      pool.shutdown();
    }

    List<String> failures = new ArrayList<>();
    double worstDouble = 0;
    double worstFloat = 0;
    Map<StepPhase, Integer> phaseSteps = new EnumMap<>(StepPhase.class);
    for (Outcome outcome : outcomes) {
      if (outcome.failure() != null) {
        failures.add(outcome.failure());
      }
      worstDouble = Math.max(worstDouble, outcome.doubleError());
      worstFloat = Math.max(worstFloat, outcome.floatError());
      for (StepPhase phase : outcome.phases()) {
        phaseSteps.merge(phase, 1, Integer::sum);
      }
    }
    System.out.printf("property test: %d structural combinations covered, each in float and double;"
            + " worst relative deviation from the interpreter: double %.2e (tolerance %.0e), float %.2e"
            + " (tolerance %.0e); steps per phase %s%n",
        outcomes.size(), worstDouble, DOUBLE_TOLERANCE, worstFloat, FLOAT_TOLERANCE, phaseSteps);
    assertWithMessage("%s of %s combinations failed, e.g.\n%s", failures.size(), outcomes.size(),
        String.join("\n", failures.subList(0, Math.min(10, failures.size()))))
        .that(failures).isEmpty();
    assertThat(outcomes).hasSize(specs.size());
    // every loop a kernel can run was exercised, not just the adaptive one
    assertThat(phaseSteps.keySet()).containsExactlyElementsIn(List.of(StepPhase.values()));
  }

  private static List<Outcome> compileAndRun(List<ReferenceSpec> specs, int from, int to, boolean verbose)
      throws Exception {
    List<JavaFileObject> sources = new ArrayList<>();
    for (int k = from; k < to; k++) {
      String name = name(k);
      sources.add(JavaFileObjects.forSourceString(PACKAGE + "." + name + "Spec",
          SpecCombinations.source(PACKAGE, name, specs.get(k))));
    }
    Compilation compilation = Compiler.javac().withProcessors(new OptimizerProcessor()).compile(sources);
    assertWithMessage("specs %s..%s did not compile: %s", from, to - 1, compilation.diagnostics())
        .that(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
    CompiledClasses classes = new CompiledClasses(compilation);
    List<Outcome> outcomes = new ArrayList<>();
    for (int k = from; k < to; k++) {
      outcomes.add(run(k, specs.get(k), classes.loadClass(PACKAGE + "." + name(k)), verbose));
    }
    return outcomes;
  }

  private static String name(int index) {
    return String.format("P%04d", index);
  }

  private static Outcome run(int index, ReferenceSpec spec, Class<?> optimizerClass, boolean verbose)
      throws Exception {
    Trial trial = Trial.random(spec, 0x5eed0000L + index);
    ReferenceOptimizer reference = new ReferenceOptimizer(spec, trial.hyperparameters(), toDoubles(trial.p0()));
    KernelOptimizer doubles = build(optimizerClass, trial);
    KernelOptimizer floats = build(optimizerClass, trial);
    double[] pd = toDoubles(trial.p0());
    double[] gd = new double[pd.length];
    float[] pf = trial.p0().clone();
    float[] gf = new float[pf.length];
    doubles.add(pd, gd);
    floats.add(pf, gf);

    List<StepPhase> phases = new ArrayList<>();
    double[][] expected = new double[Trial.STEPS][];
    double[][] gotDouble = new double[Trial.STEPS][];
    double[][] gotFloat = new double[Trial.STEPS][];
    for (int t = 0; t < Trial.STEPS; t++) {
      double lr = trial.lrs()[t];
      reference.setHyperparameters(trial.hyperparameters().withLr(lr));
      doubles.setLr(lr);
      floats.setLr(lr);
      float[] g = trial.grads()[t];
      System.arraycopy(g, 0, gf, 0, g.length);
      for (int i = 0; i < g.length; i++) {
        gd[i] = g[i];
      }
      reference.step(toDoubles(g));
      doubles.step();
      floats.step();
      phases.add(reference.lastPhase());
      expected[t] = reference.params();
      gotDouble[t] = pd.clone();
      gotFloat[t] = toDoubles(pf);
    }
    double scale = 1;
    for (double[] row : expected) {
      for (double p : row) {
        scale = Math.max(scale, Math.abs(p));
      }
    }
    if (verbose) {
      System.out.printf("%s %s%n  %s lrs=%s%n", name(index), spec, trial.hyperparameters(),
          java.util.Arrays.toString(trial.lrs()));
      for (int t = 0; t < Trial.STEPS; t++) {
        System.out.printf("  t=%2d %-15s max|p|=%.3e  double dev %.2e  float dev %.2e%n", t + 1,
            phases.get(t), maxAbs(expected[t]), deviation(new double[][] {expected[t]}, new double[][] {gotDouble[t]}),
            deviation(new double[][] {expected[t]}, new double[][] {gotFloat[t]}));
      }
    }
    double doubleError = deviation(expected, gotDouble) / scale;
    double floatError = deviation(expected, gotFloat) / scale;
    double gradientScale = trial.gradientScale(scale);
    for (String state : reference.stateNames()) {
      double[] want = reference.state(state);
      double inputScale = state.equals("exp_avg") ? gradientScale : gradientScale * gradientScale;
      double stateScale = Math.max(Double.MIN_NORMAL, Math.max(maxAbs(want), inputScale));
      if (verbose) {
        double[] gotF = toDoubles((float[]) floats.state(pf, state));
        double[] gotD = (double[]) doubles.state(pd, state);
        System.out.printf("  state %-16s scale %.3e  double dev %.2e  float dev %.2e%n", state, stateScale,
            deviation(new double[][] {want}, new double[][] {gotD}), deviation(new double[][] {want}, new double[][] {gotF}));
        for (int i = 0; i < want.length && i < 6; i++) {
          System.out.printf("     [%d] want %.9e  float %.9e  double %.9e%n", i, want[i], gotF[i], gotD[i]);
        }
      }
      doubleError = Math.max(doubleError,
          deviation(new double[][] {want}, new double[][] {(double[]) doubles.state(pd, state)}) / stateScale);
      floatError = Math.max(floatError,
          deviation(new double[][] {want}, new double[][] {toDoubles((float[]) floats.state(pf, state))}) / stateScale);
    }
    String failure = null;
    if (!(doubleError <= DOUBLE_TOLERANCE) || !(floatError <= FLOAT_TOLERANCE)) {
      failure = String.format("%s %s: double %.2e, float %.2e (%s)", name(index), spec, doubleError,
          floatError, trial.hyperparameters());
    }
    return new Outcome(index, doubleError, floatError, phases, failure);
  }

  private static KernelOptimizer build(Class<?> optimizerClass, Trial trial) throws Exception {
    Object builder = optimizerClass.getMethod("builder").invoke(null);
    builder.getClass().getMethod("hyperparameters", io.github.optkernels.runtime.Hyperparameters.class)
        .invoke(builder, trial.hyperparameters());
    return (KernelOptimizer) builder.getClass().getMethod("build").invoke(builder);
  }

  /** The largest |got − expected| over all elements; infinite if anything is not finite. */
  private static double deviation(double[][] expected, double[][] got) {
    double worst = 0;
    for (int t = 0; t < expected.length; t++) {
      for (int i = 0; i < expected[t].length; i++) {
        double d = Math.abs(got[t][i] - expected[t][i]);
        worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(worst, d);
      }
    }
    return worst;
  }

  private static double maxAbs(double[] values) {
    double max = 0;
    for (double v : values) {
      max = Math.max(max, Math.abs(v));
    }
    return max;
  }

  private static double[] toDoubles(float[] values) {
    double[] doubles = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      doubles[i] = values[i];
    }
    return doubles;
  }
}
