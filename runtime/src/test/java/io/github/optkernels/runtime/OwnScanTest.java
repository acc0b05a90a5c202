package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A tensor whose kernel overrides {@link StepKernel#firstNonFinite} is scanned by that method in
 * small steps (where other gradients may be read through a view, {@link GradientScan#inCacheView})
 * and large ones alike: the kernel's own scan decides what is refused.
 */
class OwnScanTest {
  /** The value {@link #ownScanKernel()} refuses, finite as it is. */
  static final double REFUSED = 13;

  private static final SpecInfo SPEC = new SpecInfo("OwnScan", "test.OwnScanSpec", "rule=SGD",
      List.of("count"), Set.of(Hyperparameter.LR));
  private static final Hyperparameters H = new Hyperparameters(0.5, 0.9, 0.999, 1e-8, 0, 0, Double.NaN, 0.004, 0);

  /** A {@link CountingKernel} whose scan refuses {@link #REFUSED} and nothing else, NaN included. */
  static StepKernel ownScanKernel() {
    return new CountingKernel() {
      @Override
      public int firstNonFinite(Object grad, int from, int to) {
        double[] g = (double[]) grad;
        for (int i = from; i < to; i++) {
          if (g[i] == REFUSED) {
            return i;
          }
        }
        return -1;
      }
    };
  }

  @Test
  void aKernelsOwnScanDecidesInSmallAndLargeSteps() {
    for (int length : new int[] {100, GradientScan.IN_CACHE_ELEMENTS + 1}) {
      for (StepOptions options : List.of(StepOptions.serial(),
          StepOptions.defaults().withThreads(2).withChunkSize(4096).withSerialThreshold(0))) {
        KernelOptimizer optimizer = new KernelOptimizer(SPEC, H) {
          @Override
          protected StepKernel newKernel(Class<?> bufferType) {
            return bufferType == double[].class ? ownScanKernel() : null;
          }
        };
        optimizer.setStepOptions(options);
        double[] p = new double[length];
        double[] g = new double[length];
        g[length - 2] = REFUSED;
        optimizer.add(p, g);
        NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class, optimizer::step);
        assertEquals(length - 2, e.index());
        assertEquals(REFUSED, e.value());
        assertEquals(0.0, p[length - 2], "nothing written");

        g[length - 2] = Double.NaN; // a NaN its own scan lets through
        optimizer.step();
        assertTrue(Double.isNaN(p[length - 2]));
      }
    }
  }
}
