package io.github.optkernels.examples.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.optkernels.examples.conformance.ConformanceCase;
import io.github.optkernels.examples.conformance.ConformanceCase.Dtype;
import io.github.optkernels.examples.conformance.VariantRegistry;
import io.github.optkernels.examples.variants.Adam;
import io.github.optkernels.runtime.Hyperparameters;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.LrSchedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The built-in variants written as rules ({@code *RuleSpec} in this package) compute exactly what
 * the built-in specs do: on every float32 and float64 conformance case of the variant, the rule's
 * optimizer and the built-in one, given the same buffers, hyperparameters and learning-rate
 * schedule, hold bit-identical parameters and state after every step. So a rule is not an
 * approximation of the built-in family: written with the same per-step scalars and the same
 * element arithmetic in the same order, it is the same kernel.
 */
class RulesMatchBuiltInsTest {
  /** The rule optimizer of each variant, built from the case's hyperparameters as a user would. */
  private static final Map<String, Function<Hyperparameters, KernelOptimizer>> RULES = Map.ofEntries(
      Map.entry("nadam", h -> NAdamRule.builder().hyperparameters(h).build()),
      Map.entry("adam", h -> AdamRule.builder().hyperparameters(h).build()),
      Map.entry("adamw", h -> AdamWRule.builder().hyperparameters(h).build()),
      Map.entry("amsgrad", h -> AMSGradRule.builder().hyperparameters(h).build()),
      Map.entry("radam", h -> RAdamRule.builder().hyperparameters(h).build()),
      Map.entry("radam_nosgd", h -> RAdamNoSgdRule.builder().hyperparameters(h).build()),
      Map.entry("radamw_fully_decoupled", h -> RAdamWFullyDecoupledRule.builder().hyperparameters(h).build()),
      Map.entry("adabelief", h -> AdaBeliefRule.builder().hyperparameters(h).build()),
      Map.entry("adabelief_adam", h -> AdaBeliefAdamRule.builder().hyperparameters(h).build()),
      Map.entry("adabelief_amsgrad", h -> AdaBeliefAMSGradRule.builder().hyperparameters(h).build()));

  /**
   * Maximizing pairs ({@link Maximizing}), built in and as a rule, by the variant whose cases they
   * run.
   */
  private static final Map<String, List<Function<Hyperparameters, KernelOptimizer>>> MAXIMIZING = Map.of(
      "amsgrad", List.of(h -> AMSGradMaximizing.builder().hyperparameters(h).build(),
          h -> AMSGradRuleMaximizing.builder().hyperparameters(h).build()),
      "radamw_fully_decoupled", List.of(
          h -> RAdamWFullyDecoupledMaximizing.builder().hyperparameters(h).build(),
          h -> RAdamWFullyDecoupledRuleMaximizing.builder().hyperparameters(h).build()));

  /** Five float32 and five float64 cases per variant (conformance README, section 1). */
  private static final int CASES_PER_VARIANT = 10;

  /** The float32 and float64 cases of the rewritten variants, read once. */
  private static List<ConformanceCase> cases;

  @BeforeAll
  static void readCases() throws IOException {
    Path path = Path.of("src/test/resources/conformance/cases");
    assertTrue(Files.isDirectory(path), "no conformance cases at " + path.toAbsolutePath());
    cases = new ArrayList<>();
    try (Stream<Path> files = Files.list(path)) {
      // only the variants' files are parsed (a case file is named <variant>__...): parsing all
      // of them takes seconds
      for (Path file : files.sorted().toList()) {
        String name = file.getFileName().toString();
        if (name.endsWith(".json") && name.contains("__")
            && RULES.containsKey(name.substring(0, name.indexOf("__")))) {
          ConformanceCase c = ConformanceCase.read(file);
          if (c.dtype() == Dtype.FLOAT32 || c.dtype() == Dtype.FLOAT64) {
            cases.add(c);
          }
        }
      }
    }
  }

  @Test
  void everyFloatCaseOfEveryRewrittenVariantIsCompared() {
    // the dynamic tests below would pass vacuously on an empty or renamed case set
    assertEquals(RULES.size() * CASES_PER_VARIANT, cases.size());
    for (ConformanceCase c : cases) {
      assertEquals(c.dtype(), c.stateDtype(), c.name());
      assertTrue(!c.kahan(), c.name());
    }
  }

