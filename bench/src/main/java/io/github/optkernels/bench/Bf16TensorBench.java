package io.github.optkernels.bench;

import io.github.optkernels.examples.handwritten.HandAdamWBf16;
import io.github.optkernels.examples.handwritten.HandAdamWBf16Kahan;
import io.github.optkernels.examples.variants.half.AdamWMixed;
import io.github.optkernels.examples.variants.half.AdamWMixedKahan;
import io.github.optkernels.runtime.Hyperparameters;
import io.github.optkernels.runtime.KernelOptimizer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One AdamW step of one tensor of bf16 parameters and gradients with float32 moments, rounded to
 * nearest or Kahan-compensated: the generated 16-bit kernel (through the runtime) against the
 * straightforward bf16 loop, which C2 does not vectorize.
 *
 * <p>Forked with {@code --add-modules jdk.incubator.vector}, so the runtime's conversions take
 * the Vector API path, as the README recommends for 16-bit kernels (the runtime logs its choice
 * once, at start-up). {@link Table} adds a row with {@code -Doptkernels.vector=false}, the plain
 * Java conversions a JVM without the module gets.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "--add-modules", "jdk.incubator.vector"})
public class Bf16TensorBench extends StepBenchmark {
  @Param({"nearest", "kahan"})
  public String rounding;

  @Param({"1003", "65537", "1048583", "16777259", "67108879"})
  public int size;

  @Param({"1", ALL_CORES})
  public String threads;

  @Param({"generated", "handwritten"})
  public String impl;

  private Runnable step;
  private Split split;

  @Setup(Level.Trial)
  public void setUp() {
    int threadCount = threadCount(threads);
    Hyperparameters h = Data.ADAMW;
    short[] param = Data.bf16(size, 1);
    short[] grad = Data.bf16(size, 2);
    boolean kahan = rounding.equals("kahan");
    if (impl.equals("generated")) {
      KernelOptimizer optimizer = kahan
          ? AdamWMixedKahan.builder().hyperparameters(h).build().addBf16(param, grad)
          : AdamWMixed.builder().hyperparameters(h).build().addBf16(param, grad);
      optimizer.setStepOptions(generatedStepOptions(threadCount));
      step = optimizer::step;
    } else {
      split = new Split(threadCount);
      step = new HandStep(h, split, param, grad, new float[size], new float[size], kahan ? new short[size] : null);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (split != null) {
      split.close();
    }
  }

  @Benchmark
  public void step() {
    step.run();
  }

  /** One hand-written bf16 step per {@link #run}, split as {@link SingleTensorBench}'s. */
  static final class HandStep implements Runnable, Split.Range {
    private final Hyperparameters h;
    private final Split split;
    private final short[] p;
    private final short[] g;
    private final float[] m;
    private final float[] v;
    private final short[] comp;
    private long t;

    HandStep(Hyperparameters h, Split split, short[] p, short[] g, float[] m, float[] v, short[] comp) {
      this.h = h;
      this.split = split;
      this.p = p;
      this.g = g;
      this.m = m;
      this.v = v;
      this.comp = comp;
    }

    @Override
    public void run() {
      t++;
      split.run(p.length, this);
    }

    @Override
    public void run(int from, int to) {
      if (comp != null) {
        HandAdamWBf16Kahan.step(p, g, m, v, comp, t, h, from, to);
      } else {
        HandAdamWBf16.step(p, g, m, v, t, h, from, to);
      }
    }
  }
}
