package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API through which state computed elsewhere (a sharded optimizer's shards) enters and leaves
 * an optimizer: the kernel class per buffer type, a tensor's clock (step count and Π) and the
 * counters and schedule positions. Installing a clock, counters and the state arrays by hand saves
 * the same checkpoint as the optimizer that computed them; bad values are refused and change
 * nothing.
 */
class ExternalStateTest {
  @TempDir
  Path directory;

  @Test
  void kernelClassNamesTheKernelOfABufferType() {
    TestOptimizer optimizer = new TestOptimizer();
    assertEquals(EmaKernel.class, optimizer.kernelClass(float[].class));
    assertEquals(CountingKernel.class, optimizer.kernelClass(double[].class));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> optimizer.kernelClass(int[].class));
    assertTrue(e.getMessage().contains("has no kernel for int[] buffers"), e.getMessage());
  }

  @Test
  void aClockCountersAndStateInstalledByHandSaveTheSameCheckpoint() throws IOException {
    TestOptimizer trained = new TestOptimizer();
    float[] p = {1, 2, 3};
    float[] g = {0.5f, -1, 2};
    trained.add(p, g);
    trained.setSchedule(LrSchedule.linearWarmup(4));
    for (int i = 0; i < 3; i++) {
      trained.step();
    }
    Path expected = directory.resolve("trained.ckpt");
    trained.save(expected);

    TestOptimizer copy = new TestOptimizer();
    float[] q = p.clone();
    copy.add(q, new float[3]);
    copy.setSchedule(LrSchedule.linearWarmup(4));
    for (String name : trained.stateNames(p)) {
      System.arraycopy(trained.state(p, name), 0, copy.state(q, name), 0, 3);
    }
    copy.restoreClock(q, trained.stepCount(p), trained.carriedValues(p));
    copy.restoreProgress(trained.stepCount(), trained.skippedSteps(), new long[] {3});
    Path actual = directory.resolve("copy.ckpt");
    copy.save(actual);
    assertArrayEquals(java.nio.file.Files.readAllBytes(expected), java.nio.file.Files.readAllBytes(actual));
    assertEquals(3, copy.stepCount(q));
    assertArrayEquals(trained.carriedValues(p), copy.carriedValues(q));
  }

  @Test
  void badClocksAndCountersAreRefusedAndChangeNothing() {
    TestOptimizer optimizer = new TestOptimizer();
    float[] p = new float[2];
    optimizer.add(p, new float[2]);
    assertEquals(List.of("momentum_product"), optimizer.carriedNames(p));
    assertThrows(IllegalArgumentException.class, () -> optimizer.restoreClock(p, -1, new double[] {1.0}));
    assertThrows(IllegalArgumentException.class, () -> optimizer.restoreClock(p, (1L << 53) + 1, new double[] {0.5}));
    IllegalArgumentException product = assertThrows(IllegalArgumentException.class,
        () -> optimizer.restoreClock(p, 0, new double[] {0.5}));
    assertTrue(product.getMessage().contains("momentum product 0.5 is not what a tensor before its first momentum"
        + " step holds"), product.getMessage());
    assertThrows(IllegalArgumentException.class, () -> optimizer.restoreClock(p, 5, new double[] {1.5}));
    assertThrows(IllegalArgumentException.class, () -> optimizer.restoreClock(p, 5, new double[] {Double.NaN}));
    IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
        () -> optimizer.restoreClock(p, 5, new double[] {0.5, 0.5}));
    assertTrue(length.getMessage().contains("2 carried values for [momentum_product]"), length.getMessage());
    assertThrows(IllegalArgumentException.class, () -> optimizer.restoreClock(p, 5, null));
    assertThrows(IllegalArgumentException.class, () -> optimizer.restoreClock(new float[2], 1, new double[] {0.5}));
    assertEquals(0, optimizer.stepCount(p));
    assertArrayEquals(new double[] {1.0}, optimizer.carriedValues(p));
    optimizer.carriedValues(p)[0] = 0.25; // a copy
    assertArrayEquals(new double[] {1.0}, optimizer.carriedValues(p));

    assertThrows(IllegalArgumentException.class, () -> optimizer.restoreProgress(3, 0, new long[] {4}));
    assertThrows(IllegalArgumentException.class, () -> optimizer.restoreProgress(3, 0, new long[] {1, 1}));
    assertThrows(IllegalArgumentException.class, () -> optimizer.restoreProgress(-1, 0, new long[] {0}));
    assertEquals(0, optimizer.stepCount());
    assertEquals(0, optimizer.defaultGroup().schedulePosition());
  }
}
