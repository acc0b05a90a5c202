package io.github.optkernels.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated source of a few representative specs, compared with checked-in golden files: one
 * per distinct kernel shape (plain EMA; rectified with debiased storage and three loops; NAdam's
 * two-term numerator in double; belief with AMSGrad; a 16-bit kernel's block loops with float32
 * moments and Kahan compensation; one with 16-bit moments and stochastic rounding; a bf16 kernel
 * compiled with the Vector API visible, and two fused-loop classes) plus two
 * optimizer classes (float and double; fp16 with a rounding seed). A generator change
 * that alters output shows up here as a readable diff. After an intended change, regenerate with
 * {@code mvn -pl processor test -Dtest=GoldenFileTest -Dgolden.update=true} and review the diff.
 */
class GoldenFileTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");

  static Stream<Arguments> goldens() {
    return Stream.of(
        Arguments.of("AdamWSpec", "@Optimizer(decay = WeightDecay.DECOUPLED, weightDecay = 0.01)",
            "AdamWFloatKernel"),
        Arguments.of("AdamWSpec", "@Optimizer(decay = WeightDecay.DECOUPLED, weightDecay = 0.01)",
            "AdamW"),
        Arguments.of("RAdamWSpec", "@Optimizer(rectify = Rectification.RADAM_SGD_FALLBACK,"
                + " momentStorage = MomentStorage.BIAS_CORRECTED, decay = WeightDecay.FULLY_DECOUPLED,"
                + " beta2 = 0.99, eps = 1e-6)",
            "RAdamWFloatKernel"),
        Arguments.of("NAdamSpec", "@Optimizer(firstMoment = FirstMoment.NESTEROV, decay = WeightDecay.L2,"
                + " lr = 2e-3)",
            "NAdamDoubleKernel"),
        Arguments.of("AdaBeliefAMSGradSpec", "@Optimizer(secondMoment = SecondMoment.BELIEF,"
                + " amsgrad = Amsgrad.MAX_OF_RAW, epsPlacement = EpsPlacement.OUTSIDE_RAW_SQRT,"
                + " decay = WeightDecay.DECOUPLED, eps = 1e-16)",
            "AdaBeliefAMSGradFloatKernel"),
        Arguments.of("MixedAdamWSpec", "@Optimizer(decay = WeightDecay.DECOUPLED, weightDecay = 0.01,"
                + " precisions = {Precision.FLOAT, Precision.BFLOAT16})",
            "MixedAdamWBf16Kernel"),
        Arguments.of("PureAdamSpec", "@Optimizer(decay = WeightDecay.L2, precisions = Precision.FLOAT16,"
                + " statePrecision = StatePrecision.PARAMETER, rounding = ParamRounding.STOCHASTIC)",
            "PureAdamFp16Kernel"),
        Arguments.of("PureAdamSpec", "@Optimizer(decay = WeightDecay.L2, precisions = Precision.FLOAT16,"
                + " statePrecision = StatePrecision.PARAMETER, rounding = ParamRounding.STOCHASTIC)",
            "PureAdam"),
        // compiled with jdk.incubator.vector visible: the kernel dispatches to fused Vector API loops
        Arguments.of("FusedAdamWSpec", "@Optimizer(decay = WeightDecay.DECOUPLED, weightDecay = 0.01,"
                + " precisions = Precision.BFLOAT16)",
            "FusedAdamWBf16Kernel"),
        Arguments.of("FusedAdamWSpec", "@Optimizer(decay = WeightDecay.DECOUPLED, weightDecay = 0.01,"
                + " precisions = Precision.BFLOAT16)",
            "FusedAdamWBf16VectorLoops"),
        Arguments.of("FusedPureAdamSpec", "@Optimizer(decay = WeightDecay.L2, precisions = Precision.FLOAT16,"
                + " statePrecision = StatePrecision.PARAMETER, rounding = ParamRounding.STOCHASTIC)",
            "FusedPureAdamFp16VectorLoops"));
  }

  /** The options a golden compiles with: the Vector API for the fused ones. */
  private static List<String> options(String spec) {
    // for Java 17 on every JDK: for 22+ a kernel also names its loops over native memory
    return spec.startsWith("Fused") ? List.of("--release", "17", "--add-modules", "jdk.incubator.vector") : List.of();
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("goldens")
  void generatedSourceMatchesItsGoldenFile(String spec, String annotation, String generatedClass)
      throws IOException {
    JavaFileObject source = JavaFileObjects.forSourceLines("golden." + spec,
        "package golden;",
        "import io.github.optkernels.annotations.*;",
        annotation,
        "interface " + spec + " {}");
    Compilation compilation = Compiler.javac().withProcessors(new OptimizerProcessor())
        .withOptions(options(spec)).compile(source);
    assertWithMessage("%s", compilation.diagnostics()).that(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
    String generated = compilation.generatedSourceFile("golden." + generatedClass).orElseThrow()
        .getCharContent(false).toString();
    Path golden = GOLDEN.resolve(generatedClass + ".java");
    if (UPDATE) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, generated, StandardCharsets.UTF_8);
    }
    assertWithMessage("%s differs from %s (regenerate with -Dgolden.update=true and review the diff)",
        generatedClass, golden)
        .that(generated).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
  }
}
