package io.github.optkernels.examples.handwritten;

import io.github.optkernels.runtime.Hyperparameters;
import java.util.List;

/**
 * One hand-written variant behind one type, so a benchmark and the conformance test can pick it
 * by name. An instance belongs to one tensor: it holds what the reference implementation keeps
 * per tensor besides the state arrays (NAdam's product of the {@code μ}s, Schedule-Free's
 * averaging history, LAMB's trust ratio of the step in progress).
 *
 * <p>Per tensor, call {@link #startState} once before the first step. Per step, call
 * {@link #beginStep} once; for a variant with {@link #sumCount()} &gt; 0 (LAMB) then
 * {@link #firstPass} over every range of the tensor, adding into one array of that many zeros
 * (in range order to keep index order), and {@link #beginUpdate} with the totals; then
 * {@code step} over any ranges of the tensor (from any threads).
 */
public abstract class Baseline {
  /** The variants with a baseline, by their conformance names. */
  public static final List<String> VARIANTS = List.of("adam", "adamw", "amsgrad", "radam", "nadam",
      "adabelief", "lion", "adamax", "sgd_momentum", "sgd_nesterov", "adan", "lamb", "schedulefree_adamw");

  private Baseline() {}

  /** The state arrays {@code step} takes, in order, by their conformance names. */
  public abstract List<String> stateNames();

  /** Sets the state arrays that do not start at 0 (Schedule-Free's {@code z} and {@code x}: the parameters). */
  public void startState(float[] p, float[][] state) {}

  /** As the float {@code startState}, in double. */
  public void startState(double[] p, double[][] state) {}

  /** Advances per-tensor history to step {@code t}; once per step, before any {@code step}. */
  public void beginStep(long t, Hyperparameters h) {}

  /** How many per-tensor sums a step needs before its update pass: 2 for LAMB, else 0. */
  public int sumCount() {
    return 0;
  }

  /**
   * The pass before the update of a variant with {@link #sumCount()} &gt; 0, over
   * {@code [from, to)}: updates the state there and adds the range's sums into {@code sums}.
   */
  public void firstPass(float[] p, float[] g, float[][] state, long t, Hyperparameters h, int from,
      int to, double[] sums) {
    throw new UnsupportedOperationException("this variant takes one pass per step (sumCount() is 0)");
  }

  /** As the float {@code firstPass}, in double. */
  public void firstPass(double[] p, double[] g, double[][] state, long t, Hyperparameters h, int from,
      int to, double[] sums) {
    throw new UnsupportedOperationException("this variant takes one pass per step (sumCount() is 0)");
  }

