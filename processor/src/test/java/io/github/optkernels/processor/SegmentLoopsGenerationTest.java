package io.github.optkernels.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * When the processor generates a kernel's loops over native memory ({@code XFloatSegmentLoops},
 * {@code XBf16SegmentLoops}): only for a compilation for Java 22 or later (where
 * {@code java.lang.foreign} is final) that sees {@code jdk.incubator.vector}, for float, double
 * and 16-bit kernels, not with {@code -Aoptkernels.vector=false}; and what it generates compiles
 * without a warning of its own. A JDK older than 22 cannot compile for 22, so there the test
 * holds its own javac to generating none.
 */
class SegmentLoopsGenerationTest {
  private static final boolean JDK_22 = Runtime.version().feature() >= 22;

  private static final JavaFileObject SPEC = JavaFileObjects.forSourceLines("native_.MixedSpec",
      "package native_;",
      "import io.github.optkernels.annotations.*;",
      "@Optimizer(precisions = {Precision.FLOAT, Precision.DOUBLE, Precision.BFLOAT16},"
          + " secondMoment = SecondMoment.BELIEF, amsgrad = Amsgrad.MAX_OF_RAW,"
          + " rectify = Rectification.RADAM_SGD_FALLBACK, varianceWarmupSteps = 3)",
      "interface MixedSpec {}");

  private static Compilation compile(String release, String... options) {
    List<String> all = new ArrayList<>(List.of("--release", release));
    all.addAll(List.of(options));
    return Compiler.javac().withProcessors(new OptimizerProcessor()).withOptions(all).compile(SPEC);
  }

  @Test
  void aCompilationForJava22WithTheModuleGivesEveryKernelLoopsOverNativeMemory() {
    String release = JDK_22 ? "22" : "17";
    Compilation compilation = compile(release, "--add-modules", "jdk.incubator.vector", "-Xlint:all");
    assertThat(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
    assertThat(compilation.generatedSourceFile("native_.MixedFloatSegmentLoops").isPresent()).isEqualTo(JDK_22);
    assertThat(GeneratedSources.contents(compilation, "native_.MixedFloatKernel").contains("OffHeap.loadSegmentLoops"))
        .isEqualTo(JDK_22);
    assertThat(compilation.generatedSourceFile("native_.MixedBf16SegmentLoops").isPresent()).isEqualTo(JDK_22);
    // double kernels' loops compute in float64 lanes, as their array loops do
    assertThat(compilation.generatedSourceFile("native_.MixedDoubleSegmentLoops").isPresent()).isEqualTo(JDK_22);
    if (JDK_22) {
      String doubleLoops = GeneratedSources.contents(compilation, "native_.MixedDoubleSegmentLoops");
      assertThat(doubleLoops).contains("DoubleVector.fromMemorySegment(D, ");
      assertThat(doubleLoops).doesNotContain("FloatVector");
    }
    List<String> warnings = GeneratedSources.warningsBesidesIncubating(compilation);
    assertWithMessage("warnings besides the incubating module's").that(warnings).isEmpty();
  }

  @Test
  void aCompilationForJava17GetsNone() {
    Compilation compilation = compile("17", "--add-modules", "jdk.incubator.vector");
    assertThat(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
    assertThat(compilation.generatedSourceFile("native_.MixedFloatSegmentLoops")).isEmpty();
    assertThat(GeneratedSources.contents(compilation, "native_.MixedFloatKernel")).doesNotContain("segmentLoops");
    // the 16-bit kernel's fused loops over arrays are there all the same
    assertThat(compilation.generatedSourceFile("native_.MixedBf16VectorLoops")).isPresent();
  }

  @Test
  void withoutTheModuleOrWithTheOptionOffThereAreNone() {
    String release = JDK_22 ? "22" : "17";
    for (Compilation compilation : List.of(compile(release),
        compile(release, "--add-modules", "jdk.incubator.vector", "-Aoptkernels.vector=false"))) {
      assertThat(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
      assertThat(compilation.generatedSourceFile("native_.MixedFloatSegmentLoops")).isEmpty();
      assertThat(GeneratedSources.contents(compilation, "native_.MixedFloatKernel")).doesNotContain("segmentLoops");
    }
  }
}
