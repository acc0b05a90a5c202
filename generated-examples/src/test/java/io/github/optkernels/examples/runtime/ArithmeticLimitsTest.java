package io.github.optkernels.examples.runtime;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.optkernels.examples.variants.AdamW;
import io.github.optkernels.examples.variants.half.AdamWMixedKahan;
import io.github.optkernels.runtime.Bf16;
import io.github.optkernels.runtime.LrSchedule;
import org.junit.jupiter.api.Test;

/**
 * Hyperparameters that are valid doubles but break a kernel's arithmetic are refused, never
 * turned into NaN or infinite parameters: a learning rate of 1e40 overflows float32 (a float
 * AdamW step would write ±Inf or NaN into every parameter), and ε = 0 makes a zero gradient's
 * update 0/0 = NaN.
 */
class ArithmeticLimitsTest {

  @Test
  void aLearningRateBeyondFloatIsRefusedAndNothingIsWritten() {
    float[] p = {1f, -2f, 0.5f};
    float[] g = {0.1f, 0.2f, -0.3f};
    AdamW optimizer = AdamW.builder().build().add(p, g);
    optimizer.step();
    float[] before = p.clone();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> optimizer.setLr(1e40));
    assertThat(e).hasMessageThat().contains("lr = 1.0E40");
    assertThat(e).hasMessageThat().contains("float32");
    // a schedule that reaches it is refused too: when set, since the group's tensors are float
    assertThrows(IllegalArgumentException.class, () -> optimizer.setSchedule(LrSchedule.explicit(1e-3, 1e40)));
    optimizer.step();
    assertThat(p).isNotEqualTo(before);
    for (float value : p) {
      assertThat(Float.isFinite(value)).isTrue();
    }
  }

  @Test
  void aLearningRateBeyondFloatIsRefusedForBf16TensorsToo() {
    short[] p = {Bf16.fromFloat(1f), Bf16.fromFloat(-2f)};
    short[] g = {Bf16.fromFloat(0.1f), Bf16.fromFloat(0.2f)};
    AdamWMixedKahan optimizer = AdamWMixedKahan.builder().build().addBf16(p, g);
    assertThrows(IllegalArgumentException.class, () -> optimizer.setLr(1e40));
    optimizer.step();
    assertThat(Float.isFinite(Bf16.toFloat(p[0]))).isTrue();
  }

  @Test
  void epsZeroIsRefusedBecauseAZeroGradientWouldGiveZeroOverZero() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AdamW.builder().eps(0).build());
    assertThat(e).hasMessageThat().contains("eps = 0.0");
    assertThat(e).hasMessageThat().contains("0/0 = NaN");
    AdamW optimizer = AdamW.builder().build();
    assertThrows(IllegalArgumentException.class,
        () -> optimizer.setHyperparameters(optimizer.hyperparameters().withEps(0)));
    float[] p = {1f};
    optimizer.add(p, new float[] {0f});
    optimizer.step(); // a zero gradient with the default ε: the parameter only decays
    assertThat(Float.isFinite(p[0])).isTrue();
  }
}
