package io.github.optkernels.examples.demo;

import static com.google.common.truth.Truth.assertThat;

import org.junit.jupiter.api.Test;

class LinearWarmupTest {

  @Test
  void risesLinearlyToThePeakThenStays() {
    LinearWarmup warmup = new LinearWarmup(3e-3, 4);
    assertThat(warmup.lrAt(1)).isWithin(1e-18).of(0.75e-3);
    assertThat(warmup.lrAt(2)).isWithin(1e-18).of(1.5e-3);
    assertThat(warmup.lrAt(4)).isEqualTo(3e-3);
    assertThat(warmup.lrAt(1000)).isEqualTo(3e-3);
    assertThat(LinearWarmup.none(3e-3).lrAt(1)).isEqualTo(3e-3);
  }
}
