package io.github.optkernels.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The hand-written side's split: every element exactly once, for any thread count and odd sizes,
 * over many consecutive steps. (The version that reused its tasks with {@code reinitialize()}
 * hung after about 900,000 steps in a stress run; this test is too short to catch that race
 * reliably, the stress run's figures are in the commit that replaced it.)
 */
class SplitTest {
  @Test
  void everyElementIsVisitedOncePerStep() {
    for (int threads : new int[] {1, 2, 3}) {
      try (Split split = new Split(threads)) {
        for (int n : new int[] {0, 1, Split.MIN_SPLIT - 1, Split.MIN_SPLIT, 3 * Split.MIN_SPLIT + 7}) {
          AtomicIntegerArray visits = new AtomicIntegerArray(n);
          int steps = 20;
          for (int s = 0; s < steps; s++) {
            split.run(n, (from, to) -> {
              for (int i = from; i < to; i++) {
                visits.incrementAndGet(i);
              }
            });
          }
          for (int i = 0; i < n; i++) {
            assertEquals(steps, visits.get(i), threads + " threads, n " + n + ", element " + i);
          }
        }
      }
    }
  }

  @Test
  void manyShortStepsFinish() {
    try (Split split = new Split(2)) {
      int[] calls = new int[1];
      assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
        for (int s = 0; s < 20_000; s++) {
          split.run(Split.MIN_SPLIT, (from, to) -> { });
          calls[0]++;
        }
      });
      assertEquals(20_000, calls[0]);
    }
  }
}
