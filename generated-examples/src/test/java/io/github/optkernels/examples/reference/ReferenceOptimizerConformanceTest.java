package io.github.optkernels.examples.reference;

import static com.google.common.truth.Truth.assertWithMessage;

import io.github.optkernels.examples.conformance.CaseCheck;
import io.github.optkernels.examples.conformance.CaseResult;
import io.github.optkernels.examples.conformance.ConformanceCase;
import io.github.optkernels.examples.conformance.ConformanceCase.Dtype;
import io.github.optkernels.runtime.Hyperparameters;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the {@link ReferenceOptimizer} on every float64 and float32 conformance case and checks it
 * with {@link CaseCheck}, parameters and every expected state array.
 *
 * <p>The reference computes in double and the float32 cases have float32-exact inputs and
 * float64 expected values, so both kinds must pass (the float32 tolerances are merely looser).
 * bfloat16/float16 cases are left out: their point is the low-precision storage and Kahan
 * arithmetic, which the reference does not model.
 *
 * <p>This is the test that ties {@code docs/SEMANTICS.md} to the conformance README: the
 * interpreter follows the former and the cases come from the latter's reference.
 *
 * <p>Set the system property {@code optkernels.reference.resultsDir} to also write each result
 * file there, to check them independently with the README's {@code check.py}.
 */
class ReferenceOptimizerConformanceTest {

  /** 10 variants × {float64, float32} × 5 configurations (README section 1, "Public set"). */
  private static final int EXPECTED_CASES = 100;
  private static final int CONFIGURATIONS_PER_VARIANT_AND_DTYPE = 5;

  private static List<ConformanceCase> cases;

  @BeforeAll
  static void readCases() throws IOException, URISyntaxException {
    cases = ConformanceCase.readAll(casesDirectory()).stream()
        // the interpreter knows the ten first-release variants
        .filter(c -> ConformanceCase.VARIANTS.contains(c.variant()))
        .filter(c -> c.dtype() == Dtype.FLOAT64 || c.dtype() == Dtype.FLOAT32)
        .toList();
  }

  /** The test-classpath copy of the cases; else the source tree (surefire runs in the module basedir). */
  private static Path casesDirectory() throws URISyntaxException {
    URL resource = ReferenceOptimizerConformanceTest.class.getClassLoader().getResource("conformance/cases");
    if (resource != null && resource.getProtocol().equals("file")) {
      return Path.of(resource.toURI());
    }
    return Path.of("src", "test", "resources", "conformance", "cases");
  }

  @Test
  void everyVariantHasItsFiveFloat64AndFiveFloat32Cases() {
    assertWithMessage("float64/float32 cases found").that(cases).hasSize(EXPECTED_CASES);
    Map<String, Long> perVariantAndDtype = cases.stream().collect(Collectors.groupingBy(
        c -> c.variant() + " " + c.dtype().jsonName(), TreeMap::new, Collectors.counting()));
    Map<String, Long> expected = new TreeMap<>();
    for (String variant : ConformanceCase.VARIANTS) {
      for (Dtype dtype : List.of(Dtype.FLOAT64, Dtype.FLOAT32)) {
        expected.put(variant + " " + dtype.jsonName(), (long) CONFIGURATIONS_PER_VARIANT_AND_DTYPE);
      }
    }
    assertWithMessage("cases per variant and dtype").that(perVariantAndDtype).isEqualTo(expected);
  }

  @TestFactory
  Stream<DynamicTest> referencePassesEveryCase() {
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
      CaseResult result = run(c);
      writeIfRequested(c, result);
      CaseCheck.Verdict verdict = CaseCheck.check(c, result);
      assertWithMessage("%s", verdict).that(verdict.passed()).isTrue();
      // The reference reports every state array, so none of them may have gone unchecked.
      assertWithMessage("state arrays compared for %s", c.name())
          .that(verdict.checkedState()).containsExactlyElementsIn(c.expectedState().keySet()).inOrder();
    }));
  }

  /** Runs one case through the reference, with the case's learning rate for every step. */
  static CaseResult run(ConformanceCase c) {
    ReferenceOptimizer optimizer = new ReferenceOptimizer(
        ReferenceSpec.forVariant(c.variant()), hyperparameters(c), c.p0());
    Hyperparameters h = hyperparameters(c);
    double[][] params = new double[c.steps()][];
    for (int step = 1; step <= c.steps(); step++) {
      optimizer.setHyperparameters(h.withLr(c.lr(step)));
      optimizer.step(c.grad(step));
      params[step - 1] = optimizer.params();
    }
    Map<String, double[]> state = new LinkedHashMap<>();
    for (String name : c.expectedState().keySet()) {
      state.put(name, optimizer.state(name));
    }
    return new CaseResult(params, state);
  }

  /**
   * The case's {@code hyper} as run-time hyperparameters. Keys a variant does not use are absent
   * from its cases; they get values that change nothing: no weight decay, {@code max_lr} unset,
   * torch's default ψ, no ε_root, no warm-up.
   */
  static Hyperparameters hyperparameters(ConformanceCase c) {
    Map<String, Double> hyper = c.hyper();
    return new Hyperparameters(
        hyper.get("lr"),
        hyper.get("beta1"),
        hyper.get("beta2"),
        hyper.get("eps"),
        0.0,
        hyper.getOrDefault("weight_decay", 0.0),
        hyper.getOrDefault("max_lr", Double.NaN),
        hyper.getOrDefault("momentum_decay", 0.004),
        0);
  }

  private static void writeIfRequested(ConformanceCase c, CaseResult result) throws IOException {
    String dir = System.getProperty("optkernels.reference.resultsDir");
    if (dir != null) {
      Path resultsDir = Files.createDirectories(Path.of(dir));
      result.write(resultsDir.resolve(c.name() + ".json"));
    }
  }
}
