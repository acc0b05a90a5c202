package io.github.optkernels.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.util.List;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * When the processor generates a 16-bit kernel's fused Vector API loops: only when the compilation
 * can see {@code jdk.incubator.vector}, never for float or double, and not with
 * {@code -Aoptkernels.vector=false}; and what it generates compiles without a warning of its own.
 */
class FusedLoopsGenerationTest {
  private static final JavaFileObject SPEC = JavaFileObjects.forSourceLines("fused.MixedSpec",
      "package fused;",
      "import io.github.optkernels.annotations.*;",
      "@Optimizer(precisions = {Precision.FLOAT, Precision.BFLOAT16, Precision.FLOAT16},"
          + " secondMoment = SecondMoment.BELIEF, amsgrad = Amsgrad.MAX_OF_RAW,"
          + " rectify = Rectification.RADAM_SGD_FALLBACK, varianceWarmupSteps = 3)",
      "interface MixedSpec {}");

  private static Compilation compile(String... options) {
    return Compiler.javac().withProcessors(new OptimizerProcessor()).withOptions(List.of(options)).compile(SPEC);
  }

  @Test
  void withTheModuleEach16BitKernelGetsFusedLoops() {
    Compilation compilation = compile("--add-modules", "jdk.incubator.vector", "-Xlint:all");
    assertThat(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
    assertThat(compilation.generatedSourceFile("fused.MixedBf16VectorLoops")).isPresent();
    assertThat(compilation.generatedSourceFile("fused.MixedFp16VectorLoops")).isPresent();
    assertThat(compilation.generatedSourceFile("fused.MixedFloatVectorLoops")).isEmpty();
    // javac's own "using incubating module(s)" is the only warning
    List<String> warnings = GeneratedSources.warningsBesidesIncubating(compilation);
    assertWithMessage("warnings besides the incubating module's").that(warnings).isEmpty();
  }

  @Test
  void withoutTheModuleTheKernelsHaveOnlyTheirBlockLoops() {
    Compilation compilation = compile("-Xlint:all", "-Werror");
    assertThat(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
    assertThat(compilation.generatedSourceFile("fused.MixedBf16VectorLoops")).isEmpty();
    assertThat(GeneratedSources.contents(compilation, "fused.MixedBf16Kernel")).doesNotContain("FusedVectorLoops");
  }

  @Test
  void theProcessorOptionTurnsThemOff() {
    Compilation compilation = compile("--add-modules", "jdk.incubator.vector", "-Aoptkernels.vector=false");
    assertThat(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
    assertThat(compilation.generatedSourceFile("fused.MixedBf16VectorLoops")).isEmpty();
    assertThat(GeneratedSources.contents(compilation, "fused.MixedBf16Kernel")).doesNotContain("FusedVectorLoops");
  }
}
