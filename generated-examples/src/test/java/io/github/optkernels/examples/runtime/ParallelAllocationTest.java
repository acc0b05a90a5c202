package io.github.optkernels.examples.runtime;

import static com.google.common.truth.Truth.assertWithMessage;

import io.github.optkernels.examples.SteadyStateAllocation;
import io.github.optkernels.examples.variants.AdamW;
import io.github.optkernels.examples.variants.NAdam;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.LrSchedule;
import io.github.optkernels.runtime.StepOptions;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A steady-state step on several threads allocates nothing: summed over the calling thread and
 * every thread of the pool, with schedules evaluated every step, the NaN/Inf scan on, two groups
 * and tensors of both precisions, split into many chunks and batches. Also the gradient-release
 * calls. Warm-up as in AllocationTest: C2 charges its bookkeeping to the stepping threads while
 * it compiles.
 */
class ParallelAllocationTest {
  private static final int WARM_UP_STEPS = 6_000;
  private static final int STEPS = 1_000;

  @Test
  void parallelStepsWithSchedulesAndScansAllocateZeroBytesOnEveryThread() {
    Set<Thread> poolThreads = ConcurrentHashMap.newKeySet();
    ForkJoinPool pool = new ForkJoinPool(2, p -> {
      ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
      poolThreads.add(thread);
      return thread;
    }, null, false);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    try {
      for (Supplier<KernelOptimizer> variant : List.<Supplier<KernelOptimizer>>of(
          () -> AdamW.builder().build(), () -> NAdam.builder().build())) {
        KernelOptimizer optimizer = variant.get();
        optimizer.setSchedule(LrSchedule.warmupCosine(100, 1_000_000, 0.1));
        optimizer.addGroup(optimizer.hyperparameters().withWeightDecay(0)).setSchedule(LrSchedule.noam(500));
        Tensors tensors = new Tensors();
        int[] sizes = {7, 3001, 33, 12_289, 1, 999};
        for (int k = 0; k < sizes.length; k++) {
          tensors.add(k % 2 == 1, sizes[k], k % 2, k);
        }
        tensors.registerIn(optimizer);
        optimizer.setStepOptions(StepOptions.defaults().withPool(pool).withChunkSize(1024).withSerialThreshold(0));
        Object released = tensors.params.get(3);
        for (int s = 0; s < WARM_UP_STEPS; s++) {
          steps(optimizer, released);
        }

        Thread[] workers = poolThreads.toArray(new Thread[0]); // iterating the set would allocate
        long allocated = SteadyStateAllocation.leastOverWindows(() -> allocated(threads, workers), () -> {
          for (int s = 0; s < STEPS; s++) {
            steps(optimizer, released);
          }
        });
        assertWithMessage("%s allocated %s bytes over %s steps on %s pool threads and the caller",
            optimizer.spec().name(), allocated, STEPS, workers.length).that(allocated).isEqualTo(0L);
        assertWithMessage("pool threads").that(poolThreads).hasSize(workers.length);
      }
    } finally {
      pool.shutdown();
    }
  }

  /** A full step, then a training step taken by release: one tensor, then a group. */
  private static void steps(KernelOptimizer optimizer, Object released) {
    optimizer.step();
    optimizer.stepTensor(released);
    optimizer.stepGroup(optimizer.defaultGroup());
    optimizer.finishStep();
  }

  // Thread.getId is deprecated from JDK 19 for threadId(), which Java 17 (this code's other target) lacks
  @SuppressWarnings("deprecation")
  private static long allocated(com.sun.management.ThreadMXBean threads, Thread[] workers) {
    long sum = threads.getCurrentThreadAllocatedBytes();
    for (Thread worker : workers) {
      sum += Math.max(0, threads.getThreadAllocatedBytes(worker.getId())); // -1 if it ended
    }
    return sum;
  }
}
