package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/**
 * The work plan and the parallel run: every element is updated exactly once for any threads and
 * chunks, small tensors are batched and large ones split as documented, kernels are prepared once
 * per group and step count, and pool threads really take part.
 */
class SchedulingTest {
  private static final int[] SIZES = {0, 1, 2, 3, 7, 64, 65, 1000, 4097, 1, 33};

  @Test
  void everyElementIsUpdatedExactlyOnceForAnyThreadsAndChunks() {
    int configurations = 0;
    long elements = 0;
    for (int threads : new int[] {1, 2, 3, 4}) {
      StepOptions base = StepOptions.defaults().withThreads(threads).withSerialThreshold(0);
      for (int chunk : new int[] {1, 2, 3, 5, 64, 1000, 1 << 16}) {
        TestOptimizer optimizer = new TestOptimizer();
        optimizer.setStepOptions(base.withChunkSize(chunk));
        List<double[]> params = new ArrayList<>();
        for (int n : SIZES) {
          double[] p = new double[n];
          params.add(p);
          optimizer.add(p, new double[n]); // CountingKernel: count[i]++ per update of element i
        }
        for (int s = 0; s < 3; s++) {
          optimizer.step();
        }
        for (double[] p : params) {
          double[] count = (double[]) optimizer.state(p, "count");
          for (double c : count) {
            assertEquals(3.0, c, "threads " + threads + ", chunk " + chunk);
          }
          elements += count.length;
        }
        configurations++;
      }
    }
    // counted, so that a configuration dropped from the loops cannot pass unnoticed
    assertEquals(28, configurations);
    assertEquals(28L * 5273, elements);
  }

  @Test
  void largeTensorsAreSplitIntoChunksAndTheRestBatchedWithSmallTensors() {
    RecordingKernel kernel = new RecordingKernel();
    KernelOptimizer optimizer = new KernelOptimizer(TestOptimizer.SPEC, TestOptimizer.H) {
      @Override
      protected StepKernel newKernel(Class<?> bufferType) {
        return kernel;
      }
    };
    optimizer.setStepOptions(StepOptions.serial().withChunkSize(10));
    for (int n : new int[] {3, 4, 25, 2, 10}) {
      optimizer.add(new double[n], new double[n]);
    }
    optimizer.step();
    List<int[]> ranges = new ArrayList<>(kernel.ranges);
    // serial: in plan order. Items: {3, 4} (7 elements), [0,10) and [10,20) of the 25, then its
    // rest [20,25) batched with the 2, then the 10 alone (a full chunk)
    int[][] expected = {{3, 0, 3}, {4, 0, 4}, {25, 0, 10}, {25, 10, 20}, {25, 20, 25}, {2, 0, 2}, {10, 0, 10}};
    assertEquals(expected.length, ranges.size());
    for (int i = 0; i < expected.length; i++) {
      assertArrayEquals(expected[i], ranges.get(i), "range " + i);
    }
  }

