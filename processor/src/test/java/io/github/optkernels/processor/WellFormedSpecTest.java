package io.github.optkernels.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.github.optkernels.processor.SpecSources.annotated;
import static io.github.optkernels.processor.SpecSources.specInterface;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The counterpart of DiagnosticsTest: sound specs must compile cleanly under {@code -Xlint:all}
 * (users add {@code -Werror}) and produce exactly the classes GeneratedNames promises, each tied to
 * its spec alone so Gradle's isolating mode stays correct. What the kernels compute is the
 * generated-examples module's business, not this one's.
 */
class WellFormedSpecTest {

  @Test
  void specNamedBySpecSuffixGeneratesOptimizerAndOneKernelPerPrecisionWithoutWarnings() {
    ProcessorRun run = ProcessorRun.compile(specInterface("AdamWSpec",
        "decay = WeightDecay.DECOUPLED",
        "weightDecay = 0.01"));

    assertThat(run.compilation()).succeededWithoutWarnings();
    assertThat(generatedTypes(run.compilation()))
        .containsExactly("test.AdamW", "test.AdamWFloatKernel", "test.AdamWDoubleKernel");
  }

  @Test
  void specWithExplicitNameGeneratesClassesUnderThatNameWithoutWarnings() {
    ProcessorRun run = ProcessorRun.compile(specInterface("SomethingSpec",
        "name = \"Fancy\"",
        "precisions = {Precision.DOUBLE, Precision.FLOAT}"));

    assertThat(run.compilation()).succeededWithoutWarnings();
    assertThat(generatedTypes(run.compilation()))
        .containsExactly("test.Fancy", "test.FancyFloatKernel", "test.FancyDoubleKernel");
  }

  /** Every member written, each at a legal non-default value: the most fragments in one kernel. */
  @Test
  void specUsingEveryOptionCompilesWithoutWarnings() {
    ProcessorRun run = ProcessorRun.compile(specInterface("BusySpec",
        "firstMoment = FirstMoment.NESTEROV",
        "secondMoment = SecondMoment.BELIEF",
        "amsgrad = Amsgrad.MAX_OF_CORRECTED",
        "rectify = Rectification.RADAM_SKIP_UPDATE",
        "rectifyThreshold = RectifyThreshold.RHO_AT_LEAST_5",
        "epsPlacement = EpsPlacement.INSIDE_CORRECTED_SQRT",
        "momentStorage = MomentStorage.BIAS_CORRECTED",
        "decay = WeightDecay.FULLY_DECOUPLED",
        "maximize = true",
        "precisions = {Precision.DOUBLE}",
        "kahan = Kahan.OFF",
        "lr = 3e-4",
        "beta1 = 0.8",
        "beta2 = 0.99",
        "eps = 1e-6",
        "epsRoot = 1e-12",
        "weightDecay = 0.01",
        "maxLr = 1e-2",
        "momentumDecay = 0.005",
        "varianceWarmupSteps = 3"));

    assertThat(run.compilation()).succeededWithoutWarnings();
    assertThat(generatedTypes(run.compilation())).containsExactly("test.Busy", "test.BusyDoubleKernel");
  }

  @Test
  void sixteenBitPrecisionsGenerateBf16AndFp16KernelsWithoutWarnings() {
    ProcessorRun run = ProcessorRun.compile(specInterface("AdamWSpec",
        "decay = WeightDecay.DECOUPLED",
        "precisions = {Precision.FLOAT, Precision.BFLOAT16, Precision.FLOAT16}"));

    assertThat(run.compilation()).succeededWithoutWarnings();
    assertThat(generatedTypes(run.compilation())).containsExactly("test.AdamW", "test.AdamWFloatKernel",
        "test.AdamWBf16Kernel", "test.AdamWFp16Kernel");
  }

