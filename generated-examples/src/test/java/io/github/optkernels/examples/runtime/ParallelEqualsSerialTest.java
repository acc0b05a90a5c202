package io.github.optkernels.examples.runtime;

import static com.google.common.truth.Truth.assertThat;

import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.StepOptions;
import org.junit.jupiter.api.Test;

/**
 * Every variant, float and double tensors, two groups with schedules and a warm-up: 1 to 4
 * threads and chunk sizes from 1 element up give bit-identical parameters and state to a serial
 * run, through the RAdam phase change (step 6) and the Adam-2k warm-up. Counts what it checked.
 */
class ParallelEqualsSerialTest {
  private static final int STEPS = 8;

  private static void train(KernelOptimizer optimizer, Tensors tensors) {
    for (int s = 1; s <= STEPS; s++) {
      tensors.refreshGradients(s);
      optimizer.step();
    }
  }

  @Test
  void everyVariantGivesTheSameBitsOnAnyThreadsAndChunks() {
    int variants = 0;
    int runs = 0;
    long compared = 0;
    int[] threadCounts = {2, 3, 4};
    StepOptions[] pools = new StepOptions[threadCounts.length]; // one pool per thread count, shared
    for (int i = 0; i < threadCounts.length; i++) {
      pools[i] = StepOptions.defaults().withThreads(threadCounts[i]).withSerialThreshold(0);
    }
    for (String variant : Variants.NAMES) {
      Tensors serialTensors = Variants.tensors(variant.hashCode());
      Tensors initial = serialTensors.copy();
      KernelOptimizer serial = Variants.create(variant);
      serialTensors.registerIn(serial);
      serial.setStepOptions(StepOptions.serial());
      train(serial, serialTensors);
      for (StepOptions pool : pools) {
        for (int chunk : new int[] {1, 5, 64, 4096}) {
          Tensors tensors = initial.copy();
          KernelOptimizer parallel = Variants.create(variant);
          tensors.registerIn(parallel);
          parallel.setStepOptions(pool.withChunkSize(chunk));
          train(parallel, tensors);
          compared += serialTensors.assertSameAs(serial, tensors, parallel,
              variant + ", " + pool.threads() + " threads, chunk " + chunk);
          runs++;
        }
      }
      variants++;
    }
    // counted, so that neither a variant nor a configuration can slip through untested
    assertThat(variants).isEqualTo(10);
    assertThat(runs).isEqualTo(10 * 12);
    assertThat(compared).isGreaterThan(runs * 5728L * 3);
  }
}
