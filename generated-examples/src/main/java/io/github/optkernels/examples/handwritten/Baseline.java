package io.github.optkernels.examples.handwritten;

import io.github.optkernels.runtime.Hyperparameters;
import java.util.List;

/**
 * One hand-written variant behind one type, so a benchmark and the conformance test can pick it
 * by name. An instance belongs to one tensor: it holds what torch keeps per tensor besides the
 * state arrays (NAdam's product of the {@code μ}s). Per step, call {@link #beginStep} once, then
 * {@code step} over any ranges of the tensor (from any threads).
 */
public abstract class Baseline {
  /** The variants with a baseline, by their conformance names. */
  public static final List<String> VARIANTS =
      List.of("adam", "adamw", "amsgrad", "radam", "nadam", "adabelief");

  private Baseline() {}

  /** The state arrays {@code step} takes, in order, by their conformance names. */
  public abstract List<String> stateNames();

  /** Advances per-tensor history to step {@code t}; once per step, before any {@code step}. */
  public void beginStep(long t, Hyperparameters h) {}

  /** Step {@code t} over elements {@code [from, to)}; {@code h.lr()} is this step's rate. */
  public abstract void step(float[] p, float[] g, float[][] state, long t, Hyperparameters h,
      int from, int to);

  /** As the float step, in double. */
  public abstract void step(double[] p, double[] g, double[][] state, long t, Hyperparameters h,
      int from, int to);

  /** A fresh baseline (for one tensor) of {@code variant}, one of {@link #VARIANTS}. */
  public static Baseline of(String variant) {
    switch (variant) {
      case "adam":
        return new TwoMoments() {
          @Override
          public void step(float[] p, float[] g, float[][] s, long t, Hyperparameters h, int from, int to) {
            HandAdam.step(p, g, s[0], s[1], t, h, from, to);
          }

          @Override
          public void step(double[] p, double[] g, double[][] s, long t, Hyperparameters h, int from, int to) {
            HandAdam.step(p, g, s[0], s[1], t, h, from, to);
          }
        };
      case "adamw":
        return new TwoMoments() {
          @Override
          public void step(float[] p, float[] g, float[][] s, long t, Hyperparameters h, int from, int to) {
            HandAdamW.step(p, g, s[0], s[1], t, h, from, to);
          }

          @Override
          public void step(double[] p, double[] g, double[][] s, long t, Hyperparameters h, int from, int to) {
            HandAdamW.step(p, g, s[0], s[1], t, h, from, to);
          }
        };
      case "amsgrad":
        return new Baseline() {
          @Override
          public List<String> stateNames() {
            return List.of("exp_avg", "exp_avg_sq", "max_exp_avg_sq");
          }

          @Override
          public void step(float[] p, float[] g, float[][] s, long t, Hyperparameters h, int from, int to) {
            HandAMSGrad.step(p, g, s[0], s[1], s[2], t, h, from, to);
          }

          @Override
          public void step(double[] p, double[] g, double[][] s, long t, Hyperparameters h, int from, int to) {
            HandAMSGrad.step(p, g, s[0], s[1], s[2], t, h, from, to);
          }
        };
      case "radam":
        return new TwoMoments() {
          @Override
          public void step(float[] p, float[] g, float[][] s, long t, Hyperparameters h, int from, int to) {
            HandRAdam.step(p, g, s[0], s[1], t, h, from, to);
          }

          @Override
          public void step(double[] p, double[] g, double[][] s, long t, Hyperparameters h, int from, int to) {
            HandRAdam.step(p, g, s[0], s[1], t, h, from, to);
          }
        };
      case "nadam":
        return new TwoMoments() {
          private double muProduct = 1;

          @Override
          public void beginStep(long t, Hyperparameters h) {
            muProduct *= HandNAdam.mu(t, h);
          }

          @Override
          public void step(float[] p, float[] g, float[][] s, long t, Hyperparameters h, int from, int to) {
            HandNAdam.step(p, g, s[0], s[1], t, muProduct, h, from, to);
          }

          @Override
          public void step(double[] p, double[] g, double[][] s, long t, Hyperparameters h, int from, int to) {
            HandNAdam.step(p, g, s[0], s[1], t, muProduct, h, from, to);
          }
        };
      case "adabelief":
        return new Baseline() {
          @Override
          public List<String> stateNames() {
            return List.of("exp_avg", "exp_avg_var");
          }

          @Override
          public void step(float[] p, float[] g, float[][] s, long t, Hyperparameters h, int from, int to) {
            HandAdaBelief.step(p, g, s[0], s[1], t, h, from, to);
          }

          @Override
          public void step(double[] p, double[] g, double[][] s, long t, Hyperparameters h, int from, int to) {
            HandAdaBelief.step(p, g, s[0], s[1], t, h, from, to);
          }
        };
      default:
        throw new IllegalArgumentException("no hand-written baseline for \"" + variant + "\"; one of " + VARIANTS);
    }
  }

  /** The variants whose state is {@code exp_avg, exp_avg_sq}. */
  private abstract static class TwoMoments extends Baseline {
    @Override
    public List<String> stateNames() {
      return List.of("exp_avg", "exp_avg_sq");
    }
  }
}
