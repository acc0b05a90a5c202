package io.github.optkernels.examples.runtime;

import static com.google.common.truth.Truth.assertThat;

import io.github.optkernels.examples.speed.Gpt2Shapes;
import io.github.optkernels.examples.variants.AdamW;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.LrSchedule;
import io.github.optkernels.runtime.StepOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The acceptance test: a GPT-2-small-shaped parameter set (all 148 tensor shapes, sizes
 * divided by 256 and made odd for CI: 486K elements from 3 to 150,771) in two groups, stepped by
 * AdamW with a warm-up + cosine schedule on 1, 2 and 4 threads and several chunk sizes, gives
 * parameters and state bit-identical to a serial run.
 */
class Gpt2ParallelTest {
  private static final int STEPS = 3;

  private static KernelOptimizer adamW(Tensors tensors, StepOptions options) {
    AdamW optimizer = AdamW.builder().lr(6e-4).beta2(0.95).weightDecay(0.1).build();
    optimizer.addGroup(optimizer.hyperparameters().withWeightDecay(0));
    for (var group : optimizer.groups()) {
      group.setSchedule(LrSchedule.warmupCosine(2, 100, 0.1));
    }
    tensors.registerIn(optimizer);
    optimizer.setStepOptions(options);
    return optimizer;
  }

  private static void train(KernelOptimizer optimizer, Tensors tensors) {
    for (int s = 1; s <= STEPS; s++) {
      tensors.refreshGradients(s);
      optimizer.step();
    }
  }

  @Test
  void gpt2ShapesGiveBitIdenticalResultsOnAnyThreadsAndChunks() {
    List<Gpt2Shapes.Shape> shapes = Gpt2Shapes.scaled(256);
    assertThat(shapes).hasSize(148);
    Tensors serialTensors = new Tensors();
    for (int k = 0; k < shapes.size(); k++) {
      serialTensors.add(false, shapes.get(k).size(), shapes.get(k).decays() ? 0 : 1, k);
    }
    Tensors initial = serialTensors.copy();
    KernelOptimizer serial = adamW(serialTensors, StepOptions.serial());
    train(serial, serialTensors);

    int runs = 0;
    long compared = 0;
    for (int threads : new int[] {1, 2, 4}) {
      StepOptions base = StepOptions.defaults().withThreads(threads).withSerialThreshold(0);
      for (int chunk : new int[] {7, 1000, 4096, StepOptions.DEFAULT_CHUNK_SIZE, 1 << 20}) {
        Tensors tensors = initial.copy();
        KernelOptimizer parallel = adamW(tensors, base.withChunkSize(chunk));
        train(parallel, tensors);
        compared += serialTensors.assertSameAs(serial, tensors, parallel, threads + " threads, chunk " + chunk);
        runs++;
      }
    }
    // counted, so that a configuration dropped from the loops cannot pass unnoticed
    assertThat(runs).isEqualTo(15);
    long elements = shapes.stream().mapToLong(Gpt2Shapes.Shape::size).sum();
    assertThat(compared).isEqualTo(15 * 3 * elements); // params, exp_avg, exp_avg_sq
  }

  @Test
  void theFullShapesAreGpt2SmallsParameters() {
    assertThat(Gpt2Shapes.full()).hasSize(148);
    assertThat(Gpt2Shapes.full().stream().mapToLong(Gpt2Shapes.Shape::size).sum())
        .isEqualTo(Gpt2Shapes.PARAMETERS);
  }
}
