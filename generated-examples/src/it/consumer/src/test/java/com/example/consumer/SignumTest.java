package com.example.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A rule written in this project, compiled by the processor from outside optkernels. */
class SignumTest {

  @Test
  void twoStepsFollowTheSignOfTheAverage() {
    Signum optimizer = Signum.builder().momentum(0.5).build();
    float[] weights = {1f, 1f, 1f};
    float[] gradients = {2f, -3f, 0f};
    optimizer.add(weights, gradients);

    optimizer.step();
    assertEquals(1f - 0.01f, weights[0], 0f);
    assertEquals(1f + 0.01f, weights[1], 0f);
    assertEquals(1f, weights[2], 0f);
    assertEquals(1f, optimizer.average(weights)[0], 0f);

    gradients[0] = -1f; // average 0.5·1 + 0.5·(−1) = 0: the sign is 0, the weight stays
    optimizer.step();
    assertEquals(1f - 0.01f, weights[0], 0f);
    assertEquals(0f, optimizer.average(weights)[0], 0f);
  }
}
