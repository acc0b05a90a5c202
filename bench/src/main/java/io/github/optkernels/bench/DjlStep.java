package io.github.optkernels.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import io.github.optkernels.djl.OptkernelsOptimizer;
import io.github.optkernels.examples.speed.Gpt2Shapes;
import io.github.optkernels.examples.variants.AdamW;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.NonFiniteGradients;
import io.github.optkernels.runtime.StepOptions;
import java.util.List;

/**
 * One way of taking an AdamW step over tensors a DJL model holds, over tensors of its own: the
 * rows {@link DjlStepBench} times and {@link InterleavedDjlSteps} alternates. Each holds its own
 * weights, gradients and state, made from the same seeds, so two of them start from the same
 * values and, being the same AdamW, end each step with the same weights ({@link #weight}); but
 * {@code probe}, the floor, which moves an AdamW step's bytes with trivial arithmetic.
 *
 * <p>The engine's thread count is read when the engine starts: set {@code
 * ai.djl.pytorch.num_threads} before the first {@link #create} in a JVM.
 */
final class DjlStep implements AutoCloseable {
  /** The rows, in the order the benchmark lists them. */
  static final List<String> IMPLS = List.of("djl_adamw", "optkernels_djl", "optkernels_djl_refuse", "optkernels_heap",
      "libtorch_fused", "libtorch_fused_zero", "probe");

  /** The probe's threads, or null. */
  private final Split split;
  private final NDManager manager;
  private final LibtorchFusedAdamW fused;
  private final Runnable step;
  private final NDArray[] weights;
  private final float[][] heapWeights;

  private DjlStep(Split split, NDManager manager, LibtorchFusedAdamW fused, Runnable step,
      NDArray[] weights, float[][] heapWeights) {
    this.split = split;
    this.manager = manager;
    this.fused = fused;
    this.step = step;
    this.weights = weights;
    this.heapWeights = heapWeights;
  }

  /** Element counts of {@code shape}'s tensors: GPT-2 small's 148 ({@code gpt2}), or one ({@code t16m}, {@code t<n>}). */
  static int[] sizes(String shape) {
    if (!shape.equals("gpt2")) {
      return new int[] {OffHeapStepBench.tensorSize(shape)};
    }
    List<Gpt2Shapes.Shape> shapes = Gpt2Shapes.full();
    int[] sizes = new int[shapes.size()];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = shapes.get(i).size();
    }
    return sizes;
  }

  /**
   * {@code impl}'s step (one of {@link #IMPLS}) over float32 tensors of {@code sizes}, tensor
   * {@code i} holding {@code Data.floats(size, 2i)} and its gradient {@code Data.floats(size, 2i + 1)};
   * the generated optimizer on {@code threadCount} threads.
   */
  static DjlStep create(String impl, int[] sizes, int threadCount) throws Exception {
    int count = sizes.length;
    if (impl.equals("optkernels_heap")) {
      KernelOptimizer optimizer = AdamW.builder().hyperparameters(Data.ADAMW).build();
      float[][] params = new float[count][];
      for (int i = 0; i < count; i++) {
        params[i] = Data.floats(sizes[i], 2L * i);
        optimizer.add(params[i], Data.floats(sizes[i], 2L * i + 1));
      }
      optimizer.setStepOptions(StepBenchmark.generatedStepOptions(threadCount));
      return new DjlStep(null, null, null, optimizer::step, null, params);
    }
    if (impl.equals("probe")) {
      // the floor: BandwidthProbeBench's fp32 loop (an AdamW step's traffic, trivial arithmetic)
      // over heap arrays of these sizes, split over the threads as the hand-written loops are
      Split split = new Split(threadCount);
      float[][] params = new float[count][];
      Split.Range[] bodies = new Split.Range[count];
      for (int i = 0; i < count; i++) {
        params[i] = Data.floats(sizes[i], 2L * i);
        bodies[i] = BandwidthProbeBench.fp32(params[i], Data.floats(sizes[i], 2L * i + 1), new float[sizes[i]],
            new float[sizes[i]]);
      }
      Runnable step = () -> {
        for (int i = 0; i < count; i++) {
          split.run(sizes[i], bodies[i]);
        }
      };
      return new DjlStep(split, null, null, step, null, params);
    }
    if (!IMPLS.contains(impl)) {
      throw new IllegalArgumentException("impl " + impl + " is none of " + IMPLS);
    }
    NDManager manager = NDManager.newBaseManager();
    NDArray[] weights = new NDArray[count];
    NDArray[] grads = new NDArray[count];
    String[] ids = new String[count];
    for (int i = 0; i < count; i++) {
      weights[i] = manager.create(Data.floats(sizes[i], 2L * i));
      grads[i] = manager.create(Data.floats(sizes[i], 2L * i + 1));
      ids[i] = "p" + i;
    }
    if (impl.startsWith("libtorch_fused")) {
      LibtorchFusedAdamW fused = new LibtorchFusedAdamW(manager, weights, grads, Data.ADAMW,
          impl.equals("libtorch_fused_zero"));
      return new DjlStep(null, manager, fused, fused::step, weights, null);
    }
    // the weights' own gradients, as DJL's trainer passes them: d(sum(w * g))/dw = g
    for (int i = 0; i < count; i++) {
      weights[i].setRequiresGradient(true);
      try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
        collector.backward(weights[i].mul(grads[i]).sum());
      }
    }
    Optimizer optimizer;
    if (impl.equals("djl_adamw")) {
      optimizer = Optimizer.adamW().build();
    } else {
      KernelOptimizer adamw = AdamW.builder().hyperparameters(Data.ADAMW).build();
      StepOptions options = StepBenchmark.generatedStepOptions(threadCount);
      adamw.setStepOptions(impl.equals("optkernels_djl_refuse")
          ? options.withNonFiniteGradients(NonFiniteGradients.REFUSE) : options);
      optimizer = OptkernelsOptimizer.of(adamw);
    }
    Runnable step = () -> {
      for (int i = 0; i < weights.length; i++) {
        try (NDArray grad = weights[i].getGradient()) { // closes the handle, not the gradient
          optimizer.update(ids[i], weights[i], grad);
        }
      }
    };
    return new DjlStep(null, manager, null, step, weights, null);
  }

  /** One step over every tensor. */
  void run() {
    step.run();
  }

  /** Tensor {@code i}'s weights now. */
  float[] weight(int i) {
    return heapWeights != null ? heapWeights[i].clone() : weights[i].toFloatArray();
  }

  @Override
  public void close() {
    if (split != null) {
      split.close();
    }
    if (fused != null) {
      fused.close();
    }
    if (manager != null) {
      manager.close();
    }
  }
}
