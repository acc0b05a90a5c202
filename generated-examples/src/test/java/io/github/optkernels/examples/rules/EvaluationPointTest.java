package io.github.optkernels.examples.rules;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Schedule-free AdamW trains at {@code y} (the parameters) and is evaluated at {@code x} (a state
 * slot): switching to the evaluation point and back is a bit-exact round trip, and training after
 * it goes on as if it had not happened.
 */
class EvaluationPointTest {
  private static final int N = 1000;

  private static float[] random(Random random) {
    float[] values = new float[N];
    for (int i = 0; i < N; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  @Test
  void theEvaluationPointIsXAndTheRoundTripIsExact() {
    Random random = new Random(7);
    float[] start = random(random);
    float[] param = start.clone();
    float[] grad = new float[N];
    float[] twin = start.clone();
    float[] twinGrad = new float[N];
    ScheduleFreeAdamW optimizer = ScheduleFreeAdamW.builder().warmupSteps(3).weightDecay(0.01).build();
    ScheduleFreeAdamW untouched = ScheduleFreeAdamW.builder().warmupSteps(3).weightDecay(0.01).build();
    optimizer.add(param, grad);
    untouched.add(twin, twinGrad);

    optimizer.useEvaluationPoint(); // before any step the evaluation point is the parameter itself
    assertThat(param).isEqualTo(start);
    optimizer.useTrainingPoint();

    for (int step = 0; step < 6; step++) {
      float[] g = random(random);
      System.arraycopy(g, 0, grad, 0, N);
      System.arraycopy(g, 0, twinGrad, 0, N);
      optimizer.step();
      untouched.step();
    }
    float[] training = param.clone();
    optimizer.useEvaluationPoint();
    assertThat(optimizer.atEvaluationPoint()).isTrue();
    assertThat(param).isEqualTo(optimizer.x(param));
    assertThat(param).isNotEqualTo(training);
    IllegalStateException refused = assertThrows(IllegalStateException.class, optimizer::step);
    assertThat(refused).hasMessageThat().contains("useTrainingPoint()");
    optimizer.useEvaluationPoint(); // already there: nothing changes
    assertThat(param).isEqualTo(optimizer.x(param));

    optimizer.useTrainingPoint();
    assertThat(optimizer.atEvaluationPoint()).isFalse();
    for (int i = 0; i < N; i++) {
      assertThat(Float.floatToRawIntBits(param[i])).isEqualTo(Float.floatToRawIntBits(training[i]));
    }
    float[] g = random(random);
    System.arraycopy(g, 0, grad, 0, N);
    System.arraycopy(g, 0, twinGrad, 0, N);
    optimizer.step();
    untouched.step();
    assertThat(param).isEqualTo(twin);
    assertThat(optimizer.x(param)).isEqualTo(untouched.x(twin));
  }

  @Test
  void aSixteenBitParameterGetsXRoundedAndItsOwnBitsBack() {
    Random random = new Random(11);
    float[] start = random(random);
    short[] param = new short[N];
    short[] grad = new short[N];
    for (int i = 0; i < N; i++) {
      param[i] = io.github.optkernels.runtime.Bf16.fromFloat(start[i]);
    }
    ScheduleFreeAdamWMixed optimizer = ScheduleFreeAdamWMixed.builder().build();
    optimizer.addBf16(param, grad);
    for (int step = 0; step < 4; step++) {
      float[] g = random(random);
      for (int i = 0; i < N; i++) {
        grad[i] = io.github.optkernels.runtime.Bf16.fromFloat(g[i]);
      }
      optimizer.step();
    }
    short[] training = param.clone();
    float[] x = (float[]) optimizer.state(param, "x");
    optimizer.useEvaluationPoint();
    for (int i = 0; i < N; i++) {
      assertThat(param[i]).isEqualTo(io.github.optkernels.runtime.Bf16.fromFloat(x[i]));
    }
    optimizer.useTrainingPoint();
    assertThat(param).isEqualTo(training);
  }
}
