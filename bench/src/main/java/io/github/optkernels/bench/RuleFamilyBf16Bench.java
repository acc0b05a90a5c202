package io.github.optkernels.bench;

import io.github.optkernels.examples.handwritten.HandAdanBf16Kahan;
import io.github.optkernels.examples.handwritten.HandLionBf16Kahan;
import io.github.optkernels.runtime.Hyperparameters;
import io.github.optkernels.examples.rules.AdanMixedKahan;
import io.github.optkernels.examples.rules.LionMixedKahan;
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
 * One step of one tensor of bf16 parameters and gradients with float32 state and a bf16 Kahan
 * buffer, with the hand-written loop of Lion or Adan (the later families where 16 bits matter
 * most: Lion's fixed-size update is usually below half a bf16 ulp, Adan keeps four state arrays).
 * The straightforward bf16 loop, as {@link Bf16TensorBench}'s hand-written AdamW rows; only
 * {@code handwritten} rows until these families have generated 16-bit optimizers.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "--add-modules", "jdk.incubator.vector"})
public class RuleFamilyBf16Bench extends StepBenchmark {
  @Param({"lion", "adan"})
  public String variant;

  @Param({"1048583"})
  public int size;

  @Param({"1", ALL_CORES})
  public String threads;

  @Param({"generated", "handwritten"})
  public String impl;

  private Runnable step;
  private Split split;

  @Setup(Level.Trial)
  public void setUp() {
    short[] param = Data.bf16(size, 1);
    short[] grad = Data.bf16(size, 2);
    if (impl.equals("generated")) {
      KernelOptimizer optimizer = variant.equals("lion")
          ? LionMixedKahan.builder().hyperparameters(Data.forVariant(variant)).build().addBf16(param, grad)
          : AdanMixedKahan.builder().hyperparameters(Data.forVariant(variant)).build().addBf16(param, grad);
      optimizer.setStepOptions(generatedStepOptions(threadCount(threads)));
      step = optimizer::step;
      return;
    }
    split = new Split(threadCount(threads));
    int states = variant.equals("lion") ? 1 : 4;
    step = new HandStep(variant.equals("lion"), Data.forVariant(variant), split, param, grad,
        new float[states][size], new short[size]);
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

  /** One hand-written bf16 Kahan step per {@link #run}, split as {@link SingleTensorBench}'s. */
  static final class HandStep implements Runnable, Split.Range {
    private final boolean lion;
    private final Hyperparameters h;
    private final Split split;
    private final short[] p;
    private final short[] g;
    private final float[][] s;
    private final short[] comp;
    private long t;

    HandStep(boolean lion, Hyperparameters h, Split split, short[] p, short[] g, float[][] s, short[] comp) {
      this.lion = lion;
      this.h = h;
      this.split = split;
      this.p = p;
      this.g = g;
      this.s = s;
      this.comp = comp;
    }

    @Override
    public void run() {
      t++;
      split.run(p.length, this);
    }

    @Override
    public void run(int from, int to) {
      if (lion) {
        HandLionBf16Kahan.step(p, g, s[0], comp, h, from, to);
      } else {
        HandAdanBf16Kahan.step(p, g, s[0], s[1], s[2], s[3], comp, t, h, from, to);
      }
    }
  }
}
