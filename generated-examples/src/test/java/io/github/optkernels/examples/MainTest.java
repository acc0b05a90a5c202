package io.github.optkernels.examples;

import static com.google.common.truth.Truth.assertThat;

import org.junit.jupiter.api.Test;

/** The runnable jar's exit codes: 2 for a usage error, so scripts can tell it from a failed case. */
class MainTest {

  @Test
  void noCommandIsAUsageError() {
    assertThat(Main.run(new String[0])).isEqualTo(2);
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    assertThat(Main.run(new String[] {"conformanze"})).isEqualTo(2);
  }

  @Test
  void conformanceWithoutItsTwoDirectoriesIsAUsageError() {
    assertThat(Main.run(new String[] {"conformance", "only-one"})).isEqualTo(2);
  }

  @Test
  void conformanceOnAMissingDirectoryIsAnErrorNotASuccess() {
    assertThat(Main.run(new String[] {"conformance", "does/not/exist", "target/ignored"})).isEqualTo(2);
  }

  @Test
  void loopCheckRejectsABadSize() {
    assertThat(Main.run(new String[] {"loop-check", "zero"})).isEqualTo(2);
    assertThat(Main.run(new String[] {"loop-check", "-5"})).isEqualTo(2);
    assertThat(Main.run(new String[] {"loop-check", "1", "2"})).isEqualTo(2);
  }

  @Test
  void demoRejectsABadOption() {
    assertThat(Main.run(new String[] {"demo", "--parts", "everything"})).isEqualTo(2);
    assertThat(Main.run(new String[] {"demo", "--epochs"})).isEqualTo(2);
  }

  @Test
  void helpSucceeds() {
    assertThat(Main.run(new String[] {"--help"})).isEqualTo(0);
  }
}
