package io.github.optkernels.examples.demo;

import io.github.optkernels.examples.variants.AMSGrad;
import io.github.optkernels.examples.variants.Adam;
import io.github.optkernels.runtime.KernelOptimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The synthetic problem of Reddi, Kale and Kumar, "On the Convergence of Adam and Beyond" (ICLR
 * 2018), Section 3: the online loss is f_t(x) = 1010·x when t mod 101 = 1 and −10·x otherwise,
 * with x kept in [−1, 1]. Over one period of 101 steps the losses add up to 10·x, so the best
 * fixed point is x* = −1. Adam divides the rare large gradient by a second moment that has just
 * grown with it, and the 100 small ones by one that has decayed again (β2 = 0.99), so the small
 * ones win and x drifts to +1. AMSGrad divides every step by the largest second moment so far:
 * steps are in proportion to the gradients, and their sum over a period points to −1.
 *
 * <p>Both optimizers are the generated {@link Adam} and {@link AMSGrad}, used through their
 * builders with lr 1e-2 (constant) and betas (0.9, 0.99) on a one-element {@code float[]}, with
 * the projection onto [−1, 1] applied to the parameter after each step, as in the paper's
 * projected algorithm. x starts at 0, like the labml.ai experiment this follows; t counts from 1
 * as in the paper, so the first step already sees the large gradient. With a constant lr, each
 * period's large gradient pushes AMSGrad's x against −1 and the small ones pull it a few hundredths
 * back up, so x_t keeps moving within the period; the summary gives that range.
 */
final class ConvergenceExperiment {
  static final double LR = 1e-2;
  static final double BETA1 = 0.9;
  static final double BETA2 = 0.99;
  static final int PERIOD = 101;
  static final double LARGE_GRADIENT = 1010;
  static final double SMALL_GRADIENT = -10;
  static final double OPTIMUM = -1;
  /** Points kept per curve, spaced evenly in log(step) for the plot's logarithmic axis. */
  private static final int CURVE_POINTS = 400;

  /**
   * One optimizer's run: where x ended; the least, mean and largest x over the last period (the
   * last 101 steps, or all if fewer), since x keeps moving within each period; the average regret
   * R_T/T; and the curves, sampled about {@value #CURVE_POINTS} times evenly in log(step).
   */
  record Run(String optimizer, long steps, double finalX, double lastPeriodMinX,
      double lastPeriodMeanX, double lastPeriodMaxX, double finalAverageRegret, List<Long> step,
      List<Double> x, List<Double> averageRegret) {}

  /** Both runs of the experiment. */
  record Result(long steps, Run adam, Run amsgrad) {}

  private ConvergenceExperiment() {}

  /** The loss's gradient (and slope) at step {@code t}, counting from 1. */
  static double gradient(long t) {
    return t % PERIOD == 1 ? LARGE_GRADIENT : SMALL_GRADIENT;
  }

  static Result run(long steps, Progress progress, String label) {
    progress.start(label, 2 * steps);
    Run adam = run("Adam", () -> Adam.builder().lr(LR).beta1(BETA1).beta2(BETA2).build(), steps,
        progress);
    Run amsgrad = run("AMSGrad",
        () -> AMSGrad.builder().lr(LR).beta1(BETA1).beta2(BETA2).build(), steps, progress);
    progress.finish();
    return new Result(steps, adam, amsgrad);
  }

  /**
   * Runs one optimizer for {@code steps} steps. The regret of step t is f_t(x_t) − f_t(x*), with
   * x_t the point before the step.
   */
  static Run run(String name, Supplier<KernelOptimizer> factory, long steps, Progress progress) {
    float[] x = {0f};
    float[] grad = new float[1];
    KernelOptimizer optimizer = factory.get().add(x, grad);
    List<Long> sampledSteps = new ArrayList<>();
    List<Double> sampledX = new ArrayList<>();
    List<Double> sampledRegret = new ArrayList<>();
    double regret = 0;
    double lastPeriodMin = Double.POSITIVE_INFINITY;
    double lastPeriodMax = Double.NEGATIVE_INFINITY;
    double lastPeriodSum = 0;
    long lastPeriodStart = Math.max(1, steps - PERIOD + 1);
    long nextSample = 1;
    long reportEvery = Math.max(1, steps / 100);
    for (long t = 1; t <= steps; t++) {
      double slope = gradient(t);
      regret += slope * x[0] - slope * OPTIMUM;
      grad[0] = (float) slope;
      optimizer.step();
      x[0] = Math.max(-1f, Math.min(1f, x[0])); // the projection onto [−1, 1]
      if (t >= lastPeriodStart) {
        lastPeriodMin = Math.min(lastPeriodMin, x[0]);
        lastPeriodMax = Math.max(lastPeriodMax, x[0]);
        lastPeriodSum += x[0];
      }
      if (t == nextSample || t == steps) {
        sampledSteps.add(t);
        sampledX.add((double) x[0]);
        sampledRegret.add(regret / t);
        nextSample = nextLogSample(t, steps);
      }
      if (t % reportEvery == 0) {
        progress.advance(reportEvery, name + " step " + String.format("%,d", t));
      }
    }
    progress.advance(steps % reportEvery, name);
    return new Run(name, steps, x[0], lastPeriodMin, lastPeriodSum / (steps - lastPeriodStart + 1),
        lastPeriodMax, regret / steps, sampledSteps, sampledX, sampledRegret);
  }

  /** The next step to sample after {@code t}: about {@value #CURVE_POINTS} points, evenly in log(t). */
  private static long nextLogSample(long t, long steps) {
    double factor = Math.pow(Math.max(2, steps), 1.0 / CURVE_POINTS);
    return Math.max(t + 1, (long) Math.ceil(t * factor));
  }
}
