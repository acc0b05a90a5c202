package io.github.optkernels.runtime;

import java.util.List;

/**
 * A hand-written test kernel for {@code double[]} buffers: {@code p ← p − lr·g} plus a state
 * array that counts the steps each element saw, so tests can see exactly what a step touched.
 */
class CountingKernel implements StepKernel {
  private double lr;
  private StepPhase phase;
  private double product;
  long lastStep;
  double lastMomentumProduct = Double.NaN;

  @Override
  public List<String> stateNames() {
    return List.of("count");
  }

  @Override
  public Class<?> bufferType() {
    return double[].class;
  }

  @Override
  public List<Class<?>> stateTypes() {
    return List.of(double[].class);
  }

  @Override
  public List<String> carriedNames() {
    return List.of("momentum_product");
  }

  @Override
  public double[] carriedInitial() {
    return new double[] {1.0};
  }

  @Override
  public void prepare(long step, double[] carried, HyperparameterValues h) {
    KernelChecks.checkStep(step);
    KernelChecks.checkCarried(carried, 1);
    lr = h.lr();
    lastStep = step;
    lastMomentumProduct = carried[0];
    product = carried[0] * 0.5;
    phase = StepPhase.ADAPTIVE;
  }

  @Override
  public StepPhase phase() {
    return phase;
  }

  @Override
  public void carriedAfter(double[] out) {
    out[0] = product;
  }

  @Override
  public void update(Object param, Object grad, Object[] state, int from, int to) {
    double[] p = (double[]) param;
    double[] g = (double[]) grad;
    double[] count = (double[]) state[0];
    KernelChecks.checkPrepared(phase);
    KernelChecks.checkRange(p.length, from, to);
    for (int i = from; i < to; i++) {
      p[i] -= lr * g[i];
      count[i]++;
    }
  }
}