  @TestFactory
  Stream<DynamicTest> ruleAndBuiltInAgreeBitForBitAtEveryStep() {
    return cases.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> compare(c,
        h -> VariantRegistry.create(c.variant(), h).orElseThrow(), RULES.get(c.variant()))));
  }

  @TestFactory
  Stream<DynamicTest> maximizingRuleAndBuiltInAgreeBitForBit() {
    List<ConformanceCase> maximized = cases.stream().filter(c -> MAXIMIZING.containsKey(c.variant())).toList();
    assertEquals(MAXIMIZING.size() * CASES_PER_VARIANT, maximized.size());
    return maximized.stream().map(c -> DynamicTest.dynamicTest(c.name() + ", maximizing", () -> compare(c,
        MAXIMIZING.get(c.variant()).get(0), MAXIMIZING.get(c.variant()).get(1))));
  }

  /**
   * Adam-2k: the built-in family's variance warm-up ({@code varianceWarmupSteps = K}), which no
   * case exercises, against {@link Adam2kRuleSpec} on Adam's cases, with the first {@code K = 3}
   * steps warming up (a phase with no parameter update, then a first moment counted from there).
   */
  @TestFactory
  Stream<DynamicTest> adam2kRuleAndBuiltInAgreeBitForBit() {
    List<ConformanceCase> adamCases = cases.stream().filter(c -> c.variant().equals("adam")).toList();
    assertEquals(CASES_PER_VARIANT, adamCases.size());
    return adamCases.stream().map(c -> DynamicTest.dynamicTest(c.name() + ", K = 3", () -> compare(c,
        h -> Adam.builder().hyperparameters(h.withVarianceWarmupSteps(3)).build(),
        h -> Adam2kRule.builder().hyperparameters(h.withVarianceWarmupSteps(3)).build())));
  }

  /**
   * Steps the built-in and the rule optimizer through the case and compares every element's bits
   * after each step.
   */
  private static void compare(ConformanceCase c, Function<Hyperparameters, KernelOptimizer> builtInFactory,
      Function<Hyperparameters, KernelOptimizer> ruleFactory) {
    Hyperparameters h = VariantRegistry.hyperparameters(c);
    Object builtInParam = newArray(c.dtype(), c.n());
    Object builtInGrad = newArray(c.dtype(), c.n());
    Object ruleParam = newArray(c.dtype(), c.n());
    Object ruleGrad = newArray(c.dtype(), c.n());
    fill(builtInParam, c.p0());
    fill(ruleParam, c.p0());
    KernelOptimizer builtIn = builtInFactory.apply(h).add(builtInParam, builtInGrad);
    KernelOptimizer rule = ruleFactory.apply(h).add(ruleParam, ruleGrad);
    if (c.lrPerStep() != null) {
      builtIn.setSchedule(LrSchedule.explicit(c.lrPerStep()));
      rule.setSchedule(LrSchedule.explicit(c.lrPerStep()));
    }
    List<String> stateNames = builtIn.stateNames(builtInParam);
    assertEquals(stateNames, rule.stateNames(ruleParam), "the rule's state slots are the built-in's");
    for (int t = 1; t <= c.steps(); t++) {
      fill(builtInGrad, c.grad(t));
      fill(ruleGrad, c.grad(t));
      builtIn.step();
      rule.step();
      assertSameBits(builtInParam, ruleParam, c.name() + " step " + t + ": param");
      for (String name : stateNames) {
        assertSameBits(builtIn.state(builtInParam, name), rule.state(ruleParam, name),
            c.name() + " step " + t + ": " + name);
      }
    }
  }

  private static Object newArray(Dtype dtype, int n) {
    return dtype == Dtype.FLOAT64 ? new double[n] : new float[n];
  }

  /** Case inputs are exactly representable in the case's dtype. */
  private static void fill(Object target, double[] values) {
    for (int i = 0; i < values.length; i++) {
      if (target instanceof double[] doubles) {
        doubles[i] = values[i];
      } else {
        ((float[]) target)[i] = (float) values[i];
      }
    }
  }

  /** Raw bits, so −0 differs from +0 and every NaN payload counts. */
  private static void assertSameBits(Object expected, Object actual, String what) {
    if (expected instanceof double[] e) {
      double[] a = (double[]) actual;
      assertEquals(e.length, a.length, what);
      for (int i = 0; i < e.length; i++) {
        if (Double.doubleToRawLongBits(e[i]) != Double.doubleToRawLongBits(a[i])) {
          fail(what + "[" + i + "]: built-in " + e[i] + ", rule " + a[i]);
        }
      }
    } else {
      float[] e = (float[]) expected;
      float[] a = (float[]) actual;
      assertEquals(e.length, a.length, what);
      for (int i = 0; i < e.length; i++) {
        if (Float.floatToRawIntBits(e[i]) != Float.floatToRawIntBits(a[i])) {
          fail(what + "[" + i + "]: built-in " + e[i] + ", rule " + a[i]);
        }
      }
    }
  }
}
