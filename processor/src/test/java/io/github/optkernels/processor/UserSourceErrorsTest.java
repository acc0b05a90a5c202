package io.github.optkernels.processor;

import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.github.optkernels.processor.SpecSources.specInterface;

import io.github.optkernels.processor.validation.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * When the user's own source is broken, javac says so and the processor keeps out of the way: no
 * crash report (which would send the user to file a bug against us for their typo) and no second,
 * vaguer error about the same member. javac still runs processors after "cannot find symbol"
 * errors, in case a processor generates the missing symbol, so the processor does see these specs.
 */
class UserSourceErrorsTest {

  private static final String CRASH_TAG = "[" + Message.PROCESSOR_CRASHED.tag() + "]";

  /**
   * Columns: the member as written, and javac's own message about it (a regex: JDK 25 reports an
   * unknown enum constant in an annotation differently from JDK 17).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = ';', value = {
      "decay = WeightDecay.NO_SUCH_CONSTANT                   ; cannot find symbol|an enum annotation value must be an enum constant",
      "precisions = {Precision.FLOAT, Precision.NO_SUCH_ONE}  ; cannot find symbol|an enum annotation value must be an enum constant",
      "lr = \"fast\"                                          ; incompatible types",
      "lr = NO_SUCH_CONSTANT                                  ; cannot find symbol",
      "varianceWarmupSteps = NO_SUCH_CONSTANT                 ; cannot find symbol",
      "maximize = NO_SUCH_CONSTANT                            ; cannot find symbol",
      "name = NO_SUCH_CONSTANT                                ; cannot find symbol",
  })
  void brokenMemberGetsJavacsErrorAndNoCrashReport(String member, String javacError) {
    JavaFileObject src = specInterface("AdamSpec", member);
    ProcessorRun run = ProcessorRun.compile(src);

    assertThat(run.compilation()).failed();
    assertThat(run.compilation()).hadErrorContainingMatch(javacError)
        .inFile(src).onLineContaining(member.substring(0, member.indexOf(' ')));
    assertWithMessage("crash reports").that(errorsContaining(run, CRASH_TAG)).isEmpty();
    assertWithMessage("sources requested for a spec that does not compile")
        .that(run.createdSources()).isEmpty();
  }

  /**
   * javac drops a member the annotation does not declare before the processor sees the mirror, so
   * the spec looks sound and generating from it is fine; what matters is that nothing crashes.
   */
  @Test
  void unknownMemberGetsJavacsErrorAndNoCrashReport() {
    JavaFileObject src = specInterface("AdamSpec", "noSuchMember = 1");
    ProcessorRun run = ProcessorRun.compile(src);

    assertThat(run.compilation()).failed();
    assertThat(run.compilation()).hadErrorContaining("cannot find symbol")
        .inFile(src).onLineContaining("noSuchMember");
    assertWithMessage("crash reports").that(errorsContaining(run, CRASH_TAG)).isEmpty();
  }

  /** javac already underlined the member; an [Opt...] error about its "<error>" value adds noise. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "decay = WeightDecay.NO_SUCH_CONSTANT",
      "precisions = {Precision.FLOAT, Precision.NO_SUCH_ONE}",
      "lr = NO_SUCH_CONSTANT",
      "name = NO_SUCH_CONSTANT",
  })
  void brokenMemberGetsNoDiagnosticOfOursAtAll(String member) {
    ProcessorRun run = ProcessorRun.compile(specInterface("AdamSpec", member));

    assertThat(run.compilation()).failed();
    assertWithMessage("errors from the optimizer processor").that(errorsContaining(run, "[Opt"))
        .isEmpty();
  }

  private static List<String> errorsContaining(ProcessorRun run, String fragment) {
    List<String> found = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> error : run.compilation().errors()) {
      String text = error.getMessage(Locale.ROOT);
      if (text.contains(fragment)) {
        found.add("line " + error.getLineNumber() + ": " + text.lines().findFirst().orElse(""));
      }
    }
    return found;
  }
}
