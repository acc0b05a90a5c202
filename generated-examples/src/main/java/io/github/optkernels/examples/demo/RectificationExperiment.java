package io.github.optkernels.examples.demo;

import io.github.optkernels.examples.variants.RAdam;
import io.github.optkernels.examples.variants.RAdamFloatKernel;
import io.github.optkernels.runtime.Hyperparameters;
import java.util.ArrayList;
import java.util.List;

/**
 * RAdam's rectification term r_t against the step, for the β2 values the labml.ai RAdam notes
 * plot. The values come from the generated {@link RAdamFloatKernel}: {@code prepare(t, 1, h)}
 * decides the step's phase and {@code rectification()} returns r_t, or NaN while ρ_t ≤ 5 (the
 * spec's {@code RHO_ABOVE_5}, as in PyTorch), when RAdam falls back to an un-adapted step.
 *
 * <p>With ρ∞ = 2/(1 − β2) − 1 ≤ 5, i.e. β2 ≤ 2/3, ρ_t never exceeds 5: β2 = 0.5 and 0.6 are
 * never rectified, and the summary says so rather than drawing nothing silently.
 */
final class RectificationExperiment {
  static final double[] BETA2 = {0.5, 0.6, 0.8, 0.9, 0.99, 0.999, 0.9999};
  /** The range the labml.ai plot draws. */
  static final int STEPS = 5000;
  /** Every step up to here is kept; after it, about 300 points evenly spaced in log(t). */
  private static final int DENSE_STEPS = 100;
  private static final double LOG_SPACING = Math.pow(STEPS / (double) DENSE_STEPS, 1.0 / 300);

  /**
   * One β2: ρ∞, the first step with ρ_t > 5 (null if none up to {@link #STEPS}), r_t at the last
   * step, and the plotted points of r_t from the first rectified step on: every step up to 100,
   * then spaced evenly in log(t), and the last step.
   */
  record Curve(double beta2, double rhoInfinity, Integer firstRectifiedStep, Double finalR,
      List<Integer> step, List<Double> r) {}

  record Result(String threshold, int steps, List<Curve> curves) {}

  private RectificationExperiment() {}

  static Result run(Progress progress, String label) {
    progress.start(label, BETA2.length);
    List<Curve> curves = new ArrayList<>();
    for (double beta2 : BETA2) {
      curves.add(curve(beta2, STEPS));
      progress.advance(1, "beta2 = " + beta2); // ASCII: the console may not be UTF-8
    }
    progress.finish();
    return new Result("rho_t > 5", STEPS, curves);
  }

  /** r_t for t = 1..steps from a fresh generated kernel, with RAdam's defaults and this β2. */
  static Curve curve(double beta2, int steps) {
    Hyperparameters h = RAdam.builder().beta2(beta2).build().hyperparameters();
    RAdamFloatKernel kernel = new RAdamFloatKernel();
    List<Integer> plotted = new ArrayList<>();
    List<Double> r = new ArrayList<>();
    Integer first = null;
    double last = Double.NaN;
    double nextSample = 1;
    for (int t = 1; t <= steps; t++) {
      kernel.prepare(t, kernel.carriedInitial(), h); // RAdam carries nothing
      last = kernel.rectification();
      if (Double.isNaN(last)) {
        continue;
      }
      if (first == null) {
        first = t;
      }
      if (t <= DENSE_STEPS || t >= nextSample || t == steps || t == first) {
        plotted.add(t);
        r.add(last);
        nextSample = Math.max(DENSE_STEPS, t) * LOG_SPACING;
      }
    }
    return new Curve(beta2, rhoInfinity(beta2), first, Double.isNaN(last) ? null : last, plotted, r);
  }

  /** ρ∞ = 2/(1 − β2) − 1, the length of the simple moving average the EMA approximates. */
  static double rhoInfinity(double beta2) {
    return 2 / (1 - beta2) - 1;
  }
}
