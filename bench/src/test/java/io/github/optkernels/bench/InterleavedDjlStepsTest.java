package io.github.optkernels.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The interleaved comparison of the DJL step rows: its statistics, a short real run, and that the
 * rows it compares do the same arithmetic (else a ratio compares different work), with the real
 * engine, offline.
 */
class InterleavedDjlStepsTest {
  /** Past the runtime's split threshold (64Ki elements), so the two-thread step splits the tensor. */
  private static final int[] SIZES = {4_099, 70_001};

  @BeforeAll
  static void offline() {
    System.setProperty("ai.djl.offline", "true");
  }

  @Test
  void ratiosAreTakenWithinEachRound() {
    InterleavedDjlSteps.Times times = new InterleavedDjlSteps.Times(List.of("a", "b"),
        new double[][] {{10, 20, 30}, {5, 40, 15}});

    assertArrayEquals(new double[] {0.5, 2, 0.5}, times.ratiosToFirst(1));
    String table = InterleavedDjlSteps.format(times);
    assertTrue(table.contains("| b | 15.00 | 5.00 | 0.500 | 0.500 | 2.000 | 2 of 3 |"), table);
    assertTrue(table.contains("| a | 20.00 | 10.00 | 1.000 | 1.000 | 1.000 | 0 of 3 |"), table);
  }

  @Test
  void aShortRunTimesEveryRowInEveryRound() throws Exception {
    InterleavedDjlSteps.Times times = InterleavedDjlSteps.run("t4099", 1, 1, 3,
        List.of("optkernels_djl", "libtorch_fused"));

    assertEquals(List.of("optkernels_djl", "libtorch_fused"), times.rows);
    for (double[] row : times.millis) {
      assertEquals(3, row.length);
      for (double ms : row) {
        assertTrue(ms > 0 && ms < 10_000, ms + " ms");
      }
    }
  }

  /**
   * Each row ends three steps where its libtorch peer does, to float32 rounding: the same AdamW
   * from the same values. optkernels through DJL (in place on JDK 22+ with the Vector API, heap
   * copies elsewhere) zeroes the weights' gradients, as libtorch's fused step followed by zeroing
   * does, so their later steps see zero gradients; on heap arrays, as libtorch's fused step alone,
   * every step sees the same gradients.
   */
  @Test
  void eachRowComputesTheWeightsOfItsLibtorchPeer() throws Exception {
    assertSameWeights("optkernels_djl", "libtorch_fused_zero");
    assertSameWeights("optkernels_heap", "libtorch_fused");
  }

  private static void assertSameWeights(String row, String peer) throws Exception {
    float[][] reference = threeSteps(peer);
    float[][] weights = threeSteps(row);
    for (int i = 0; i < SIZES.length; i++) {
      float[] start = Data.floats(SIZES[i], 2L * i);
      double moved = 0;
      for (int e = 0; e < SIZES[i]; e++) {
        moved = Math.max(moved, Math.abs(reference[i][e] - start[e]));
        // three steps of lr 1e-3 on values in (-1, 1): float32 rounding of the operands is ~1e-7
        assertEquals(reference[i][e], weights[i][e], 4e-7, row + " against " + peer + ": tensor " + i + " element " + e);
      }
      assertTrue(moved > 5e-4, peer + " moved tensor " + i + " by only " + moved);
    }
  }

  private static float[][] threeSteps(String row) throws Exception {
    try (DjlStep step = DjlStep.create(row, SIZES, 2)) {
      for (int k = 0; k < 3; k++) {
        step.run();
      }
      float[][] weights = new float[SIZES.length][];
      for (int i = 0; i < SIZES.length; i++) {
        weights[i] = step.weight(i);
      }
      return weights;
    }
  }
}