  /** The whole tensor's sums of this step's {@link #firstPass}es; once, before any {@code step}. */
  public void beginUpdate(double[] sums) {}

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
      case "lion":
        return new Baseline() {
          @Override
          public List<String> stateNames() {
            return List.of("exp_avg");
          }

          @Override
          public void step(float[] p, float[] g, float[][] s, long t, Hyperparameters h, int from, int to) {
            HandLion.step(p, g, s[0], h, from, to);
          }

          @Override
          public void step(double[] p, double[] g, double[][] s, long t, Hyperparameters h, int from, int to) {
            HandLion.step(p, g, s[0], h, from, to);
          }
        };
      case "adamax":
        return new Baseline() {
          @Override
          public List<String> stateNames() {
            return List.of("exp_avg", "exp_inf");
          }

          @Override
          public void step(float[] p, float[] g, float[][] s, long t, Hyperparameters h, int from, int to) {
            HandAdamax.step(p, g, s[0], s[1], t, h, from, to);
          }

          @Override
          public void step(double[] p, double[] g, double[][] s, long t, Hyperparameters h, int from, int to) {
            HandAdamax.step(p, g, s[0], s[1], t, h, from, to);
          }
        };
      case "sgd_momentum":
        return new MomentumBuffer() {
          @Override
          public void step(float[] p, float[] g, float[][] s, long t, Hyperparameters h, int from, int to) {
            HandSgdMomentum.step(p, g, s[0], t, h, from, to);
          }

          @Override
          public void step(double[] p, double[] g, double[][] s, long t, Hyperparameters h, int from, int to) {
            HandSgdMomentum.step(p, g, s[0], t, h, from, to);
          }
        };
      case "sgd_nesterov":
        return new MomentumBuffer() {
          @Override
          public void step(float[] p, float[] g, float[][] s, long t, Hyperparameters h, int from, int to) {
            HandSgdNesterov.step(p, g, s[0], t, h, from, to);
          }

          @Override
          public void step(double[] p, double[] g, double[][] s, long t, Hyperparameters h, int from, int to) {
            HandSgdNesterov.step(p, g, s[0], t, h, from, to);
          }
        };
      case "adan":
        return new Baseline() {
          @Override
          public List<String> stateNames() {
            return List.of("exp_avg", "exp_avg_diff", "exp_avg_sq", "pre_grad");
          }

          @Override
          public void step(float[] p, float[] g, float[][] s, long t, Hyperparameters h, int from, int to) {
            HandAdan.step(p, g, s[0], s[1], s[2], s[3], t, h, from, to);
          }

          @Override
          public void step(double[] p, double[] g, double[][] s, long t, Hyperparameters h, int from, int to) {
            HandAdan.step(p, g, s[0], s[1], s[2], s[3], t, h, from, to);
          }
        };
      case "lamb":
        return new TwoMoments() {
          private double ratio;

          @Override
          public int sumCount() {
            return HandLamb.SUMS;
          }

          @Override
          public void firstPass(float[] p, float[] g, float[][] s, long t, Hyperparameters h, int from, int to,
              double[] sums) {
            HandLamb.moments(p, g, s[0], s[1], t, h, from, to, sums);
          }

          @Override
          public void firstPass(double[] p, double[] g, double[][] s, long t, Hyperparameters h, int from, int to,
              double[] sums) {
            HandLamb.moments(p, g, s[0], s[1], t, h, from, to, sums);
          }

          @Override
          public void beginUpdate(double[] sums) {
            ratio = HandLamb.trustRatio(sums[HandLamb.PARAM_SQUARES], sums[HandLamb.UPDATE_SQUARES]);
          }

          @Override
          public void step(float[] p, float[] g, float[][] s, long t, Hyperparameters h, int from, int to) {
            HandLamb.update(p, s[0], s[1], t, ratio, h, from, to);
          }

          @Override
          public void step(double[] p, double[] g, double[][] s, long t, Hyperparameters h, int from, int to) {
            HandLamb.update(p, s[0], s[1], t, ratio, h, from, to);
          }
        };
      case "schedulefree_adamw":
        return new Baseline() {
          private final HandScheduleFreeAdamW.Averaging averaging = new HandScheduleFreeAdamW.Averaging();
          private double ckp1;

          @Override
          public List<String> stateNames() {
            return List.of("exp_avg_sq", "z", "x");
          }

          @Override
          public void startState(float[] p, float[][] s) {
            System.arraycopy(p, 0, s[1], 0, p.length);
            System.arraycopy(p, 0, s[2], 0, p.length);
          }

          @Override
          public void startState(double[] p, double[][] s) {
            System.arraycopy(p, 0, s[1], 0, p.length);
            System.arraycopy(p, 0, s[2], 0, p.length);
          }

          @Override
          public void beginStep(long t, Hyperparameters h) {
            ckp1 = averaging.advance(t, h);
          }

          @Override
          public void step(float[] p, float[] g, float[][] s, long t, Hyperparameters h, int from, int to) {
            HandScheduleFreeAdamW.step(p, g, s[0], s[1], s[2], t, ckp1, h, from, to);
          }

          @Override
          public void step(double[] p, double[] g, double[][] s, long t, Hyperparameters h, int from, int to) {
            HandScheduleFreeAdamW.step(p, g, s[0], s[1], s[2], t, ckp1, h, from, to);
          }
        };
      default:
        throw new IllegalArgumentException("no hand-written baseline for \"" + variant + "\"; one of " + VARIANTS);
    }
  }

  /** The SGD variants: one state array, torch's {@code momentum_buffer}. */
  private abstract static class MomentumBuffer extends Baseline {
    @Override
    public List<String> stateNames() {
      return List.of("momentum_buffer");
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
