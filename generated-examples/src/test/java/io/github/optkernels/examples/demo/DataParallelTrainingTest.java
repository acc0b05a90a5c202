package io.github.optkernels.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The cluster demo's claim, on one epoch: the digits MLP trained by two workers with AdamW sharded
 * across three Hazelcast members ends with the single-process run's loss and accuracy, to the bit,
 * and says so.
 */
class DataParallelTrainingTest {
  @Test
  void twoWorkersOnThreeMembersEndWithTheSingleProcessLossToTheBit() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataParallelTraining.Result result =
        DataParallelTraining.run(1, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertEquals(Double.doubleToRawLongBits(result.singleProcessLoss()), Double.doubleToRawLongBits(result.clusterLoss()),
        printed);
    assertTrue(result.identical(), printed);
    assertTrue(result.singleProcessLoss() < 2.0, "one epoch lowers the loss from ln 10 = 2.30: " + printed);
    assertTrue(printed.contains("identical to the bit"), printed);
    // every step, each worker sends its gradient of every parameter once: 4 bytes each
    assertEquals(4L * (64 * 64 + 64 + 64 * 10 + 10), result.gradientBytesPerStep(), printed);
  }
}
