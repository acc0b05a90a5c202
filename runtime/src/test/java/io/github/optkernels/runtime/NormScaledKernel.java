package io.github.optkernels.runtime;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A hand-written test kernel for {@code float[]} buffers with per-tensor sums and carried values,
 * shaped like LAMB and schedule-free AdamW together: the new moment
 * {@code u = β1·m + (1 − β1)·g}; two sums, {@code Σp²} and {@code Σu²}; the trust ratio
 * {@code r = ‖p‖/‖u‖} (1 if either is 0); {@code p ← p − lr·r·(lr_max / weight_sum)·u}, where the
 * carried {@code lr_max} is the largest lr so far and {@code weight_sum} the sum of the lr_max's.
 *
 * <p>It checks the runtime's order: {@link #update} refuses to run before {@link #setSums} of the
 * same step, and {@link #sum} refuses to run once an update of the step has started (a sum over a
 * partly updated tensor).
 */
final class NormScaledKernel implements StepKernel {
  private float lr;
  private float beta1;
  private double lrMax;
  private double weightSum;
  private float stepSize;
  private StepPhase phase;
  /** Totals of the last step, as handed over. */
  final double[] lastTotals = new double[2];
  private volatile boolean summed;
  private final AtomicBoolean updating = new AtomicBoolean();
  int prepares;

  @Override
  public List<String> stateNames() {
    return List.of("m");
  }

  @Override
  public Class<?> bufferType() {
    return float[].class;
  }

  @Override
  public List<Class<?>> stateTypes() {
    return List.of(float[].class);
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
    lr = (float) h.lr();
    beta1 = (float) h.beta1();
    lrMax = Math.max(carried[0], h.lr());
    weightSum = carried[1] + lrMax;
    phase = StepPhase.ADAPTIVE;
    summed = false;
    updating.set(false);
    prepares++;
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
  public void sum(Object param, Object grad, Object[] state, int from, int to, double[] sums) {
    if (updating.get()) {
      throw new IllegalStateException("a sum over a tensor whose update has started");
    }
    float[] p = (float[]) param;
    float[] g = (float[]) grad;
    float[] m = (float[]) state[0];
    KernelChecks.checkRange(p.length, from, to);
    for (int i = from; i < to; i++) {
      float u = beta1 * m[i] + (1 - beta1) * g[i];
      sums[0] += (double) p[i] * p[i];
      sums[1] += (double) u * u;
    }
  }

  @Override
  public void setSums(double[] totals) {
    System.arraycopy(totals, 0, lastTotals, 0, 2);
    double ratio = totals[0] > 0 && totals[1] > 0 ? Math.sqrt(totals[0]) / Math.sqrt(totals[1]) : 1;
    stepSize = (float) (lr * ratio * lrMax / weightSum);
    summed = true;
  }

  @Override
  public void update(Object param, Object grad, Object[] state, int from, int to) {
    KernelChecks.checkPrepared(phase);
    if (!summed) {
      throw new IllegalStateException("update before setSums");
    }
    updating.set(true);
    float[] p = (float[]) param;
    float[] g = (float[]) grad;
    float[] m = (float[]) state[0];
    KernelChecks.checkRange(p.length, from, to);
    for (int i = from; i < to; i++) {
      m[i] = beta1 * m[i] + (1 - beta1) * g[i];
      p[i] -= stepSize * m[i];
    }
  }
}
