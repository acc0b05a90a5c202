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
  @Test
  void aKernelsOwnScanDecidesInSmallAndLargeSteps() {
    for (int length : new int[] {100, GradientScan.IN_CACHE_ELEMENTS + 1}) {
      for (StepOptions options : List.of(StepOptions.serial(),
          StepOptions.defaults().withThreads(2).withChunkSize(4096).withSerialThreshold(0))) {
        OwnScanOptimizer optimizer = new OwnScanOptimizer();
        optimizer.setStepOptions(options);
        float[] p = new float[length];
        float[] g = new float[length];
        g[length - 2] = OwnScanKernel.REFUSED;
        optimizer.add(p, g);
        NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class, optimizer::step);
        assertEquals(length - 2, e.index());
        assertEquals(OwnScanKernel.REFUSED, e.value());
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
}