  /**
   * Every storage choice of 16-bit kernels (state precision × Kahan × rounding; Kahan ON with
   * stochastic rounding is a diagnostic), on a spec whose loops touch every kind of buffer.
   */
  @ParameterizedTest(name = "{0}, {1}, {2}")
  @CsvSource({
      "FLOAT32,   AUTO, NEAREST_EVEN", "FLOAT32,   ON,   NEAREST_EVEN", "FLOAT32,   OFF,  NEAREST_EVEN",
      "FLOAT32,   AUTO, STOCHASTIC",   "FLOAT32,   OFF,  STOCHASTIC",
      "PARAMETER, AUTO, NEAREST_EVEN", "PARAMETER, ON,   NEAREST_EVEN", "PARAMETER, OFF,  NEAREST_EVEN",
      "PARAMETER, AUTO, STOCHASTIC",   "PARAMETER, OFF,  STOCHASTIC"})
  void everyStorageChoiceOfSixteenBitKernelsCompilesWithoutWarnings(String state, String kahan, String rounding) {
    ProcessorRun run = ProcessorRun.compile(specInterface("BusySpec",
        "firstMoment = FirstMoment.NESTEROV",
        "secondMoment = SecondMoment.BELIEF",
        "amsgrad = Amsgrad.MAX_OF_RAW",
        "rectify = Rectification.RADAM_SKIP_UPDATE",
        "decay = WeightDecay.L2",
        "precisions = {Precision.BFLOAT16, Precision.FLOAT16, Precision.DOUBLE}",
        "statePrecision = StatePrecision." + state,
        "kahan = Kahan." + kahan,
        "rounding = ParamRounding." + rounding));

    assertThat(run.compilation()).succeededWithoutWarnings();
    assertThat(generatedTypes(run.compilation())).containsExactly("test.Busy", "test.BusyBf16Kernel",
        "test.BusyFp16Kernel", "test.BusyDoubleKernel");
  }

  @Test
  void nestedSpecGeneratesTopLevelClassesInItsPackage() {
    JavaFileObject outer = JavaFileObjects.forSourceLines("test.Outer",
        "package test;",
        "",
        "import io.github.optkernels.annotations.Optimizer;",
        "",
        "final class Outer {",
        "  @Optimizer",
        "  interface AdamSpec {}",
        "}");
    ProcessorRun run = ProcessorRun.compile(outer);

    assertThat(run.compilation()).succeededWithoutWarnings();
    assertThat(generatedTypes(run.compilation()))
        .containsExactly("test.Adam", "test.AdamFloatKernel", "test.AdamDoubleKernel");
  }

  /** Names are per package: the same name in two packages is two different classes. */
  @Test
  void specsWithTheSameNameInDifferentPackagesAreBothGenerated() {
    ProcessorRun run = ProcessorRun.compile(
        annotated("one", "AdamSpec", "interface AdamSpec {}"),
        annotated("two", "OtherSpec", "interface OtherSpec {}", "name = \"Adam\""));

    assertThat(run.compilation()).succeededWithoutWarnings();
    assertThat(generatedTypes(run.compilation())).containsExactly(
        "one.Adam", "one.AdamFloatKernel", "one.AdamDoubleKernel",
        "two.Adam", "two.AdamFloatKernel", "two.AdamDoubleKernel");
  }

  /** Gradle's isolating mode recompiles a generated file when, and only when, its origin changes. */
  @Test
  void everyGeneratedFileHasItsSpecAsTheOnlyOriginatingElement() {
    ProcessorRun run = ProcessorRun.compile(
        specInterface("AdamSpec"),
        specInterface("NAdamSpec", "firstMoment = FirstMoment.NESTEROV"));

    assertThat(run.compilation()).succeededWithoutWarnings();
    Map<String, List<String>> origins = run.originatingElements();
    assertThat(origins).hasSize(6);
    for (Map.Entry<String, List<String>> file : origins.entrySet()) {
      String spec = file.getKey().startsWith("test.NAdam") ? "test.NAdamSpec" : "test.AdamSpec";
      assertWithMessage("originating elements of %s", file.getKey())
          .that(file.getValue()).containsExactly(spec);
    }
    assertThat(run.otherFiles()).isEmpty();
  }

