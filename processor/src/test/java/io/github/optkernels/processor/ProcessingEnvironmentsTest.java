package io.github.optkernels.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.github.optkernels.processor.SpecSources.PACKAGE;
import static io.github.optkernels.processor.SpecSources.annotated;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import io.github.optkernels.processor.validation.Message;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The file-name check and the source order of errors read javac's Trees API, which accepts only
 * javac's own processing environment. DiagnosticsTest runs the processor behind a delegating
 * wrapper (as Gradle does); this class covers the other two cases: javac's environment as is, and
 * an opaque wrapper where Trees cannot be had, which must lose those two refinements and nothing
 * else.
 */
class ProcessingEnvironmentsTest {

  /** A spec saved under its optimizer's name, with errors written in the reverse of check order. */
  private static JavaFileObject misplacedSpecWithErrors() {
    return annotated(PACKAGE, "AdamW", "interface AdamWSpec {}",
        "kahan = Kahan.ON",
        "precisions = {}");
  }

  @Test
  void withJavacsOwnEnvironmentTheFileNameClashIsReportedAndErrorsComeInSourceOrder() {
    Compilation compilation = Compiler.javac().withProcessors(new OptimizerProcessor())
        .compile(misplacedSpecWithErrors());

    // the clash is reported on the annotation itself, which comes before its members
    assertThat(errors(compilation)).containsExactly(
        Message.NAME_CLASHES_WITH_FILE.format("AdamW", "AdamW.java", "AdamWSpec"),
        Message.KAHAN_WITHOUT_HALF.format(),
        Message.NO_PRECISION.format()).inOrder();
  }

  /**
   * Without Trees the file-name check is skipped (with a source path javac then reports its own
   * "duplicate class") and errors come in the order the checks run; nothing crashes.
   */
  @Test
  void behindAnOpaqueWrapperEveryOtherErrorIsStillReported() {
    Compilation compilation = Compiler.javac().withProcessors(new OpaquelyWrapped())
        .compile(misplacedSpecWithErrors());

    assertThat(errors(compilation)).containsExactly(
        Message.NO_PRECISION.format(),
        Message.KAHAN_WITHOUT_HALF.format()).inOrder();
  }

  private static List<String> errors(Compilation compilation) {
    assertThat(compilation).failed();
    List<String> texts = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> error : compilation.errors()) {
      texts.add(error.getMessage(Locale.ROOT));
    }
    return texts;
  }

  /** The processor behind a wrapper that keeps javac's environment where no field shows it. */
  private static final class OpaquelyWrapped extends AbstractProcessor {
    private final OptimizerProcessor delegate = new OptimizerProcessor();

    @Override
    public synchronized void init(ProcessingEnvironment env) {
      super.init(env);
      delegate.init((ProcessingEnvironment) Proxy.newProxyInstance(
          ProcessingEnvironment.class.getClassLoader(),
          new Class<?>[] {ProcessingEnvironment.class},
          (proxy, method, args) -> method.invoke(env, args)));
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return delegate.getSupportedAnnotationTypes();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return delegate.getSupportedSourceVersion();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      return delegate.process(annotations, round);
    }
  }
}
