package io.github.optkernels.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.github.optkernels.processor.SpecSources.PACKAGE;
import static io.github.optkernels.processor.SpecSources.annotated;
import static io.github.optkernels.processor.SpecSources.specInterface;
import static io.github.optkernels.processor.SpecSources.userType;

import io.github.optkernels.annotations.EpsPlacement;
import io.github.optkernels.annotations.Precision;
import io.github.optkernels.annotations.WeightDecay;
import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import io.github.optkernels.processor.validation.Message;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The diagnostics tier: every {@link Message} a user can trigger, each compiled from a small inline
 * spec and checked for its exact text, the line of the member it must underline, and the promise
 * that a spec with errors generates nothing. Expected texts are built with {@link Message#format}
 * so a reworded message changes one place, while a message that moves to another member (or to the
 * class) fails here.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DiagnosticsTest {

  /** Constants some test expects; {@link #everyDiagnosticHasATest} compares them with Message. */
  private static final Set<Message> EXERCISED = EnumSet.noneOf(Message.class);
  /** Test methods that have run, so the completeness check can tell a partial run from a gap. */
  private static final Set<String> RAN = new HashSet<>();

  @AfterEach
  void noteRan(TestInfo info) {
    info.getTestMethod().ifPresent(method -> RAN.add(method.getName()));
  }

  // ---- the annotated element ----

  @ParameterizedTest(name = "@Optimizer on {1}")
  @CsvSource(delimiter = '|', value = {
      "class           | class AdamSpec {}",
      "enum            | enum AdamSpec { ONLY }",
      "record          | record AdamSpec() {}",
      "annotation type | @interface AdamSpec {}",
  })
  void annotationOnAnythingButAnInterfaceIsRejectedNamingTheKind(String kind, String declaration) {
    JavaFileObject src = annotated(PACKAGE, "AdamSpec", declaration);
    assertSingleError(src, "@Optimizer",
        expected(Message.NOT_AN_INTERFACE, kind, "AdamSpec", "AdamSpec"));
  }

  @Test
  void genericSpecInterfaceIsRejectedOnItsDeclaration() {
    JavaFileObject src = annotated(PACKAGE, "AdamSpec", "interface AdamSpec<T> {}");
    assertSingleError(src, "interface AdamSpec<T>", expected(Message.GENERIC_SPEC, "AdamSpec"));
  }

  // ---- the name ----

  @ParameterizedTest(name = "name = \"{0}\"")
  @ValueSource(strings = {"My-Adam", "class", "record", "var", "2Adam", "Adam W"})
  void explicitNameThatCannotNameAClassIsRejectedOnTheNameLine(String name) {
    JavaFileObject src = specInterface("AdamSpec", "name = \"" + name + "\"");
    assertSingleError(src, "name =", expected(Message.NAME_NOT_IDENTIFIER, name));
  }

  /** Nothing was written for name, so the annotation is where the user would add one. */
  @Test
  void derivedNameThatIsAKeywordIsRejectedOnTheAnnotation() {
    JavaFileObject src = annotated(PACKAGE, "classSpec", "interface classSpec {}");
    assertSingleError(src, "@Optimizer", expected(Message.NAME_NOT_IDENTIFIER, "class"));
  }

  @ParameterizedTest(name = "interface {0}")
  @ValueSource(strings = {"Foo", "Spec"})
  void interfaceWithoutSpecSuffixAndNoNameIsRejectedOnTheAnnotation(String simpleName) {
    JavaFileObject src = annotated(PACKAGE, simpleName, "interface " + simpleName + " {}");
    assertSingleError(src, "@Optimizer", expected(Message.NAME_NOT_DERIVABLE, simpleName));
  }

  @Test
  void emptyExplicitNameOnInterfaceWithoutSpecSuffixIsRejectedOnTheNameLine() {
    JavaFileObject src = specInterface("Foo", "name = \"\"");
    assertSingleError(src, "name =", expected(Message.NAME_NOT_DERIVABLE, "Foo"));
  }

  @Test
  void nameEqualToTheSpecInterfaceIsRejectedOnTheNameLine() {
    JavaFileObject src = specInterface("Adam", "name = \"Adam\"");
    assertSingleError(src, "name =", expected(Message.NAME_CLASHES_WITH_SPEC, "Adam"));
  }

  @Test
  void kernelNameEqualToTheSpecInterfaceIsRejectedOnTheNameLine() {
    JavaFileObject src = specInterface("AdamFloatKernel", "name = \"Adam\"");
    assertSingleError(src, "name =", expected(Message.NAME_CLASHES_WITH_SPEC, "AdamFloatKernel"));
  }

  @Test
  void explicitNameTakenByAUserClassInTheSamePackageIsRejectedOnTheNameLine() {
    JavaFileObject src = specInterface("OtherSpec", "name = \"Adam\"");
    JavaFileObject user = userType("Adam", "class Adam {}");
    ProcessorRun run = assertRejected(1, src, user);
    assertErrorOn(run, expected(Message.NAME_CLASHES_WITH_TYPE, "Adam", "type test.Adam"),
        src, "name =");
    assertNothingGenerated(run);
  }

  @Test
  void derivedKernelNameTakenByAUserClassInTheSamePackageIsRejectedOnTheAnnotation() {
    JavaFileObject src = specInterface("AdamSpec");
    JavaFileObject user = userType("AdamDoubleKernel", "final class AdamDoubleKernel {}");
    ProcessorRun run = assertRejected(1, user, src);
    assertErrorOn(run,
        expected(Message.NAME_CLASHES_WITH_TYPE, "AdamDoubleKernel", "type test.AdamDoubleKernel"),
        src, "@Optimizer");
    assertNothingGenerated(run);
  }

  /**
   * The first spec keeps the name; the second is told who has it, once, on its name line. Only the
   * head of the text is pinned: whether the owner is spelled {@code FirstSpec} or
   * {@code test.FirstSpec} is cosmetic.
   */
  @Test
  void twoSpecsWithTheSameNameInOnePackageAreReportedAsADuplicateName() {
    JavaFileObject first = specInterface("FirstSpec", "name = \"Adam\"");
    JavaFileObject second = specInterface("SecondSpec", "name = \"Adam\"");
    String text = expected(Message.DUPLICATE_NAME, "Adam", "FirstSpec", PACKAGE);
    String head = text.substring(0, text.indexOf("FirstSpec"));

    ProcessorRun run = ProcessorRun.compile(first, second);

    assertThat(run.compilation()).failed();
    assertErrorOn(run, head, second, "name =");
    assertThat(run.compilation()).hadErrorContaining("FirstSpec");
    assertThat(run.compilation()).hadErrorCount(1);
    assertThat(run.createdSources())
        .containsExactly("test.Adam", "test.AdamFloatKernel", "test.AdamDoubleKernel");
    for (List<String> origins : run.originatingElements().values()) {
      assertThat(origins).containsExactly("test.FirstSpec");
    }
  }

  /**
   * A generated class may not share its name with a source file of the package either: javac
   * finds a class by its file name, reads the user's file a second time and reports a misleading
   * "duplicate class" on the spec. The usual way to get there is a spec saved under the name of the
   * optimizer it generates.
   */
  @Test
  void specSavedInAFileNamedLikeItsOptimizerIsRejectedOnTheAnnotation() {
    JavaFileObject src = annotated(PACKAGE, "AdamW", "interface AdamWSpec {}");
    assertSingleError(src, "@Optimizer",
        expected(Message.NAME_CLASHES_WITH_FILE, "AdamW", "AdamW.java", "AdamWSpec"));
  }

  @Test
  void specSavedInAFileNamedLikeOneOfItsKernelsIsRejectedOnTheNameLine() {
    JavaFileObject src = annotated(PACKAGE, "FancyDoubleKernel", "interface SomeSpec {}",
        "name = \"Fancy\"");
    assertSingleError(src, "name =",
        expected(Message.NAME_CLASHES_WITH_FILE, "FancyDoubleKernel", "FancyDoubleKernel.java",
            "SomeSpec"));
  }

  /** Not only the spec's own file: any file of the package that javac compiles in this build. */
  @Test
  void generatedNameEqualToAnotherFileOfThePackageIsRejectedOnTheAnnotation() {
    JavaFileObject src = specInterface("AdamSpec");
    JavaFileObject other = userType("AdamFloatKernel", "final class Helper {}");
    ProcessorRun run = assertRejected(1, src, other);
    assertErrorOn(run,
        expected(Message.NAME_CLASHES_WITH_FILE, "AdamFloatKernel", "AdamFloatKernel.java", "Helper"),
        src, "@Optimizer");
    assertNothingGenerated(run);
  }

  /**
   * A 16-bit kernel's fused loops are generated only when the compilation sees
   * jdk.incubator.vector, but their name is kept free always: adding the module to a build must not
   * break it.
   */
  @Test
  void fusedLoopsNameTakenByAUserClassIsRejectedEvenWithoutTheVectorModule() {
    JavaFileObject src = specInterface("AdamSpec", "precisions = {Precision.BFLOAT16}");
    JavaFileObject user = userType("AdamBf16VectorLoops", "final class AdamBf16VectorLoops {}");
    ProcessorRun run = assertRejected(1, src, user);
    assertErrorOn(run, expected(Message.NAME_CLASHES_WITH_TYPE, "AdamBf16VectorLoops",
        "type test.AdamBf16VectorLoops"), src, "@Optimizer");
    assertNothingGenerated(run);
  }

  @Test
  void specSavedInAFileNamedLikeItsFusedLoopsIsRejectedOnTheAnnotation() {
    JavaFileObject src = annotated(PACKAGE, "AdamFp16VectorLoops", "interface AdamSpec {}",
        "precisions = {Precision.FLOAT16}");
    assertSingleError(src, "@Optimizer", expected(Message.NAME_CLASHES_WITH_FILE,
        "AdamFp16VectorLoops", "AdamFp16VectorLoops.java", "AdamSpec"));
  }

  // ---- the spec's body ----

  /** A spec says everything in @Optimizer; a method in it would be ignored without a word. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "abstract method       | double lr();                                | lr",
      "default method        | default double lr() { return 1e-2; }        | lr",
      "static method         | static double lr() { return 1e-2; }         | lr",
      "private method        | private double scaled() { return 2; }       | scaled",
      "private static method | private static double scaled() { return 2; } | scaled",
  })
  void methodInTheSpecIsRejectedOnTheMethod(String kind, String method, String name) {
    JavaFileObject src = annotated(PACKAGE, "AdamSpec",
        "interface AdamSpec {\n  " + method + "\n}");
    assertSingleError(src, method, expected(Message.SPEC_DECLARES_METHOD, "AdamSpec", kind, name));
  }

  /** The newcomer's guess at configuring a spec: it would silently keep the default lr. */
  @Test
  void fieldNamedLikeAnOptimizerMemberIsRejectedOnTheField() {
    JavaFileObject src = annotated(PACKAGE, "AdamSpec",
        "interface AdamSpec {\n  double lr = 1e-2;\n}");
    assertSingleError(src, "double lr", expected(Message.SPEC_FIELD_NAMED_LIKE_MEMBER, "lr"));
  }

  /** Constants and nested types do nothing by themselves, and a constant can feed @Optimizer. */
  @Test
  void constantsAndNestedTypesInTheSpecAreAccepted() {
    JavaFileObject src = annotated(PACKAGE, "AdamSpec",
        "interface AdamSpec {\n"
            + "  double LR = 2e-3;\n"
            + "  final class Notes { private Notes() {} }\n"
            + "}",
        "lr = AdamSpec.LR");
    ProcessorRun run = ProcessorRun.compile(src);
    assertThat(run.compilation()).succeededWithoutWarnings();
    assertThat(run.createdSources())
        .containsExactly("test.Adam", "test.AdamFloatKernel", "test.AdamDoubleKernel");
  }

  /** The default package has no "package." prefix; the duplicate must be found there too. */
  @Test
  void twoSpecsWithTheSameNameInTheDefaultPackageAreReportedAsADuplicateName() {
    JavaFileObject first = annotated("", "FirstSpec", "interface FirstSpec {}", "name = \"Adam\"");
    JavaFileObject second = annotated("", "SecondSpec", "interface SecondSpec {}", "name = \"Adam\"");
    ProcessorRun run = assertRejected(1, first, second);
    assertErrorOn(run, expected(Message.DUPLICATE_NAME, "Adam", "FirstSpec", "(default package)"),
        second, "name =");
    assertThat(run.createdSources()).containsExactly("Adam", "AdamFloatKernel", "AdamDoubleKernel");
  }

  // ---- precisions ----

  @Test
  void emptyPrecisionsIsRejectedOnThePrecisionsLine() {
    JavaFileObject src = specInterface("AdamSpec", "precisions = {}");
    assertSingleError(src, "precisions", expected(Message.NO_PRECISION));
  }

  @Test
  void duplicatePrecisionIsRejectedOnThePrecisionsLine() {
    JavaFileObject src = specInterface("AdamSpec",
        "precisions = {Precision.FLOAT, Precision.DOUBLE, Precision.FLOAT}");
    assertSingleError(src, "precisions",
        expected(Message.DUPLICATE_PRECISION, Precision.FLOAT));
  }

  /** The smallest culprit in a list is the repeated item, not the list. */
  @Test
  void duplicatePrecisionInAMultiLineListIsRejectedOnTheRepeatedItem() {
    JavaFileObject src = specInterface("AdamSpec",
        "precisions = {\n"
            + "        Precision.DOUBLE, // first\n"
            + "        Precision.FLOAT,\n"
            + "        Precision.DOUBLE // repeated\n"
            + "    }");
    assertSingleError(src, "// repeated",
        expected(Message.DUPLICATE_PRECISION, Precision.DOUBLE));
  }

  // ---- hyperparameter ranges ----

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "beta1 | 1.0                      | 1.0      | 0.9",
      "beta2 | 1.0                      | 1.0      | 0.999",
      "beta2 | 1.5                      | 1.5      | 0.999",
      "beta2 | -0.1                     | -0.1     | 0.999",
      "beta1 | 0.0 / 0.0                | NaN      | 0.9",
      "beta2 | Double.POSITIVE_INFINITY | Infinity | 0.999",
  })
  void betaOutsideZeroToOneIsRejectedOnItsOwnLine(String beta, String source, double value,
      String example) {
    JavaFileObject src = specInterface("AdamSpec", beta + " = " + source);
    assertSingleError(src, beta, expected(Message.BETA_OUT_OF_RANGE, beta, value, example));
  }

  @ParameterizedTest(name = "lr = {0}")
  @CsvSource(delimiter = '|', value = {
      "0                        | 0.0",
      "-1e-3                    | -0.001",
      "0.0 / 0.0                | NaN",
      "Double.POSITIVE_INFINITY | Infinity",
  })
  void learningRateThatIsNotPositiveAndFiniteIsRejectedOnTheLrLine(String source, double value) {
    JavaFileObject src = specInterface("AdamSpec", "lr = " + source);
    assertSingleError(src, "lr =", expected(Message.LR_NOT_POSITIVE, value));
  }

  /** The second column switches on the option the member belongs to, so only the range is wrong. */
  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "eps           | -1e-8                    | -1e-8    | ''",
      "eps           | 0.0 / 0.0                | NaN      | ''",
      "eps           | Double.POSITIVE_INFINITY | Infinity | ''",
      "epsRoot       | -1e-8                    | -1e-8    | epsPlacement = EpsPlacement.INSIDE_CORRECTED_SQRT",
      "weightDecay   | -0.01                    | -0.01    | decay = WeightDecay.DECOUPLED",
      "momentumDecay | -0.004                   | -0.004   | firstMoment = FirstMoment.NESTEROV",
  })
  void negativeOrNonFiniteConstantIsRejectedOnItsOwnLine(String member, String source,
      double value, String enabling) {
    List<String> members = new ArrayList<>();
    if (!enabling.isEmpty()) {
      members.add(enabling);
    }
    members.add(member + " = " + source);
    JavaFileObject src = specInterface("AdamSpec", members.toArray(new String[0]));
    assertSingleError(src, member + " =",
        expected(Message.NEGATIVE_OR_NONFINITE, member, value));
  }

  @Test
  void negativeVarianceWarmupIsRejectedOnItsLine() {
    JavaFileObject src = specInterface("AdamSpec", "varianceWarmupSteps = -1");
    assertSingleError(src, "varianceWarmupSteps", expected(Message.WARMUP_NEGATIVE, -1));
  }

  // ---- options that contradict each other ----

  @Test
  void weightDecayWithoutADecayModeIsRejectedOnTheWeightDecayLine() {
    JavaFileObject src = specInterface("AdamSpec", "weightDecay = 0.01");
    assertSingleError(src, "weightDecay", expected(Message.WEIGHT_DECAY_WITHOUT_MODE, 0.01));
  }

  @ParameterizedTest(name = "decay = {0}")
  @CsvSource(delimiter = '|', value = {
      "NONE      | ''",
      "L2        | decay = WeightDecay.L2",
      "DECOUPLED | decay = WeightDecay.DECOUPLED",
  })
  void maxLrWithoutFullyDecoupledDecayIsRejectedOnTheMaxLrLine(WeightDecay decay,
      String decayMember) {
    JavaFileObject src = decayMember.isEmpty()
        ? specInterface("AdamSpec", "maxLr = 0.01")
        : specInterface("AdamSpec", decayMember, "maxLr = 0.01");
    assertSingleError(src, "maxLr", expected(Message.MAX_LR_WITHOUT_FULLY_DECOUPLED, decay));
  }

  @ParameterizedTest(name = "maxLr = {0}")
  @CsvSource(delimiter = '|', value = {
      "0                        | 0.0",
      "-1e-3                    | -0.001",
      "Double.POSITIVE_INFINITY | Infinity",
  })
  void nonPositiveMaxLrWithFullyDecoupledDecayIsRejectedOnTheMaxLrLine(String source,
      double value) {
    JavaFileObject src = specInterface("AdamSpec",
        "decay = WeightDecay.FULLY_DECOUPLED",
        "maxLr = " + source);
    assertSingleError(src, "maxLr", expected(Message.MAX_LR_NOT_POSITIVE, value));
  }

  /** Writing the default value still counts: the member says something that cannot happen. */
  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"", "firstMoment = FirstMoment.EMA"})
  void momentumDecayOnAnEmaFirstMomentIsRejectedOnTheMomentumDecayLine(String firstMoment) {
    JavaFileObject src = firstMoment.isEmpty()
        ? specInterface("AdamSpec", "momentumDecay = 0.004")
        : specInterface("AdamSpec", firstMoment, "momentumDecay = 0.004");
    assertSingleError(src, "momentumDecay", expected(Message.MOMENTUM_DECAY_WITHOUT_NESTEROV));
  }

  @ParameterizedTest(name = "epsPlacement = {0}")
  @EnumSource(value = EpsPlacement.class, names = {"OUTSIDE_CORRECTED_SQRT", "OUTSIDE_RAW_SQRT"})
  void epsRootWithoutInsidePlacementIsRejectedOnTheEpsRootLine(EpsPlacement placement) {
    JavaFileObject src = placement == EpsPlacement.OUTSIDE_CORRECTED_SQRT
        ? specInterface("AdamSpec", "epsRoot = 1e-8")
        : specInterface("AdamSpec", "epsPlacement = EpsPlacement." + placement, "epsRoot = 1e-8");
    assertSingleError(src, "epsRoot", expected(Message.EPS_ROOT_WITHOUT_INSIDE, placement));
  }

  @Test
  void rectifyThresholdWithoutRectificationIsRejectedOnTheThresholdLine() {
    JavaFileObject src = specInterface("AdamSpec",
        "rectify = Rectification.NONE",
        "rectifyThreshold = RectifyThreshold.RHO_AT_LEAST_5");
    assertSingleError(src, "rectifyThreshold", expected(Message.THRESHOLD_WITHOUT_RECTIFY));
  }

  /** ρ∞ = 2/(1 − β2) − 1; at or below 5 no step can pass the threshold. */
  @ParameterizedTest(name = "{0} with beta2 = {1}")
  @CsvSource(delimiter = '|', value = {
      "RADAM_SGD_FALLBACK | 0.5 | 3.0 | an un-adapted SGD step",
      "RADAM_SKIP_UPDATE  | 0.5 | 3.0 | skipped",
      "RADAM_SGD_FALLBACK | 0   | 1.0 | an un-adapted SGD step",
  })
  void rectificationThatCanNeverEngageIsRejectedOnTheBeta2Line(String rectify, double beta2,
      double rhoInf, String everyStep) {
    JavaFileObject src = specInterface("RAdamSpec",
        "rectify = Rectification." + rectify,
        "beta2 = " + beta2);
    assertSingleError(src, "beta2",
        expected(Message.RECTIFY_NEVER_ENGAGES, beta2, rhoInf, everyStep));
  }

  /** The other side of the ρ∞ ≤ 5 boundary must stay quiet, or users could not write RAdam. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
      "RADAM_SGD_FALLBACK | ''",
      "RADAM_SKIP_UPDATE  | ''",
      "RADAM_SGD_FALLBACK | beta2 = 0.7",
      "RADAM_SKIP_UPDATE  | beta2 = 0.7",
  })
  void rectificationThatCanEngageIsAccepted(String rectify, String beta2) {
    JavaFileObject src = beta2.isEmpty()
        ? specInterface("RAdamSpec", "rectify = Rectification." + rectify)
        : specInterface("RAdamSpec", "rectify = Rectification." + rectify, beta2);
    ProcessorRun run = ProcessorRun.compile(src);
    assertThat(run.compilation()).succeededWithoutWarnings();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"", "precisions = {Precision.FLOAT}"})
  void kahanWithoutSixteenBitPrecisionIsRejectedOnTheKahanLine(String precisions) {
    JavaFileObject src = precisions.isEmpty()
        ? specInterface("AdamSpec", "kahan = Kahan.ON")
        : specInterface("AdamSpec", precisions, "kahan = Kahan.ON");
    assertSingleError(src, "kahan", expected(Message.KAHAN_WITHOUT_HALF));
  }

  @Test
  void statePrecisionWithoutSixteenBitPrecisionIsRejectedOnItsLine() {
    JavaFileObject src = specInterface("AdamSpec", "statePrecision = StatePrecision.PARAMETER");
    assertSingleError(src, "statePrecision", expected(Message.STATE_PRECISION_WITHOUT_HALF));
  }

  @Test
  void stochasticRoundingWithoutSixteenBitPrecisionIsRejectedOnTheRoundingLine() {
    JavaFileObject src = specInterface("AdamSpec", "rounding = ParamRounding.STOCHASTIC");
    assertSingleError(src, "rounding", expected(Message.STOCHASTIC_WITHOUT_HALF));
  }

  @Test
  void kahanTogetherWithStochasticRoundingIsRejectedOnTheRoundingLine() {
    JavaFileObject src = specInterface("AdamSpec",
        "precisions = {Precision.BFLOAT16}",
        "kahan = Kahan.ON",
        "rounding = ParamRounding.STOCHASTIC");
    assertSingleError(src, "rounding", expected(Message.KAHAN_WITH_STOCHASTIC));
  }

  // ---- several mistakes at once ----

  @Test
  void everyRangeMistakeInOneSpecIsReportedOnItsOwnLine() {
    JavaFileObject src = specInterface("AdamSpec",
        "beta1 = 2",
        "eps = -1",
        "lr = 0");
    ProcessorRun run = assertRejected(3, src);
    assertErrorOn(run, expected(Message.BETA_OUT_OF_RANGE, "beta1", 2.0, "0.9"), src, "beta1");
    assertErrorOn(run, expected(Message.NEGATIVE_OR_NONFINITE, "eps", -1.0), src, "eps =");
    assertErrorOn(run, expected(Message.LR_NOT_POSITIVE, 0.0), src, "lr =");
    assertNothingGenerated(run);
  }

  /** A bad name must not stop the precision, range and consistency checks from running. */
  @Test
  void mistakesFromEveryKindOfCheckAreAllReported() {
    JavaFileObject src = specInterface("AdamSpec",
        "name = \"class\"",
        "precisions = {}",
        "kahan = Kahan.ON",
        "maxLr = 1",
        "varianceWarmupSteps = -2");
    ProcessorRun run = assertRejected(5, src);
    assertErrorOn(run, expected(Message.NAME_NOT_IDENTIFIER, "class"), src, "name =");
    assertErrorOn(run, expected(Message.NO_PRECISION), src, "precisions");
    assertErrorOn(run, expected(Message.KAHAN_WITHOUT_HALF), src, "kahan");
    assertErrorOn(run, expected(Message.MAX_LR_WITHOUT_FULLY_DECOUPLED, WeightDecay.NONE),
        src, "maxLr");
    assertErrorOn(run, expected(Message.WARMUP_NEGATIVE, -2), src, "varianceWarmupSteps");
    assertNothingGenerated(run);
  }

  /**
   * A spec's errors come out in the order they are written, not in the order the checks run
   * (precisions, then ranges, then consistency, with the body checked first): a user fixing them
   * top to bottom never jumps around the file.
   */
  @Test
  void aSpecsErrorsAreReportedInSourceOrder() {
    JavaFileObject src = annotated(PACKAGE, "AdamSpec",
        "interface AdamSpec {\n  default double lr() { return 1; }\n}",
        "kahan = Kahan.ON",
        "beta1 = 2",
        "precisions = {}");
    ProcessorRun run = assertRejected(4, src);
    List<String> inOrder = List.of(
        expected(Message.KAHAN_WITHOUT_HALF),
        expected(Message.BETA_OUT_OF_RANGE, "beta1", 2.0, "0.9"),
        expected(Message.NO_PRECISION),
        expected(Message.SPEC_DECLARES_METHOD, "AdamSpec", "default method", "lr"));
    List<String> reported = new ArrayList<>();
    List<Long> lines = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> error : run.compilation().errors()) {
      reported.add(error.getMessage(Locale.ROOT));
      lines.add(error.getLineNumber());
    }
    assertThat(reported).containsExactlyElementsIn(inOrder).inOrder();
    assertThat(lines).isInStrictOrder();
    assertErrorOn(run, inOrder.get(0), src, "kahan");
    assertErrorOn(run, inOrder.get(3), src, "default double lr()");
    assertNothingGenerated(run);
  }

  /** Errors are per spec: a broken spec must not take a sound one in the same build down with it. */
  @Test
  void aSpecWithErrorsDoesNotStopAnotherSpecFromBeingGenerated() {
    JavaFileObject bad = specInterface("BadSpec", "beta2 = 1.5");
    JavaFileObject good = specInterface("GoodSpec");
    ProcessorRun run = assertRejected(1, bad, good);
    assertErrorOn(run, expected(Message.BETA_OUT_OF_RANGE, "beta2", 1.5, "0.999"), bad, "beta2");
    assertThat(run.createdSources())
        .containsExactly("test.Good", "test.GoodFloatKernel", "test.GoodDoubleKernel");
  }

  // ---- keeping this class complete ----

  // ---- a rule the user writes ----

  private static final String[] NONE = {};

  /** A spec {@code MySpec} with {@code members} on @Optimizer and {@code body} inside the interface. */
  private static JavaFileObject ruleSpec(String[] members, String... body) {
    return annotated(PACKAGE, "MySpec", "interface MySpec {\n" + String.join("\n", body) + "\n}", members);
  }

  /** A valid rule's lines, with {@code statements} before its return. */
  private static String[] rule(String parameters, String... statements) {
    List<String> lines = new ArrayList<>(List.of("  @Rule", "  static float update(" + parameters + ") {"));
    for (String statement : statements) {
      lines.add("    " + statement);
    }
    lines.add("    return -lr * m;");
    lines.add("  }");
    return lines.toArray(new String[0]);
  }

  private static String[] concat(String[]... parts) {
    List<String> all = new ArrayList<>();
    for (String[] part : parts) {
      all.addAll(List.of(part));
    }
    return all.toArray(new String[0]);
  }

  @Test
  void aValidRuleGeneratesItsOptimizer() {
    ProcessorRun run = ProcessorRun.compile(ruleSpec(NONE, rule("float g, @State float m, float lr",
        "m = 0.5f * m + g;")));
    assertThat(run.compilation()).succeededWithoutWarnings();
    assertThat(run.createdSources()).contains("test.My");
  }

  @Test
  void twoRulesAreRejectedOnTheSecond() {
    JavaFileObject src = ruleSpec(NONE, concat(rule("float g, @State float m, float lr", "m = g;"),
        new String[] {"  @Rule", "  static float second(float g) {", "    return g;", "  }"}));
    assertSingleError(src, "static float second", expected(Message.RULE_COUNT, 2, "update, second"));
  }

  @Test
  void aRuleThatIsNotStaticIsRejectedOnTheMethod() {
    JavaFileObject src = ruleSpec(NONE, "  @Rule", "  default float update(float g, @State float m, float lr) {",
        "    m = g;", "    return -lr * m;", "  }");
    assertSingleError(src, "default float update", expected(Message.RULE_NOT_STATIC, "Rule", "update"));
  }

  @Test
  void aRuleReturningDoubleIsRejectedOnTheMethod() {
    JavaFileObject src = ruleSpec(NONE, "  @Rule", "  static double update(float g, float lr) {",
        "    return -lr * g;", "  }");
    assertSingleError(src, "static double update", expected(Message.RULE_SIGNATURE,
        "@Rule method update returns double", "it returns the float update u (p ← p + u), or is void and assigns p"));
  }

  @Test
  void aRuleWithoutSourceIsRejected() throws Exception {
    Compilation library = Compiler.javac().compile(JavaFileObjects.forSourceLines("lib.Library",
        "package lib;", "import io.github.optkernels.annotations.*;", "public interface Library {",
        "  @Rule", "  static float update(float g, float lr) {", "    return -lr * g;", "  }", "}"));
    assertThat(library).succeeded();
    java.nio.file.Path classes = java.nio.file.Files.createTempDirectory("optkernels-library");
    for (JavaFileObject file : library.generatedFiles()) {
      if (file.getKind() == JavaFileObject.Kind.CLASS) {
        java.nio.file.Path target = classes.resolve("lib").resolve(
            file.getName().substring(file.getName().lastIndexOf('/') + 1));
        java.nio.file.Files.createDirectories(target.getParent());
        try (var in = file.openInputStream()) {
          java.nio.file.Files.copy(in, target);
        }
      }
    }
    JavaFileObject src = annotated(PACKAGE, "FromJarSpec", "interface FromJarSpec extends lib.Library {}");
    ProcessorRun run = ProcessorRun.compile(List.of(classes.toFile()), src);
    assertThat(run.compilation()).failed();
    assertErrorOn(run, expected(Message.RULE_NEEDS_SOURCE, "FromJarSpec"), src, "@Optimizer");
    assertThat(run.compilation()).hadErrorCount(1);
  }

  @Test
  void aFamilyMemberBesideARuleIsRejectedOnTheMember() {
    JavaFileObject src = ruleSpec(new String[] {"firstMoment = FirstMoment.NESTEROV"},
        rule("float g, @State float m, float lr", "m = g;"));
    assertSingleError(src, "firstMoment =", expected(Message.RULE_SWITCH, "firstMoment", "firstMoment"));
  }

  @Test
  void proximalDecayWithoutARuleIsRejectedOnTheDecay() {
    JavaFileObject src = specInterface("AdamSpec", "decay = WeightDecay.PROXIMAL");
    assertSingleError(src, "decay =", expected(Message.RULE_PROXIMAL_WITHOUT_RULE));
  }

  @Test
  void aParameterThatNamesNothingIsRejectedOnTheParameter() {
    JavaFileObject src = ruleSpec(NONE, rule("float g, @State float m, float lr, float beta4", "m = beta4 * g;"));
    ProcessorRun run = assertRejected(1, src);
    assertErrorOn(run, expected(Message.RULE_UNKNOWN_NAME, "beta4", "@Rule method update",
        "g, p, a hyperparameter (lr, beta1, beta2, eps, epsRoot, weightDecay, maxLr, momentumDecay, varianceWarmupSteps)"),
        src, "static float update");
  }

  @Test
  void aGradientDeclaredDoubleIsRejectedOnTheParameter() {
    JavaFileObject src = ruleSpec(NONE, "  @Rule", "  static float update(double g, float lr) {",
        "    return -lr;", "  }");
    assertSingleError(src, "static float update", expected(Message.RULE_PARAMETER_TYPE, "g", "update", "double", "float"));
  }

  @Test
  void aSlotNamedLikeTheKahanBufferIsRejected() {
    JavaFileObject src = ruleSpec(NONE, rule("float g, @State(\"kahan_comp\") float m, float lr", "m = g;"));
    assertSingleError(src, "static float update", expected(Message.RULE_COLLISION, "state slot", "kahan_comp",
        "the Kahan compensation buffer 16-bit kernels keep"));
  }

  @Test
  void anIfStatementIsRejectedOnTheStatement() {
    JavaFileObject src = ruleSpec(NONE, rule("float g, @State float m, float lr", "if (g > 0) m = g;"));
    assertSingleError(src, "if (g > 0)", expected(Message.RULE_STATEMENT, "an if statement",
        "use a ternary, c ? a : b (the element loop has no branches)"));
  }

  @Test
  void aLoopIsRejectedOnTheLoop() {
    JavaFileObject src = ruleSpec(NONE, rule("float g, @State float m, float lr", "for (int k = 0; k < 2; k++) m = g;"));
    assertSingleError(src, "for (int k", expected(Message.RULE_STATEMENT, "a loop",
        "the rule runs once per element; the kernel is the loop (for a sum over the tensor use Tensor.norm)"));
  }

  @Test
  void aFieldReadIsRejectedOnTheExpression() {
    JavaFileObject src = ruleSpec(NONE, rule("float g, @State float m, float lr", "m = g * (float) Math.PI;"));
    assertSingleError(src, "Math.PI", expected(Message.RULE_EXPRESSION, "the field Math.PI",
        "take the value as a parameter of the rule (a hyperparameter, a @PerStep value or a @State slot)"));
  }

  @Test
  void anAllocationIsRejectedOnTheExpression() {
    JavaFileObject src = ruleSpec(NONE, rule("float g, @State float m, float lr", "m = new float[] {g}[0];"));
    ProcessorRun run = assertRejected(1, src);
    assertErrorOn(run, expected(Message.RULE_EXPRESSION, "an array access",
        "a rule computes with + - * /, comparisons, ?: and Math.sqrt, Math.abs, Math.min, Math.max, Math.signum, Math.fma and Tensor.norm"),
        src, "new float[]");
  }

  @Test
  void aCallToAnotherMethodIsRejectedOnTheCall() {
    JavaFileObject src = ruleSpec(NONE, rule("float g, @State float m, float lr", "m = (float) Math.exp(g);"));
    assertSingleError(src, "Math.exp", expected(Message.RULE_CALL, "Math.exp", "a rule",
        "Math.sqrt, Math.abs, Math.min, Math.max, Math.signum, Math.fma and Tensor.norm"));
  }

  @Test
  void aDoubleLocalIsRejectedOnItsType() {
    JavaFileObject src = ruleSpec(NONE, rule("float g, @State float m, float lr", "double twice = 2 * g;", "m = g;"));
    assertSingleError(src, "double twice", expected(Message.RULE_DOUBLE, "double twice", "declare it float"));
  }

  @Test
  void anUncastSquareRootIsRejectedWhereItIsUsed() {
    JavaFileObject src = ruleSpec(NONE, rule("float g, @State float m, float lr", "m = (float) (Math.sqrt(g) + 1);"));
    assertSingleError(src, "Math.sqrt(g) + 1", expected(Message.RULE_DOUBLE, "'Math.sqrt(g)'",
        "cast Math.sqrt back to float at once: (float) Math.sqrt(x)"));
  }

  @Test
  void assigningTheGradientIsRejected() {
    JavaFileObject src = ruleSpec(NONE, rule("float g, @State float m, float lr", "g = 2 * g;", "m = g;"));
    assertSingleError(src, "g = 2 * g", expected(Message.RULE_READ_ONLY, "g",
        "it is an input of the step (the gradient, a hyperparameter or a per-step value); copy it into a local"));
  }

  @Test
  void aConstantReadWithoutBeingAParameterIsRejected() {
    JavaFileObject src = ruleSpec(NONE, concat(new String[] {"  float SCALE = 2;"},
        rule("float g, @State float m, float lr", "m = SCALE * g;")));
    assertSingleError(src, "m = SCALE", expected(Message.RULE_UNDEFINED, "SCALE",
        "a rule reads its parameters and locals (a field or constant must be a parameter: a @Hyper or @PerStep)"));
  }

  @Test
  void aVoidRuleThatNeverAssignsTheParameterIsRejected() {
    JavaFileObject src = ruleSpec(NONE, "  @Rule", "  static void update(float g, @State float m) {",
        "    m = g;", "  }");
    assertSingleError(src, "static void update", expected(Message.RULE_RETURN,
        "void rule update never assigns p: assign the new parameter (p = ...), or return the update as a float"));
  }

  @Test
  void aNormOfANormIsRejectedOnTheCall() {
    JavaFileObject src = ruleSpec(NONE, rule("float g, @State float m, float lr",
        "float a = Tensor.norm(g);", "m = Tensor.norm(a * g);"));
    assertSingleError(src, "m = Tensor.norm", expected(Message.RULE_NORM, "a * g",
        "its argument depends on another norm, which is known only after the pass that sums it; a rule has one summing pass"));
  }

  @Test
  void integerDivisionInAPerStepMethodIsRejected() {
    JavaFileObject src = ruleSpec(NONE, concat(new String[] {
        "  @Hyper(domain = Hyper.Domain.COUNT) int warmup = 4;",
        "  @PerStep", "  static double ramp(long t, int warmup) {", "    return t / warmup;", "  }"},
        rule("float g, @State float m, float lr, float ramp", "m = ramp * g;")));
    assertSingleError(src, "return t / warmup", expected(Message.RULE_INTEGER_DIVISION, "t / warmup", "t"));
  }

  @Test
  void perStepMethodsThatReadEachOtherAreRejected() {
    JavaFileObject src = ruleSpec(NONE, concat(new String[] {
        "  @PerStep", "  static double a(double b) {", "    return b;", "  }",
        "  @PerStep", "  static double b(double a) {", "    return a;", "  }"},
        rule("float g, @State float m, float lr, float a", "m = a * g;")));
    ProcessorRun run = assertRejected(1, src);
    assertErrorOn(run, expected(Message.RULE_CYCLE, "a", "a → b → a"), src, "static double b");
  }

  @Test
  void aCarriedMethodWithoutItsPreviousValueIsRejected() {
    JavaFileObject src = ruleSpec(NONE, concat(new String[] {
        "  @PerStep @Carried(initial = 0)", "  static double total(double lr) {", "    return lr;", "  }"},
        rule("float g, @State float m, float lr, float total", "m = total * g;")));
    assertSingleError(src, "static double total", expected(Message.RULE_CARRIED, "total",
        "must take its previous value as a parameter named total"));
  }

  @Test
  void anIntHyperparameterWithoutCountDomainIsRejected() {
    JavaFileObject src = ruleSpec(NONE, concat(new String[] {"  @Hyper int steps = 3;"},
        rule("float g, @State float m, float lr", "m = g;")));
    assertSingleError(src, "int steps", expected(Message.RULE_HYPER, "steps",
        "is an int; give it domain = COUNT (or declare it double)"));
  }

  @Test
  void aDefaultTheRuleNeverReadsIsRejectedOnTheMember() {
    JavaFileObject src = ruleSpec(new String[] {"beta2 = 0.99"}, rule("float g, @State float m, float lr", "m = g;"));
    assertSingleError(src, "beta2 =", expected(Message.RULE_UNUSED_MEMBER, "beta2", 0.99, "beta2"));
  }

  @Test
  void aRuleReadingWeightDecayThatTheSkeletonAppliesIsRejected() {
    JavaFileObject src = ruleSpec(new String[] {"decay = WeightDecay.DECOUPLED"},
        rule("float g, @State float m, float lr, float weightDecay", "m = weightDecay * g;"));
    assertSingleError(src, "static float update", expected(Message.RULE_DECAY_TWICE, "DECOUPLED"));
  }

  @Test
  void kahanOnWithARuleThatAssignsTheParameterIsRejected() {
    JavaFileObject src = ruleSpec(new String[] {"precisions = Precision.BFLOAT16", "kahan = Kahan.ON"},
        "  @Rule", "  static void update(float g, float p, float lr) {", "    p = p - lr * g;", "  }");
    assertSingleError(src, "static void update", expected(Message.RULE_KAHAN, "update"));
  }

  @Test
  void decoupledDecayWithARuleThatAssignsTheParameterIsRejected() {
    JavaFileObject src = ruleSpec(new String[] {"decay = WeightDecay.DECOUPLED"},
        "  @Rule", "  static void update(float g, float p, float lr) {", "    p = p - lr * g;", "  }");
    assertSingleError(src, "static void update", expected(Message.RULE_DECAY_VOID, "DECOUPLED", "update"));
  }

  /**
   * Runs last. A new Message without a test here fails the build, so a diagnostic cannot ship
   * untested. PROCESSOR_CRASHED is the exception: nothing a user writes should trigger it
   * (UserSourceErrorsTest checks that it stays silent). Skipped, not failed, when only part of the
   * class ran (an IDE or -Dtest=...#method), since then the record is incomplete.
   */
  @Test
  @Order(Integer.MAX_VALUE)
  void everyDiagnosticHasATest() {
    Set<String> declared = new HashSet<>();
    for (Method method : DiagnosticsTest.class.getDeclaredMethods()) {
      // A disabled test counts as absent, so disabling one cannot switch this check off.
      if ((method.isAnnotationPresent(Test.class) || method.isAnnotationPresent(ParameterizedTest.class))
          && !method.isAnnotationPresent(Disabled.class)
          && !method.getName().equals("everyDiagnosticHasATest")) {
        declared.add(method.getName());
      }
    }
    Set<String> missed = new HashSet<>(declared);
    missed.removeAll(RAN);
    Assumptions.assumeTrue(missed.isEmpty(), "only part of DiagnosticsTest ran; not run: " + missed);

    Set<Message> untested = EnumSet.allOf(Message.class);
    untested.remove(Message.PROCESSOR_CRASHED);
    untested.removeAll(EXERCISED);
    assertWithMessage("Message constants no test in DiagnosticsTest expects").that(untested).isEmpty();
  }

  // ---- helpers ----

  /** The text {@code message} produces for {@code args}; notes that a test expects the constant. */
  private static String expected(Message message, Object... args) {
    EXERCISED.add(message);
    return message.format(args);
  }

  /**
   * The common case: one mistake gives exactly one error, on the line of the member that carries
   * it, with no warnings alongside, and nothing is generated.
   */
  private static void assertSingleError(JavaFileObject src, String lineFragment, String text) {
    ProcessorRun run = ProcessorRun.compile(src);
    assertThat(run.compilation()).failed();
    assertErrorOn(run, text, src, lineFragment);
    assertThat(run.compilation()).hadErrorCount(1);
    assertThat(run.compilation()).hadWarningCount(0);
    assertNothingGenerated(run);
  }

  private static ProcessorRun assertRejected(int errors, JavaFileObject... sources) {
    ProcessorRun run = ProcessorRun.compile(sources);
    assertThat(run.compilation()).failed();
    assertThat(run.compilation()).hadErrorCount(errors);
    assertThat(run.compilation()).hadWarningCount(0);
    return run;
  }

  private static void assertErrorOn(ProcessorRun run, String text, JavaFileObject src,
      String lineFragment) {
    assertThat(run.compilation()).hadErrorContaining(text).inFile(src).onLineContaining(lineFragment);
  }

  private static void assertNothingGenerated(ProcessorRun run) {
    assertWithMessage("sources requested from the Filer for a spec with errors")
        .that(run.createdSources()).isEmpty();
    assertThat(run.otherFiles()).isEmpty();
  }
}
