package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tensor whose kernel overrides {@link StepKernel#firstNonFinite} is scanned by that method in
 * small steps (where other float gradients may be read through a view, {@link GradientScan#inCacheView})
 * and large ones alike: the kernel's own scan decides what is refused.
 */
class OwnScanTest {
  /** The value {@link OwnScanKernel} refuses, finite as it is. */
  private static final float REFUSED = 13f;

  @Test
  void aKernelsOwnScanDecidesInSmallAndLargeSteps() {
    for (int length : new int[] {100, GradientScan.IN_CACHE_ELEMENTS + 1}) {
      for (StepOptions options : List.of(StepOptions.serial(),
          StepOptions.defaults().withThreads(2).withChunkSize(4096).withSerialThreshold(0))) {
        OwnScanOptimizer optimizer = new OwnScanOptimizer();
        optimizer.setStepOptions(options);
        float[] p = new float[length];
        float[] g = new float[length];
        g[length - 2] = REFUSED;
        optimizer.add(p, g);
        NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class, optimizer::step);
        assertEquals(length - 2, e.index());
        assertEquals(REFUSED, e.value());
        assertEquals(0f, p[0], "nothing written");

        g[length - 2] = Float.NaN; // a NaN its own scan lets through
        optimizer.step();
        assertTrue(Float.isNaN(p[length - 2]));
      }
    }
  }

  /** Its {@code float[]} tensors get an {@link OwnScanKernel}. */
  private static final class OwnScanOptimizer extends KernelOptimizer {
    OwnScanOptimizer() {
      super(NormScaledOptimizer.SPEC, NormScaledOptimizer.H);
    }

    @Override
    protected StepKernel newKernel(Class<?> bufferType) {
      return bufferType == float[].class ? new OwnScanKernel() : null;
    }
  }

  /** {@code p ← p − g}, with a scan that refuses {@link #REFUSED} and nothing else. */
  private static final class OwnScanKernel implements StepKernel {
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
}