  /**
   * A name the validator accepts must give code that compiles. Generated code calls
   * {@code Math.sqrt}, overrides with {@code @Override}, uses {@code Object} and {@code String};
   * a generated class of the same simple name in the same package shadows the java.lang one unless
   * the reference is imported or qualified. Either outcome is acceptable to this test: clean code,
   * or an {@code [Opt...]} error on the spec. Errors inside generated files are not.
   */
  @ParameterizedTest(name = "name = \"{0}\"")
  @ValueSource(strings = {"Math", "String", "Object", "Override", "System", "Class"})
  void nameOfAJavaLangTypeNeverYieldsGeneratedCodeThatDoesNotCompile(String name) {
    // a 16-bit kernel too: its block loops call System.arraycopy
    JavaFileObject src = specInterface("ShadowSpec", "name = \"" + name + "\"",
        "precisions = {Precision.FLOAT, Precision.BFLOAT16}");
    ProcessorRun run = ProcessorRun.compile(src);

    List<String> errorsOutsideTheSpec = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> error : run.compilation().errors()) {
      if (error.getSource() == null || !error.getSource().toUri().equals(src.toUri())
          || !error.getMessage(Locale.ROOT).startsWith("[Opt")) {
        errorsOutsideTheSpec.add((error.getSource() == null ? "?" : error.getSource().getName())
            + ":" + error.getLineNumber() + ": " + error.getMessage(Locale.ROOT));
      }
    }
    assertWithMessage("errors that are not an [Opt...] diagnostic on the spec")
        .that(errorsOutsideTheSpec).isEmpty();
  }

  /**
   * The processor claims a rule's annotations as it claims {@code @Optimizer}: one nobody claims
   * is a {@code -Xlint:processing} warning, which fails users' {@code -Xlint:all -Werror} builds.
   */
  @Test
  void aSpecWithEveryRuleAnnotationCompilesWithoutWarnings() {
    JavaFileObject src = annotated("test", "EveryAnnotationSpec", String.join("\n",
        "interface EveryAnnotationSpec {",
        "  @Hyper(domain = Hyper.Domain.UNIT_INTERVAL, description = \"a decay rate\")",
        "  double rate = 0.5;",
        "  @PerStep @Carried(initial = 1)",
        "  static double product(double product, double rate) {",
        "    return product * rate;",
        "  }",
        "  @Rule",
        "  static float update(float g, @State float m, float lr, float rate) {",
        "    m = rate * m + g;",
        "    return -lr * m;",
        "  }",
        "}"), "lr = 1e-3");
    assertThat(ProcessorRun.compile(src).compilation()).succeededWithoutWarnings();
  }

  /**
   * A rule composes with the storage and decay switches: every combination below generates
   * kernels (float, double, bf16 and fp16, the fused loops included where the compilation sees the
   * Vector API) that compile without a warning, norms and carried values included.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "stochastic rounding, with a norm | rounding = ParamRounding.STOCHASTIC, kahan = Kahan.OFF",
      "16-bit state, Kahan, with a norm | statePrecision = StatePrecision.PARAMETER, kahan = Kahan.ON",
      "maximize, fully decoupled decay | maximize = true, decay = WeightDecay.FULLY_DECOUPLED, weightDecay = 0.1",
      "proximal decay, Kahan | decay = WeightDecay.PROXIMAL, weightDecay = 0.1",
  })
  void aRuleComposesWithTheStorageAndDecaySwitches(String what, String members) {
    JavaFileObject src = annotated("test", "ComposedSpec", String.join("\n",
        "interface ComposedSpec {",
        "  @PerStep @Carried(initial = 0)",
        "  static double steps(double steps) {",
        "    return steps + 1;",
        "  }",
        "  @Rule",
        "  static float update(float g, float p, @State float m, float lr, float beta1, float steps) {",
        "    m = beta1 * m + (1 - beta1) * g;",
        "    float ratio = Tensor.norm(p) / (Tensor.norm(m) + 1);",
        "    return -lr * ratio * m / steps;",
        "  }",
        "}"), "lr = 1e-3", "beta1 = 0.9",
        "precisions = {Precision.FLOAT, Precision.DOUBLE, Precision.BFLOAT16, Precision.FLOAT16}", members);
    ProcessorRun run = ProcessorRun.compile(src);
    assertThat(run.compilation()).succeededWithoutWarnings();
    assertThat(run.createdSources()).containsAtLeast("test.Composed", "test.ComposedFloatKernel",
        "test.ComposedDoubleKernel", "test.ComposedBf16Kernel", "test.ComposedFp16Kernel");
  }

  /**
   * A rule's per-step values and hyperparameters become fields and loop locals of its kernels, and
   * its state slots parameters of the loop methods; a name the kernel already uses for itself (a
   * loop variable, a buffer, a field, the skeleton's decay scalar, the name a literal's scalar
   * gets) must still give code that compiles: the value is renamed, or the slot refused with an
   * {@code [Opt...]} error on the spec. Errors inside generated files are not acceptable.
   */
  @ParameterizedTest(name = "{0} decay, per-step value \"{1}\"")
  @CsvSource({"DECOUPLED, decayFactor", "L2, l2", "PROXIMAL, proximalDivisor", "DECOUPLED, i",
      "DECOUPLED, from", "DECOUPLED, to", "DECOUPLED, n", "DECOUPLED, base", "DECOUPLED, block",
      "DECOUPLED, kernel", "DECOUPLED, upper", "DECOUPLED, compensation", "DECOUPLED, kahanComp",
      "DECOUPLED, param", "DECOUPLED, grad", "DECOUPLED, paramStored", "DECOUPLED, phase",
      "DECOUPLED, momentumProductAfter", "DECOUPLED, literal0", "DECOUPLED, expAvg",
      "DECOUPLED, expAvgStored"})
  void aRuleValueNamedLikeWhatTheKernelUsesGivesCodeThatCompiles(String decay, String name) {
    JavaFileObject src = annotated("test", "NamesSpec", String.join("\n",
        "interface NamesSpec {",
        "  @PerStep",
        "  static double " + name + "(double beta1) {",
        "    return beta1;",
        "  }",
        "  @Rule",
        "  static float update(float g, @State(\"exp_avg\") float m, float lr, float " + name + ") {",
        "    m = " + name + " * m + 0.1f * g;",
        "    return -lr * m;",
        "  }",
        "}"), "decay = WeightDecay." + decay, "lr = 1e-3", "beta1 = 0.9",
        "precisions = {Precision.FLOAT, Precision.DOUBLE, Precision.BFLOAT16}");
    assertThat(ProcessorRun.compile(src).compilation()).succeededWithoutWarnings();
  }

  /** As above, for a state slot, whose Java name is a parameter of every loop method. */
  @ParameterizedTest(name = "{0} decay, state slot \"{1}\"")
  @CsvSource({"DECOUPLED, decay_factor", "L2, l2", "DECOUPLED, i", "DECOUPLED, from",
      "DECOUPLED, n", "DECOUPLED, param", "DECOUPLED, grad", "DECOUPLED, kernel",
      "DECOUPLED, grad_stored"})
  void aSlotNamedLikeWhatTheKernelUsesIsRefusedOnTheSpec(String decay, String slot) {
    JavaFileObject src = annotated("test", "SlotsSpec", String.join("\n",
        "interface SlotsSpec {",
        "  @Rule",
        "  static float update(float g, @State(\"" + slot + "\") float m, float lr) {",
        "    m = m + g;",
        "    return -lr * m;",
        "  }",
        "}"), "decay = WeightDecay." + decay, "lr = 1e-3",
        "precisions = {Precision.FLOAT, Precision.DOUBLE, Precision.BFLOAT16}");
    ProcessorRun run = ProcessorRun.compile(src);
    List<String> errorsOutsideTheSpec = new ArrayList<>();
    boolean refused = false;
    for (Diagnostic<? extends JavaFileObject> error : run.compilation().errors()) {
      String message = error.getMessage(Locale.ROOT);
      if (error.getSource() == null || !error.getSource().toUri().equals(src.toUri())
          || !message.startsWith("[Opt")) {
        errorsOutsideTheSpec.add((error.getSource() == null ? "?" : error.getSource().getName())
            + ":" + error.getLineNumber() + ": " + message);
      }
      refused |= message.startsWith("[OptRuleCollision] state slot " + slot + " ");
    }
    assertWithMessage("errors that are not an [Opt...] diagnostic on the spec")
        .that(errorsOutsideTheSpec).isEmpty();
    assertWithMessage("the slot is refused by name").that(refused).isTrue();
  }

  /** Qualified names of the generated sources, read from their paths under SOURCE_OUTPUT. */
  private static Set<String> generatedTypes(Compilation compilation) {
    Set<String> types = new TreeSet<>();
    for (JavaFileObject file : compilation.generatedSourceFiles()) {
      String path = file.toUri().getPath();
      String relative = path.substring(path.indexOf("/SOURCE_OUTPUT/") + "/SOURCE_OUTPUT/".length());
      types.add(relative.substring(0, relative.length() - ".java".length()).replace('/', '.'));
    }
    return types;
  }
}
