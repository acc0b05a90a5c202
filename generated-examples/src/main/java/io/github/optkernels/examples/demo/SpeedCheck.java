package io.github.optkernels.examples.demo;

import io.github.optkernels.examples.handwritten.HandAdamW;
import io.github.optkernels.examples.variants.AdamW;
import io.github.optkernels.runtime.Hyperparameters;
import io.github.optkernels.runtime.NonFiniteGradients;
import io.github.optkernels.runtime.StepOptions;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One AdamW step on one large float32 tensor: the generated {@link AdamW} (builder, add, step)
 * against {@link HandAdamW}, the loop a user would write by hand. Rounds of the two alternate,
 * after warm-up rounds for the JIT, and each side's median round is reported, so a slow moment
 * of the machine hits both. A quick check, not a benchmark (that is the JMH module's job): a
 * ratio near 1 means the generated step costs what the hand-written one does.
 */
final class SpeedCheck {
  /** AdamW's usual settings, λ = 0.01, for both sides. */
  static final Hyperparameters H = new Hyperparameters(1e-3, 0.9, 0.999, 1e-8, 0, 0.01, Double.NaN, 0.004, 0);
  private static final int WARMUP_ROUNDS = 3;
  private static final int TIMED_ROUNDS = 7;

  /** Nanoseconds per element of one step, each side's median round; ratio = generated / hand-written. */
  record Result(int elements, int stepsPerRound, int timedRounds, double generatedNsPerElement,
      double handWrittenNsPerElement, double ratio) {}

  private SpeedCheck() {}

  static Result run(int n, Progress progress, String label) {
    int stepsPerRound = Math.max(1, (1 << 24) / n); // at least 16M elements per round
    progress.start(label, 2L * (WARMUP_ROUNDS + TIMED_ROUNDS));
    SplittableRandom random = new SplittableRandom(3);
    float[] grad = new float[n];
    float[] generatedParam = new float[n];
    for (int i = 0; i < n; i++) {
      grad[i] = (float) random.nextDouble(-1, 1);
      generatedParam[i] = (float) random.nextDouble(-1, 1);
    }
    float[] plainParam = generatedParam.clone();
    float[] plainM = new float[n];
    float[] plainV = new float[n];
    AdamW generated = AdamW.builder().hyperparameters(H).build();
    // Like for like: the hand-written loop runs on one thread and checks nothing, so the generated
    // step does too (by default it would scan gradients for NaN/Inf and use every core).
    generated.setStepOptions(StepOptions.serial().withNonFiniteGradients(NonFiniteGradients.UNCHECKED));
    generated.add(generatedParam, grad);
    long[] plainStep = {0};
    Runnable generatedStep = generated::step;
    Runnable plainStepRun = () -> HandAdamW.step(plainParam, grad, plainM, plainV, ++plainStep[0], H, 0, n);

    double[] generatedNs = new double[TIMED_ROUNDS];
    double[] plainNs = new double[TIMED_ROUNDS];
    for (int round = 0; round < WARMUP_ROUNDS + TIMED_ROUNDS; round++) {
      double g = time(generatedStep, stepsPerRound, n);
      progress.advance(1, "generated AdamW, round " + (round + 1));
      double p = time(plainStepRun, stepsPerRound, n);
      progress.advance(1, "hand-written AdamW, round " + (round + 1));
      if (round >= WARMUP_ROUNDS) {
        generatedNs[round - WARMUP_ROUNDS] = g;
        plainNs[round - WARMUP_ROUNDS] = p;
      }
    }
    progress.finish();
    double generatedMedian = median(generatedNs);
    double plainMedian = median(plainNs);
    return new Result(n, stepsPerRound, TIMED_ROUNDS, generatedMedian, plainMedian,
        generatedMedian / plainMedian);
  }

  private static double time(Runnable step, int steps, int n) {
    long start = System.nanoTime();
    for (int i = 0; i < steps; i++) {
      step.run();
    }
    return (System.nanoTime() - start) / ((double) steps * n);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
