package io.github.optkernels.runtime;

import java.util.List;

/**
 * A {@code float[]} test kernel with a NaN/Inf scan of its own ({@link #firstNonFinite}) that
 * refuses {@link #REFUSED}, finite as it is, and nothing else, so a test can tell whether a step
 * asked the kernel or scanned the gradient itself. {@code p ← p − g}; the one state slot of
 * {@link NormScaledOptimizer#SPEC} is unused.
 */
final class OwnScanKernel implements StepKernel {
  /** The value this kernel's scan refuses. */
  static final float REFUSED = 13f;

  private StepPhase phase;

  @Override
  public List<String> stateNames() {
    return NormScaledOptimizer.SPEC.stateNames();
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
  public void prepare(long step, double[] carried, HyperparameterValues h) {
    phase = StepPhase.ADAPTIVE;
  }

  @Override
  public StepPhase phase() {
    return phase;
  }

  @Override
  public void update(Object param, Object grad, Object[] state, int from, int to) {
    float[] p = (float[]) param;
    float[] g = (float[]) grad;
    for (int i = from; i < to; i++) {
      p[i] -= g[i];
    }
  }

  @Override
  public int firstNonFinite(Object grad, int from, int to) {
    float[] g = (float[]) grad;
    for (int i = from; i < to; i++) {
      if (g[i] == REFUSED) {
        return i;
      }
    }
    return -1;
  }
}
