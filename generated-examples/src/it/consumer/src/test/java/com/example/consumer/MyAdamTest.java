package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Uses the classes the processor generated in this project, as a user would. */
class MyAdamTest {

  @Test
  void oneStepMovesEachWeightByLrAgainstItsGradient() {
    MyAdam optimizer = MyAdam.builder().build();
    float[] weights = {1f, -2f, 0.5f};
    float[] gradients = {0.3f, -4f, 0f};
    optimizer.add(weights, gradients);

    optimizer.step();

    // First AdamW step: p·(1 − lr·λ) − lr·g/(|g| + ε) with lr = 0.1, λ = 0.01 from the spec
    assertEquals(1f * 0.999f - 0.1f, weights[0], 1e-6f);
    assertEquals(-2f * 0.999f + 0.1f, weights[1], 1e-6f);
    assertEquals(0.5f * 0.999f, weights[2], 1e-6f);
    assertEquals(1, optimizer.stepCount());
    assertEquals(0.03f, optimizer.expAvg(weights)[0], 1e-8f);
  }

  @Test
  void theDoubleKernelIsThereToo() {
    MyAdam optimizer = MyAdam.builder().lr(0.01).build();
    double[] weights = {1.0};
    optimizer.add(weights, new double[] {-1.0});
    optimizer.step();
    // p·(1 − lr·λ) − lr·g/(|g| + ε), ε = 1e-8 by default
    assertEquals(1.0 * (1 - 0.01 * 0.01) + 0.01 / (1 + 1e-8), weights[0], 1e-15);
  }
}
