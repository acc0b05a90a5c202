package io.github.optkernels.bench;

import io.github.optkernels.examples.conformance.VariantRegistry;
import io.github.optkernels.examples.handwritten.Baseline;
import io.github.optkernels.examples.rules.AdamRule;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.Hyperparameters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One step of one tensor for the families written as rules (Lion, Adamax, SGD with momentum or
 * Nesterov, Adan, LAMB, schedule-free AdamW): the optimizer generated from the rule
 * ({@code examples.rules}) against the family's hand-written loop, run exactly as
 * {@link SingleTensorBench} runs its rows (same data, same split over threads, LAMB's first pass
 * split too).
 */
@State(Scope.Benchmark)
public class RuleFamilyBench extends StepBenchmark {
  /**
   * The seven families, and {@code adam}: Adam written as a rule ({@code AdamRuleSpec}), whose
   * generated row is compared with {@link SingleTensorBench}'s built-in Adam at the same size.
   */
  @Param({"lion", "adamax", "sgd_momentum", "sgd_nesterov", "adan", "lamb", "schedulefree_adamw", "adam"})
  public String variant;

  @Param({"fp32"})
  public String precision;

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
    Hyperparameters h = Data.forVariant(variant);
    boolean single = precision.equals("fp32");
    Object param = single ? Data.floats(size, 1) : Data.doubles(size, 1);
    Object grad = single ? Data.floats(size, 2) : Data.doubles(size, 2);
    if (impl.equals("generated")) {
      KernelOptimizer optimizer = (variant.equals("adam") ? AdamRule.builder().hyperparameters(h).build()
          : VariantRegistry.create(variant, h).orElseThrow()).add(param, grad);
      optimizer.setStepOptions(generatedStepOptions(threadCount(threads)));
      step = optimizer::step;
      return;
    }
    split = new Split(threadCount(threads));
    Baseline baseline = Baseline.of(variant);
    int states = baseline.stateNames().size();
    step = single
        ? SingleTensorBench.HandStep.of(baseline, h, split, (float[]) param, (float[]) grad, new float[states][size])
        : SingleTensorBench.HandStep.of(baseline, h, split, (double[]) param, (double[]) grad, new double[states][size]);
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
}
