package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link HalfArrays} prints when it picks its conversions: nothing with default logging (a
 * program that uses a 16-bit kernel must not get a log line on its standard error), the choice
 * when the application turns the logger's level down to DEBUG, and a warning when the JVM was
 * started with the Vector API module but cannot use it. The choice is made once per JVM, so each
 * case runs in a child JVM ({@link Child}).
 */
class HalfArraysLoggingTest {
  /** The JVM's own notice when started with an incubator module; not ours. */
  private static final String INCUBATOR_NOTICE = "WARNING: Using incubator modules: jdk.incubator.vector";
  private static final String LOG_LINE = "optkernels: 16-bit kernels convert with ";

  /** Loads {@link HalfArrays} and prints {@link HalfArrays#implementation()} on standard output. */
  static final class Child {
    public static void main(String[] args) {
      System.out.println(HalfArrays.implementation() + " / usesVectorApi=" + HalfArrays.usesVectorApi());
    }
  }

  private record Output(String stdout, String stderr) {}

  @Test
  void plainJavaByDefaultPrintsNothingOnStandardError() throws Exception {
    Output out = child(List.of());
    assertTrue(out.stdout().startsWith("plain Java (jdk.incubator.vector is not enabled (start java "
        + "with --add-modules jdk.incubator.vector to use it)) / usesVectorApi=false"), out.stdout());
    assertEquals("", out.stderr());
  }

  @Test
  void theVectorApiPrintsNothingOnStandardErrorEither() throws Exception {
    Output out = child(List.of("--add-modules", "jdk.incubator.vector"));
    assertTrue(out.stdout().startsWith("the Vector API ("), out.stdout());
    assertTrue(out.stdout().endsWith("/ usesVectorApi=true"), out.stdout());
    assertEquals("", withoutIncubatorNotice(out.stderr()));
  }

  @Test
  void theChoiceIsLoggedAtDebugForAnApplicationThatAsksForIt(@TempDir Path dir) throws Exception {
    // System.Logger's DEBUG is java.util.logging's FINE
    Path config = dir.resolve("logging.properties");
    Files.writeString(config, String.join("\n",
        "handlers = java.util.logging.ConsoleHandler",
        "java.util.logging.ConsoleHandler.level = FINE",
        "io.github.optkernels.level = FINE", ""));
    Output out = child(List.of("-Djava.util.logging.config.file=" + config));
    assertTrue(out.stderr().contains("FINE: " + LOG_LINE + "plain Java (jdk.incubator.vector is not "
        + "enabled (start java with --add-modules jdk.incubator.vector to use it))"), out.stderr());

    Output vector = child(List.of("--add-modules", "jdk.incubator.vector",
        "-Djava.util.logging.config.file=" + config));
    assertTrue(vector.stderr().contains("FINE: " + LOG_LINE + "the Vector API ("), vector.stderr());
  }

  @Test
  void turningTheVectorApiOffIsNotWarnedAbout() throws Exception {
    Output out = child(List.of("--add-modules", "jdk.incubator.vector", "-Doptkernels.vector=false"));
    assertTrue(out.stdout().startsWith("plain Java (-Doptkernels.vector=false)"), out.stdout());
    assertEquals("", withoutIncubatorNotice(out.stderr()));
  }

  /**
   * With the module, the application asked for the Vector API: if it cannot be used (here vectors
   * of 64 bits, too narrow for the conversions: their 16-bit half has no vector shape) that is a
   * warning, printed by default, with the reason on one line.
   */
  @Test
  void aVectorApiThatWasAskedForButFailedIsAWarning() throws Exception {
    Output out = child(List.of("--add-modules", "jdk.incubator.vector", "-XX:MaxVectorSize=8"));
    assertTrue(out.stdout().startsWith("plain Java (the Vector API could not be used: "), out.stdout());
    assertFalse(out.stdout().contains("\n"), out.stdout());
    assertTrue(out.stderr().contains("WARNING: " + LOG_LINE + "plain Java (the Vector API could not be "
        + "used: "), out.stderr());
  }

  private static String withoutIncubatorNotice(String stderr) {
    return stderr.lines().filter(line -> !line.equals(INCUBATOR_NOTICE))
        .collect(Collectors.joining("\n"));
  }

  /** Runs {@link Child} in a new JVM with {@code jvmOptions} and this test's class path. */
  private static Output child(List<String> jvmOptions) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Child.class.getName());
    Path stderrFile = Files.createTempFile("half-arrays-logging", ".stderr");
    try {
      Process process = new ProcessBuilder(command)
          .redirectError(stderrFile.toFile())
          .start();
      String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int status = process.waitFor();
      String stderr = Files.readString(stderrFile);
      assertEquals(0, status, "child JVM failed: " + stdout + stderr);
      return new Output(stdout.strip(), stderr);
    } finally {
      Files.deleteIfExists(stderrFile);
    }
  }
}
