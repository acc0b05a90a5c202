package io.github.optkernels.runtime;

import java.util.Collections;
import java.util.List;

/**
 * A hand-written test kernel for {@code float[]} buffers with two state arrays:
 * {@code m ← β1·m + (1 − β1)·g}, {@code steps ← steps + 1}, {@code p ← p − lr·m}. Counts its
 * prepares, so tests can see how often per-step scalars were computed. Carries a
 * {@code momentum_product} as NAdam does: multiplied by β1 each step.
 */
final class EmaKernel implements StepKernel {
  static final List<String> STATE = List.of("m", "steps");
  private float lr;
  private float beta1;
  private StepPhase phase;
  private double product;
  int prepares;

  @Override
  public List<String> stateNames() {
    return STATE;
  }

  @Override
  public Class<?> bufferType() {
    return float[].class;
  }

  @Override
  public List<Class<?>> stateTypes() {
    return Collections.nCopies(STATE.size(), float[].class);
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
    lr = (float) h.lr();
    beta1 = (float) h.beta1();
    product = carried[0] * h.beta1();
    phase = StepPhase.ADAPTIVE;
    prepares++;
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
    float[] p = (float[]) param;
    float[] g = (float[]) grad;
    float[] m = (float[]) state[0];
    float[] steps = (float[]) state[1];
    KernelChecks.checkPrepared(phase);
    KernelChecks.checkRange(p.length, from, to);
    for (int i = from; i < to; i++) {
      m[i] = beta1 * m[i] + (1 - beta1) * g[i];
      steps[i] += 1;
      p[i] -= lr * m[i];
    }
  }
}
