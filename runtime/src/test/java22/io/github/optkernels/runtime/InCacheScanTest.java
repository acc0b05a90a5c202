package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scan small steps run on JDK 22+ ({@link GradientScan#firstNonFiniteInCache}, the largest
 * bits of a heap gradient read as ints or longs through a view): it finds the first NaN or
 * infinity at every vector position, of every sign and payload, lets the extreme finite values
 * through, keeps to its range; a step small enough to take it refuses exactly as before; and a
 * kernel with a scan of its own keeps it.
 */
class InCacheScanTest {
  /** Positions at the edges of 128-, 256- and 512-bit vectors and of a 4-way unrolled loop. */
  private static final int[] POSITIONS = {0, 1, 3, 4, 7, 8, 15, 16, 17, 31, 32, 63, 64, 65, 127, 128, 255, 256, 999};

  @Test
  void everyNonFiniteFloatIsFoundAtEveryVectorPositionAndFiniteExtremesPass() {
    float[] g = new float[1000];
    g[5] = Float.MAX_VALUE;
    g[6] = -Float.MAX_VALUE;
    g[9] = Float.MIN_VALUE;
    g[10] = -0f;
    g[11] = -Float.MIN_NORMAL;
    Object view = GradientScan.inCacheView(g, new EmaKernel());
    assertNotNull(view, GradientScan.implementation());
    assertEquals(-1, GradientScan.firstNonFiniteInCache(view, g, 0, g.length));
    float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.intBitsToFloat(0x7f800001), Float.intBitsToFloat(0xffc00000), Float.intBitsToFloat(0xffffffff)};
    for (float b : bad) {
      for (int i : POSITIONS) {
        float kept = g[i];
        g[i] = b;
        assertEquals(i, GradientScan.firstNonFiniteInCache(view, g, 0, g.length), b + " at " + i);
        assertEquals(-1, GradientScan.firstNonFiniteInCache(view, g, i + 1, g.length), "the range after " + i);
        assertEquals(-1, GradientScan.firstNonFiniteInCache(view, g, 0, i), "the range before " + i);
        g[i] = kept;
      }
    }
  }

  @Test
  void everyNonFiniteDoubleIsFoundAtEveryVectorPositionAndFiniteExtremesPass() {
    double[] g = new double[1000];
    g[5] = Double.MAX_VALUE;
    g[6] = -Double.MAX_VALUE;
    g[9] = Double.MIN_VALUE;
    g[10] = -0.0;
    Object view = GradientScan.inCacheView(g, new EmaKernel());
    assertNotNull(view);
    assertEquals(-1, GradientScan.firstNonFiniteInCache(view, g, 0, g.length));
    double[] bad = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.longBitsToDouble(0x7ff0000000000001L), Double.longBitsToDouble(0xfff8000000000000L)};
    for (double b : bad) {
      for (int i : POSITIONS) {
        double kept = g[i];
        g[i] = b;
        assertEquals(i, GradientScan.firstNonFiniteInCache(view, g, 0, g.length), b + " at " + i);
        assertEquals(-1, GradientScan.firstNonFiniteInCache(view, g, i + 1, g.length), "the range after " + i);
        g[i] = kept;
      }
    }
  }

  @Test
  void aSmallStepWithABadGradientIsRefusedNamingItAndWritesNothing() {
    for (StepOptions options : List.of(StepOptions.serial(),
        StepOptions.defaults().withThreads(2).withChunkSize(64).withSerialThreshold(0))) {
      TestOptimizer optimizer = new TestOptimizer();
      optimizer.setStepOptions(options);
      float[] g0 = TestOptimizer.floats(300, 1);
      float[] g1 = TestOptimizer.floats(GradientScan.IN_CACHE_ELEMENTS - 300, 2);
      optimizer.add(TestOptimizer.floats(300, 3), g0);
      optimizer.add(TestOptimizer.floats(g1.length, 4), g1);
      optimizer.step();
      g1[g1.length - 1] = Float.NEGATIVE_INFINITY;
      Snapshot before = new Snapshot(optimizer);
      NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class, optimizer::step);
      assertEquals(1, e.tensor());
      assertEquals(g1.length - 1, e.index());
      assertEquals(Double.NEGATIVE_INFINITY, e.value());
      before.assertUnchanged(optimizer);
    }
  }

  @Test
  void aKernelWithAScanOfItsOwnKeepsItAndOtherGradientsHaveNoView() {
    assertNull(GradientScan.inCacheView(new double[4], OwnScanTest.ownScanKernel()));
    assertNull(GradientScan.inCacheView(new short[4], new Bits16Kernel()));
    assertTrue(GradientScan.implementation().contains("MemorySegment view"), GradientScan.implementation());
  }
}
