package io.github.optkernels.examples;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import io.github.optkernels.examples.conformance.CaseResult;
import io.github.optkernels.examples.conformance.ConformanceCase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance command with {@code --threads 2 --chunk 5} and with {@code --checkpoint-at 7}
 * (through the command line, as a user runs it) passes every case, 16-bit ones included, with
 * results bit-identical to the default run: every result file is compared byte for byte, and read back
 * and compared array by array.
 */
class ConformanceOptionsTest {
  private static final Path CASES = Path.of("src/test/resources/conformance/cases");

  @Test
  void threadsAndChunksAndACheckpointRoundTripChangeNoResult(@TempDir Path dir) throws Exception {
    Path defaults = dir.resolve("default");
    Path parallel = dir.resolve("threads2-chunk5");
    Path checkpointed = dir.resolve("checkpoint7");
    String defaultOut = main("conformance", CASES.toString(), defaults.toString());
    String parallelOut = main("conformance", "--threads", "2", "--chunk", "5", CASES.toString(), parallel.toString());
    String checkpointOut = main("conformance", "--checkpoint-at", "7", CASES.toString(), checkpointed.toString());

    for (String out : List.of(defaultOut, parallelOut, checkpointOut)) {
      assertThat(out).endsWith("248 passed, 0 failed" + System.lineSeparator());
    }
    // the same verdict line for every case, max_err included
    assertThat(parallelOut).isEqualTo(defaultOut);
    assertThat(checkpointOut).isEqualTo(defaultOut);

    int files = 0;
    long elements = 0;
    for (String name : ConformanceCase.readAll(CASES).stream().map(ConformanceCase::name).toList()) {
      Path expected = defaults.resolve(name + ".json");
      CaseResult reference = CaseResult.read(expected);
      for (Path run : List.of(parallel, checkpointed)) {
        Path actual = run.resolve(name + ".json");
        assertWithMessage("%s in %s", name, run.getFileName()).that(Files.mismatch(expected, actual)).isEqualTo(-1L);
        elements += assertSameArrays(name, reference, CaseResult.read(actual));
      }
      files++;
    }
    assertThat(files).isEqualTo(248);
    assertThat(elements).isGreaterThan(100_000L);
  }

  @Test
  void badOptionsAreUsageErrors() throws Exception {
    assertThat(Main.run(new String[] {"conformance", "--threads", "0", CASES.toString(), "x"})).isEqualTo(2);
    assertThat(Main.run(new String[] {"conformance", "--chunk", "five", CASES.toString(), "x"})).isEqualTo(2);
    assertThat(Main.run(new String[] {"conformance", CASES.toString(), "x", "--checkpoint-at"})).isEqualTo(2);
    assertThat(Main.run(new String[] {"conformance", "--fast", "1", CASES.toString(), "x"})).isEqualTo(2);
    assertThat(Main.run(new String[] {"conformance", "--threads", "2", CASES.toString()})).isEqualTo(2);
  }

  /** Compares every params row and state array exactly; returns the number of elements compared. */
  private static long assertSameArrays(String name, CaseResult expected, CaseResult actual) {
    long n = 0;
    assertThat(actual.params().length).isEqualTo(expected.params().length);
    for (int t = 0; t < expected.params().length; t++) {
      assertWithMessage("%s params after step %s", name, t + 1)
          .that(Arrays.equals(actual.params()[t], expected.params()[t])).isTrue();
      n += expected.params()[t].length;
    }
    assertThat(actual.state().keySet()).isEqualTo(expected.state().keySet());
    for (Map.Entry<String, double[]> state : expected.state().entrySet()) {
      assertWithMessage("%s %s", name, state.getKey())
          .that(Arrays.equals(actual.state().get(state.getKey()), state.getValue())).isTrue();
      n += state.getValue().length;
    }
    return n;
  }

  /**
   * Runs the jar's main entry and returns what it printed (status 0: every case passed).
   */
  private static String main(String... args) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream original = System.out;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      System.setOut(out);
      assertThat(Main.run(args)).isEqualTo(0);
    } finally {
      System.setOut(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
