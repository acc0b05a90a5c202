package io.github.optkernels.runtime;

import java.util.Collections;
import java.util.List;

/**
 * A hand-written test kernel for {@code float[]} buffers with two state arrays:
 * {@code m ← β1·m + (1 − β1)·g}, {@code steps ← steps + 1}, {@code p ← p − lr·m}. Counts its
 * prepares, so tests can see how often per-step scalars were computed.
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
  public void prepare(long step, double momentumProduct, HyperparameterValues h) {
    KernelChecks.checkStep(step);
    lr = (float) h.lr();
    beta1 = (float) h.beta1();
    product = momentumProduct * h.beta1();
    phase = StepPhase.ADAPTIVE;
    prepares++;
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
