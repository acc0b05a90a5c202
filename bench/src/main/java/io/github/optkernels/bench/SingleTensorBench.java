package io.github.optkernels.bench;

import io.github.optkernels.examples.handwritten.Baseline;
import io.github.optkernels.examples.conformance.VariantRegistry;
import io.github.optkernels.runtime.Hyperparameters;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.NonFiniteGradients;
import io.github.optkernels.runtime.StepOptions;
import java.util.Arrays;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One step of one tensor: the generated optimizer through the runtime (its public API, as a user
 * calls it) against the hand-written loop of the same variant and precision.
 *
 * <p>Like for like: the hand-written loop checks nothing, so the generated step runs with
 * {@link NonFiniteGradients#UNCHECKED}. With {@code threads = all} the generated step uses the
 * runtime's scheduler ({@link StepOptions#withThreads}) and the hand-written one is split into
 * one piece per thread over a {@link java.util.concurrent.ForkJoinPool} ({@link Split}); both
 * stay on the calling thread below 64Ki elements.
 */
@State(Scope.Benchmark)
public class SingleTensorBench extends StepBenchmark {
  @Param({"adam", "adamw", "amsgrad", "radam", "nadam", "adabelief"})
  public String variant;

  @Param({"fp32", "fp64"})
  public String precision;

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
    Hyperparameters h = Data.forVariant(variant);
    boolean single = precision.equals("fp32");
    Object param = single ? Data.floats(size, 1) : Data.doubles(size, 1);
    Object grad = single ? Data.floats(size, 2) : Data.doubles(size, 2);
    if (impl.equals("generated")) {
      KernelOptimizer optimizer = VariantRegistry.create(variant, h).orElseThrow().add(param, grad);
      optimizer.setStepOptions(generatedStepOptions(threadCount));
      step = optimizer::step;
    } else {
      split = new Split(threadCount);
      Baseline baseline = Baseline.of(variant);
      int states = baseline.stateNames().size();
      step = single
          ? HandStep.of(baseline, h, split, (float[]) param, (float[]) grad, new float[states][size])
          : HandStep.of(baseline, h, split, (double[]) param, (double[]) grad, new double[states][size]);
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

  /**
   * One hand-written step per {@link #run}, of the float or the double buffers (whichever are
   * set): fields, not a lambda, so nothing is captured per step. A variant with per-tensor sums
   * (LAMB) gets its first pass split the same way; each range's sums are added under a lock, in
   * whatever order the ranges finish (the conformance README allows any order for LAMB's norms).
   */
  static final class HandStep implements Runnable, Split.Range {
    private final Baseline baseline;
    private final Hyperparameters h;
    private final Split split;
    private final int length;
    private final float[] floatP;
    private final float[] floatG;
    private final float[][] floatState;
    private final double[] doubleP;
    private final double[] doubleG;
    private final double[][] doubleState;
    /** This step's per-tensor sums, or null for a one-pass variant. */
    private final double[] sums;
    private boolean inFirstPass;
    private long t;

    private HandStep(Baseline baseline, Hyperparameters h, Split split, int length, float[] floatP,
        float[] floatG, float[][] floatState, double[] doubleP, double[] doubleG, double[][] doubleState) {
      this.baseline = baseline;
      this.h = h;
      this.split = split;
      this.length = length;
      this.floatP = floatP;
      this.floatG = floatG;
      this.floatState = floatState;
      this.doubleP = doubleP;
      this.doubleG = doubleG;
      this.doubleState = doubleState;
      this.sums = baseline.sumCount() > 0 ? new double[baseline.sumCount()] : null;
    }

    static HandStep of(Baseline baseline, Hyperparameters h, Split split, float[] p, float[] g, float[][] state) {
      baseline.startState(p, state);
      return new HandStep(baseline, h, split, p.length, p, g, state, null, null, null);
    }

    static HandStep of(Baseline baseline, Hyperparameters h, Split split, double[] p, double[] g, double[][] state) {
      baseline.startState(p, state);
      return new HandStep(baseline, h, split, p.length, null, null, null, p, g, state);
    }

    @Override
    public void run() {
      baseline.beginStep(++t, h);
      if (sums != null) {
        Arrays.fill(sums, 0);
        inFirstPass = true;
        split.run(length, this);
        inFirstPass = false;
        baseline.beginUpdate(sums);
      }
      split.run(length, this);
    }

    @Override
    public void run(int from, int to) {
      if (inFirstPass) {
        double[] rangeSums = new double[sums.length];
        if (floatP != null) {
          baseline.firstPass(floatP, floatG, floatState, t, h, from, to, rangeSums);
        } else {
          baseline.firstPass(doubleP, doubleG, doubleState, t, h, from, to, rangeSums);
        }
        synchronized (sums) {
          for (int k = 0; k < sums.length; k++) {
            sums[k] += rangeSums[k];
          }
        }
      } else if (floatP != null) {
        baseline.step(floatP, floatG, floatState, t, h, from, to);
      } else {
        baseline.step(doubleP, doubleG, doubleState, t, h, from, to);
      }
    }
  }
}
