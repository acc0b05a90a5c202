package io.github.optkernels.examples.demo;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {

  @Test
  void noArgumentsRunEverythingIntoDemoOut() {
    DemoOptions options = DemoOptions.parse();
    assertThat(options.parts()).containsExactlyElementsIn(EnumSet.allOf(Part.class));
    assertThat(options.out()).isEqualTo(Path.of("demo-out"));
    assertThat(options.steps()).isEqualTo(DemoOptions.DEFAULT_STEPS);
    assertThat(options.epochs()).isEqualTo(DemoOptions.DEFAULT_EPOCHS);
  }

  @Test
  void everyOptionInBothSpellings() {
    DemoOptions options = DemoOptions.parse("--parts", "mlp,Convergence", "--steps=10_000_000",
        "--epochs", "100", "--speed-size=1000", "--out", "elsewhere");
    assertThat(options.parts()).containsExactly(Part.MLP, Part.CONVERGENCE);
    assertThat(options.steps()).isEqualTo(10_000_000L);
    assertThat(options.epochs()).isEqualTo(100);
    assertThat(options.speedElements()).isEqualTo(1000);
    assertThat(options.out()).isEqualTo(Path.of("elsewhere"));
  }

  @Test
  void mistakesAreNamed() {
    assertThat(message("--parts", "mlp,plots")).contains("unknown part 'plots'");
    assertThat(message("--parts", "")).contains("unknown part ''");
    assertThat(message("--epochs", "0")).contains("--epochs needs a positive whole number");
    assertThat(message("--steps", "many")).contains("--steps needs a positive whole number, got 'many'");
    assertThat(message("--speed-size", "3000000000")).contains("too large");
    assertThat(message("--out")).contains("--out needs a value");
    assertThat(message("--fast")).contains("unknown option '--fast'");
  }

  private static String message(String... args) {
    return assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse(args)).getMessage();
  }
}
