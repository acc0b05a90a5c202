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
  public void prepare(long step, double momentumProduct, HyperparameterValues h) {
    KernelChecks.checkStep(step);
    lr = h.lr();
    lastStep = step;
    lastMomentumProduct = momentumProduct;
    product = momentumProduct * 0.5;
    phase = StepPhase.ADAPTIVE;
  }

  @Override
  public StepPhase phase() {
    return phase;
  }

  @Override
  public double momentumProductAfter() {
    return product;
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
