package io.github.optkernels.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One AdamW step over tensors a DJL model holds (PyTorch engine, CPU): DJL's own
 * {@code Optimizer.adamW()} ({@code djl_adamw}), optkernels' generated {@code AdamW} through the
 * DJL optimizer, stepping the engine's memory in place with off-heap state and zeroing the
 * weight's own gradient after reading it ({@code optkernels_djl}), and the same
 * generated optimizer on heap arrays holding the same values ({@code optkernels_heap}), and
 * libtorch's own fused AdamW over the same engine tensors, called through a hand-written
 * TorchScript archive ({@code libtorch_fused}, {@link LibtorchFusedAdamW}), and the same followed by
 * zeroing the gradients ({@code libtorch_fused_zero}: {@code zero_grad(set_to_none=False)}, what
 * DJL's optimizers and {@code optkernels_djl} leave behind; the peer of {@code optkernels_djl}, as
 * {@code libtorch_fused} is of {@code optkernels_heap}), and the floor over the same sizes ({@code
 * probe}: {@link BandwidthProbeBench}'s fp32 loop, an AdamW step's bytes with trivial arithmetic).
 *
 * <p>Like its peers, which check nothing, {@code optkernels_djl} steps unscanned gradients
 * ({@code NonFiniteGradients.UNCHECKED}); {@code optkernels_djl_refuse} is the same with the
 * optimizer's default, {@code REFUSE}, which scans each tensor's gradient before stepping it (a DJL
 * update steps one tensor, whose gradient may still be in cache when the step reads it). Shapes:
 * GPT-2 small's 148 tensors ({@code gpt2}) or one 16M-element tensor ({@code t16m}); one thread
 * or all ({@code threads} sets PyTorch's intra-op threads and the generated optimizer's). Each
 * {@code update} is what DJL's parameter server calls per parameter in a training step, with the
 * weight's own gradient ({@code getGradient()}, filled once by a backward pass; optkernels zeroes
 * it after its first step, as DJL's trainer expects, which costs the same arithmetic), as DJL's
 * trainer passes it.
 *
 * <p>Run with the engine's native library on the class path, offline: {@code java -cp
 * bench/target/benchmarks.jar:<pytorch-native-cpu-2.7.1-linux-x86_64.jar> org.openjdk.jmh.Main
 * DjlStepBench}.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "-XX:MaxDirectMemorySize=8g", "-Dai.djl.offline=true", "--add-modules",
    "jdk.incubator.vector"})
public class DjlStepBench extends StepBenchmark {
  @Param({"gpt2", "t16m"})
  public String shape;

  @Param({"djl_adamw", "optkernels_djl", "optkernels_djl_refuse", "optkernels_heap", "libtorch_fused",
      "libtorch_fused_zero", "probe"})
  public String impl;

  @Param({"1", ALL_CORES})
  public String threads;

  private DjlStep step;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    int threadCount = threadCount(threads);
    // read by the engine when it starts, which is below (each trial is a fresh JVM)
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threadCount));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    step = DjlStep.create(impl, DjlStep.sizes(shape), threadCount);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    step.close();
  }

  @Benchmark
  public void step() {
    step.run();
  }
}
