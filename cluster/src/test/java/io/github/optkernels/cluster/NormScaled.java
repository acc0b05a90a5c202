package io.github.optkernels.cluster;

import io.github.optkernels.runtime.Hyperparameter;
import io.github.optkernels.runtime.HyperparameterValues;
import io.github.optkernels.runtime.Hyperparameters;
import io.github.optkernels.runtime.KernelChecks;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.SpecInfo;
import io.github.optkernels.runtime.StepKernel;
import io.github.optkernels.runtime.StepPhase;
import java.util.List;
import java.util.Set;

/**
 * A hand-written optimizer shaped as a generated one (a public {@code builder()}, kernels with
 * public no-argument constructors, as members build them), whose kernels take per-tensor sums
 * and carry values from step to step, as LAMB and schedule-free AdamW do: the new moment
 * {@code u = β1·m + (1 − β1)·g}, the sums Σp² and Σu² over the whole tensor, the trust ratio
 * {@code r = ‖p‖/‖u‖} (1 if either is 0), and {@code p ← p − lr·r·(lr_max/weight_sum)·u} with
 * the carried {@code lr_max} (the largest lr so far) and {@code weight_sum} (the sum of the
 * lr_max's). Its result depends on every element of the tensor, so a shard stepped on its own
 * sums would give other bits.
 */
public final class NormScaled extends KernelOptimizer {
  static final SpecInfo SPEC = new SpecInfo("NormScaled", "test.NormScaledSpec", "rule=NORM_SCALED",
      List.of("m"), Set.of(Hyperparameter.LR, Hyperparameter.BETA1, Hyperparameter.BETA2, Hyperparameter.EPS,
          Hyperparameter.WEIGHT_DECAY, Hyperparameter.VARIANCE_WARMUP_STEPS));

  NormScaled(Hyperparameters h) {
    super(SPEC, h);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The builder members call for the defaults. */
  public static final class Builder {
    public NormScaled build() {
      return new NormScaled(new Hyperparameters(0.01, 0.9, 0.999, 1e-8, 0, 0, Double.NaN, 0.004, 0));
    }
  }

  @Override
  protected StepKernel newKernel(Class<?> bufferType) {
    return bufferType == float[].class ? new FloatKernel() : bufferType == double[].class ? new DoubleKernel() : null;
  }

  /** The step, for either element type (the element arithmetic in the buffers' type, sums in double). */
  abstract static class Kernel implements StepKernel {
    double lr;
    double beta1;
    double lrMax;
    double weightSum;
    double stepSize;
    private StepPhase phase;
    private boolean summed;

    @Override
    public List<String> stateNames() {
      return List.of("m");
    }

    @Override
    public List<Class<?>> stateTypes() {
      return List.of(bufferType());
    }

    @Override
    public List<String> carriedNames() {
      return List.of("lr_max", "weight_sum");
    }

    @Override
    public double[] carriedInitial() {
      return new double[] {0.0, 0.0};
    }

    @Override
    public void prepare(long step, double[] carried, HyperparameterValues h) {
      KernelChecks.checkStep(step);
      KernelChecks.checkCarried(carried, 2);
      lr = h.lr();
      beta1 = h.beta1();
      lrMax = Math.max(carried[0], h.lr());
      weightSum = carried[1] + lrMax;
      phase = StepPhase.ADAPTIVE;
      summed = false;
    }

    @Override
    public StepPhase phase() {
      return phase;
    }

    @Override
    public void carriedAfter(double[] out) {
      out[0] = lrMax;
      out[1] = weightSum;
    }

    @Override
    public int sumCount() {
      return 2;
    }

    @Override
    public void setSums(double[] totals) {
      double ratio = totals[0] > 0 && totals[1] > 0 ? Math.sqrt(totals[0]) / Math.sqrt(totals[1]) : 1;
      stepSize = lr * ratio * lrMax / weightSum;
      summed = true;
    }

    @Override
    public void update(Object param, Object grad, Object[] state, int from, int to) {
      KernelChecks.checkPrepared(phase);
      if (!summed) {
        throw new IllegalStateException("update before setSums");
      }
      run(param, grad, state[0], from, to);
    }

    abstract void run(Object param, Object grad, Object moment, int from, int to);
  }

  /** For {@code float[]} tensors. */
  public static final class FloatKernel extends Kernel {
    @Override
    public Class<?> bufferType() {
      return float[].class;
    }

    @Override
    public void sum(Object param, Object grad, Object[] state, int from, int to, double[] sums) {
      float[] p = (float[]) param;
      float[] g = (float[]) grad;
      float[] m = (float[]) state[0];
      float b = (float) beta1;
      for (int i = from; i < to; i++) {
        float u = b * m[i] + (1 - b) * g[i];
        sums[0] += (double) p[i] * p[i];
        sums[1] += (double) u * u;
      }
    }

    @Override
    void run(Object param, Object grad, Object moment, int from, int to) {
      float[] p = (float[]) param;
      float[] g = (float[]) grad;
      float[] m = (float[]) moment;
      float b = (float) beta1;
      float s = (float) stepSize;
      for (int i = from; i < to; i++) {
        m[i] = b * m[i] + (1 - b) * g[i];
        p[i] -= s * m[i];
      }
    }
  }

  /** For {@code double[]} tensors. */
  public static final class DoubleKernel extends Kernel {
    @Override
    public Class<?> bufferType() {
      return double[].class;
    }

    @Override
    public void sum(Object param, Object grad, Object[] state, int from, int to, double[] sums) {
      double[] p = (double[]) param;
      double[] g = (double[]) grad;
      double[] m = (double[]) state[0];
      for (int i = from; i < to; i++) {
        double u = beta1 * m[i] + (1 - beta1) * g[i];
        sums[0] += p[i] * p[i];
        sums[1] += u * u;
      }
    }

    @Override
    void run(Object param, Object grad, Object moment, int from, int to) {
      double[] p = (double[]) param;
      double[] g = (double[]) grad;
      double[] m = (double[]) moment;
      for (int i = from; i < to; i++) {
        m[i] = beta1 * m[i] + (1 - beta1) * g[i];
        p[i] -= stepSize * m[i];
      }
    }
  }
}