  @Test
  void poolThreadsTakePartInALargeStep() {
    CountDownLatch twoThreads = new CountDownLatch(2);
    RecordingKernel kernel = new RecordingKernel(twoThreads, Thread.currentThread());
    KernelOptimizer optimizer = new KernelOptimizer(TestOptimizer.SPEC, TestOptimizer.H) {
      @Override
      protected StepKernel newKernel(Class<?> bufferType) {
        return kernel;
      }
    };
    ForkJoinPool pool = new ForkJoinPool(3);
    try {
      optimizer.setStepOptions(StepOptions.defaults().withPool(pool).withChunkSize(16).withSerialThreshold(0));
      double[] p = new double[16 * 64];
      optimizer.add(p, new double[p.length]);
      optimizer.step();
      assertTrue(kernel.threads.size() >= 2, "threads: " + kernel.threads);
      assertTrue(kernel.threads.contains(Thread.currentThread()), "the caller works too");
      for (double x : p) {
        assertEquals(1.0, x);
      }
      kernel.ranges.sort(Comparator.comparingInt(r -> r[1]));
      assertEquals(64, kernel.ranges.size());
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void belowTheThresholdAStepStaysOnTheCallingThread() {
    RecordingKernel kernel = new RecordingKernel();
    KernelOptimizer optimizer = new KernelOptimizer(TestOptimizer.SPEC, TestOptimizer.H) {
      @Override
      protected StepKernel newKernel(Class<?> bufferType) {
        return kernel;
      }
    };
    optimizer.setStepOptions(StepOptions.defaults().withThreads(4).withChunkSize(8).withSerialThreshold(1000));
    optimizer.add(new double[999], new double[999]);
    for (int s = 0; s < 20; s++) {
      optimizer.step();
    }
    assertEquals(java.util.Set.of(Thread.currentThread()), kernel.threads);
  }

  @Test
  void kernelsArePreparedOncePerGroupAndStepCountNotPerTensorOrChunk() {
    TestOptimizer optimizer = new TestOptimizer();
    optimizer.setStepOptions(StepOptions.defaults().withThreads(2).withChunkSize(3).withSerialThreshold(0));
    ParamGroup second = optimizer.addGroup(TestOptimizer.H.withLr(0.01));
    List<float[]> first = new ArrayList<>();
    for (int k = 0; k < 5; k++) {
      float[] p = TestOptimizer.floats(17, k);
      first.add(p);
      optimizer.add(p, TestOptimizer.floats(17, 100 + k));
    }
    for (int k = 0; k < 3; k++) {
      second.add(TestOptimizer.floats(9, 200 + k), TestOptimizer.floats(9, 300 + k));
    }
    optimizer.step();
    assertEquals(2, optimizer.prepares()); // one per group, for 8 tensors in 32 chunks
    optimizer.stepTensor(first.get(0)); // that tensor is now one step ahead of its group
    assertEquals(3, optimizer.prepares());
    optimizer.finishStep();
    optimizer.step();
    assertEquals(6, optimizer.prepares()); // the first group now has two step counts
    assertEquals(3, optimizer.stepCount(first.get(0)));
    assertEquals(2, optimizer.stepCount(first.get(1)));
  }

  @Test
  void aStepFromInsideItsOwnPoolCompletesAndMatchesASerialStep() throws Exception {
    ForkJoinPool pool = new ForkJoinPool(1);
    try {
      TestOptimizer parallel = new TestOptimizer();
      TestOptimizer serial = new TestOptimizer();
      parallel.setStepOptions(StepOptions.defaults().withPool(pool).withChunkSize(4).withSerialThreshold(0));
      serial.setStepOptions(StepOptions.serial());
      for (TestOptimizer o : new TestOptimizer[] {parallel, serial}) {
        for (int k = 0; k < 4; k++) {
          o.add(TestOptimizer.floats(101, k), TestOptimizer.floats(101, 10 + k));
        }
      }
      // the pool's only thread calls step(): its own task cannot run until it waits, so it must not wait for it
      pool.submit(() -> {
        for (int s = 0; s < 5; s++) {
          parallel.step();
        }
      }).get();
      for (int s = 0; s < 5; s++) {
        serial.step();
      }
      assertTrue(new Snapshot(parallel).sameAs(new Snapshot(serial)));
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void aPoolThatWasShutDownOrReplacedLeavesTheWorkToTheCaller() {
    TestOptimizer parallel = new TestOptimizer();
    TestOptimizer serial = new TestOptimizer();
    serial.setStepOptions(StepOptions.serial());
    for (TestOptimizer o : new TestOptimizer[] {parallel, serial}) {
      for (int k = 0; k < 3; k++) {
        o.add(TestOptimizer.floats(301, k), TestOptimizer.floats(301, 10 + k));
      }
    }
    ForkJoinPool first = new ForkJoinPool(2);
    ForkJoinPool second = new ForkJoinPool(2);
    try {
      parallel.setStepOptions(StepOptions.defaults().withPool(first).withChunkSize(7).withSerialThreshold(0));
      parallel.step();
      first.shutdownNow(); // tasks still queued there never run; later steps must not wait for them
      parallel.step();
      parallel.setStepOptions(StepOptions.defaults().withPool(second).withChunkSize(7).withSerialThreshold(0));
      parallel.step();
      for (int s = 0; s < 3; s++) {
        serial.step();
      }
      assertTrue(new Snapshot(parallel).sameAs(new Snapshot(serial)));
    } finally {
      second.shutdown();
    }
  }
}
