package io.github.optkernels.examples.conformance;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import io.github.optkernels.examples.Main;
import io.github.optkernels.examples.SixteenBitPath;
import io.github.optkernels.runtime.FusedVectorLoops;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the conformance command on every public case, exactly as the README's main command does,
 * and requires every case to pass: float64, float32, bfloat16 and float16, with the long-horizon
 * Kahan pair, and the later families written as rules.
 */
class ConformanceCommandTest {
  /** The project's copy of the public cases (identical to ../shared/conformance/cases). */
  static final Path CASES = Path.of("src/test/resources/conformance/cases");

  @Test
  void everyCasePassesHalfPrecisionIncluded(@TempDir Path results) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConformanceCommand.Summary summary;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      summary = ConformanceCommand.run(CASES, results, out);
    }
    List<String> lines = List.of(bytes.toString(StandardCharsets.UTF_8).split("\\R"));

    assertThat(summary.verdicts()).hasSize(248);
    long sixteenBit = 0;
    for (CaseCheck.Verdict verdict : summary.verdicts()) {
      assertWithMessage("%s", verdict).that(verdict.passed()).isTrue();
      // the result file is there for check.py, and reads back to the same verdict
      CaseResult written = CaseResult.read(results.resolve(verdict.name() + ".json"));
      ConformanceCase c = ConformanceCase.read(CASES.resolve(verdict.name() + ".json"));
      assertThat(CaseCheck.check(c, written).passed()).isTrue();
      // state arrays are reported, and checked, for every case
      assertThat(verdict.checkedState()).containsExactlyElementsIn(c.expectedState().keySet());
      if (c.dtype() == ConformanceCase.Dtype.BFLOAT16 || c.dtype() == ConformanceCase.Dtype.FLOAT16) {
        sixteenBit++;
      }
    }
    assertThat(sixteenBit).isEqualTo(76);
    assertThat(lines).hasSize(250);
    // first how this JVM runs the 16-bit kernels (no log line says it any more), then the cases
    assertThat(lines.get(0)).isEqualTo(SixteenBitPath.current().line());
    assertThat(lines.get(0)).startsWith("16-bit kernels convert with ");
    assertThat(lines.get(1)).matches("PASS \\S+ max_err=\\S+");
    assertThat(lines.get(249)).isEqualTo("248 passed, 0 failed");
  }

  /**
   * The Vector API conversions are chosen once per JVM, so they are checked in a second JVM
   * started with {@code --add-modules jdk.incubator.vector}: the conformance command there says on
   * its standard output that it runs the Vector API and the fused loops, writes byte-identical
   * result files, and leaves standard error to the JVM's own incubator notice (no log line).
   */
  @Test
  void theVectorApiPathWritesTheSameResultsBitForBit(@TempDir Path dir) throws Exception {
    Path plain = dir.resolve("plain");
    Path vector = dir.resolve("vector");
    ConformanceCommand.run(CASES, plain, new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // fused loops forced on, so they are the path compared on every JDK and vector size
    Process child = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector",
        "-D" + FusedVectorLoops.PROPERTY + "=true",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "conformance", CASES.toString(), vector.toString())
        .redirectError(dir.resolve("stderr.txt").toFile())
        .start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String errors = Files.readString(dir.resolve("stderr.txt"));
    // status 1: the expected failures fail there too
    assertWithMessage(output + errors).that(child.waitFor()).isEqualTo(0);
    List<String> lines = output.lines().toList();
    assertThat(lines.get(0)).startsWith("16-bit kernels convert with the Vector API (");
    assertThat(lines.get(0)).endsWith(" and run fused Vector API loops");
    assertThat(lines.get(lines.size() - 1)).isEqualTo("248 passed, 0 failed");
    assertThat(errors.lines().toList())
        .containsExactly("WARNING: Using incubator modules: jdk.incubator.vector");
    try (Stream<Path> files = Files.list(plain)) {
      for (Path file : files.toList()) {
        assertWithMessage("%s", file.getFileName())
            .that(Files.mismatch(file, vector.resolve(file.getFileName()))).isEqualTo(-1L);
      }
    }
  }

  @Test
  void aMissingCasesDirectoryIsAnErrorNotAnEmptyRun(@TempDir Path dir) {
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> ConformanceCommand.run(dir.resolve("nope"), dir.resolve("out"), System.out));
    assertThat(e).hasMessageThat().contains("nope");
  }

  @Test
  void anEmptyCasesDirectoryIsAnError(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("empty"));
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> ConformanceCommand.run(dir.resolve("empty"), dir.resolve("out"), System.out));
    assertThat(e).hasMessageThat().contains("no *.json case files");
  }
}
