package io.github.optkernels.bench;

import io.github.optkernels.examples.handwritten.HandAdamW;
import io.github.optkernels.examples.handwritten.HandAdamWBf16Kahan;
import io.github.optkernels.examples.speed.Gpt2Shapes;
import io.github.optkernels.examples.variants.AdamW;
import io.github.optkernels.examples.variants.half.AdamWMixedKahan;
import io.github.optkernels.runtime.Hyperparameters;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.NonFiniteGradients;
import io.github.optkernels.runtime.ParamGroup;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One full AdamW step over GPT-2 small's 148 tensors in two parameter groups (decay on the
 * matrices, none on biases and gains), in float32 or bf16 + Kahan with float32 moments: one
 * {@code step()} of the generated optimizer (the runtime's scheduler: 64Ki-element work items over
 * the calling thread and a pool) against the hand-written loop applied tensor by tensor (with
 * {@code threads = all}, each tensor of at least 64Ki elements split over the threads, see
 * {@link Split}). Gradients are not scanned on either side; {@code generated_refuse} is the
 * generated step with the default {@link NonFiniteGradients#REFUSE}, which scans them first (its
 * ratio to {@code generated} is what the default's safety costs).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "--add-modules", "jdk.incubator.vector"})
public class Gpt2StepBench extends StepBenchmark {
  @Param({"fp32", "bf16_kahan"})
  public String precision;

  @Param({"1", ALL_CORES})
  public String threads;

  @Param({"generated", "generated_refuse", "handwritten"})
  public String impl;

  private Runnable step;
  private Split split;

  @Setup(Level.Trial)
  public void setUp() {
    int threadCount = threadCount(threads);
    List<Gpt2Shapes.Shape> shapes = Gpt2Shapes.full();
    boolean single = precision.equals("fp32");
    int k = shapes.size();
    Object[] params = new Object[k];
    Object[] grads = new Object[k];
    for (int i = 0; i < k; i++) {
      int n = shapes.get(i).size();
      params[i] = single ? Data.floats(n, 2L * i) : Data.bf16(n, 2L * i);
      grads[i] = single ? Data.floats(n, 2L * i + 1) : Data.bf16(n, 2L * i + 1);
    }
    if (impl.startsWith("generated")) {
      KernelOptimizer optimizer = single
          ? AdamW.builder().hyperparameters(Data.ADAMW).build()
          : AdamWMixedKahan.builder().hyperparameters(Data.ADAMW).build();
      ParamGroup noDecay = optimizer.addGroup(Data.NO_DECAY);
      for (int i = 0; i < k; i++) {
        ParamGroup group = shapes.get(i).decays() ? optimizer.defaultGroup() : noDecay;
        if (single) {
          ((AdamW) optimizer).add(group, (float[]) params[i], (float[]) grads[i]);
        } else {
          ((AdamWMixedKahan) optimizer).addBf16(group, (short[]) params[i], (short[]) grads[i]);
        }
      }
      optimizer.setStepOptions(impl.equals("generated_refuse")
          ? generatedStepOptions(threadCount).withNonFiniteGradients(NonFiniteGradients.REFUSE)
          : generatedStepOptions(threadCount));
      step = optimizer::step;
    } else {
      split = new Split(threadCount);
      HandTensor[] tensors = new HandTensor[k];
      for (int i = 0; i < k; i++) {
        Hyperparameters h = shapes.get(i).decays() ? Data.ADAMW : Data.NO_DECAY;
        int n = shapes.get(i).size();
        tensors[i] = single
            ? new HandTensor(h, (float[]) params[i], (float[]) grads[i], null, null, new float[n], new float[n], null)
            : new HandTensor(h, null, null, (short[]) params[i], (short[]) grads[i], new float[n], new float[n], new short[n]);
      }
      step = () -> {
        for (HandTensor tensor : tensors) {
          tensor.t++;
          split.run(tensor.m.length, tensor);
        }
      };
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

  /** One tensor's buffers for the hand-written side: float32, or bf16 with a Kahan buffer. */
  static final class HandTensor implements Split.Range {
    private final Hyperparameters h;
    private final float[] p;
    private final float[] g;
    private final short[] pBits;
    private final short[] gBits;
    final float[] m;
    private final float[] v;
    private final short[] comp;
    long t;

    HandTensor(Hyperparameters h, float[] p, float[] g, short[] pBits, short[] gBits, float[] m,
        float[] v, short[] comp) {
      this.h = h;
      this.p = p;
      this.g = g;
      this.pBits = pBits;
      this.gBits = gBits;
      this.m = m;
      this.v = v;
      this.comp = comp;
    }

    @Override
    public void run(int from, int to) {
      if (p != null) {
        HandAdamW.step(p, g, m, v, t, h, from, to);
      } else {
        HandAdamWBf16Kahan.step(pBits, gBits, m, v, comp, t, h, from, to);
      }
    }
  }
}
