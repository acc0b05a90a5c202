package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * NaN or Inf in a gradient: refused by default with the first bad tensor and index named, or
 * skipped and counted; either way no parameter, state element, step count or schedule position
 * changes. Serial and parallel runs behave the same.
 */
class NonFiniteGradientTest {
  static List<StepOptions> runs() {
    return List.of(StepOptions.serial(),
        StepOptions.defaults().withThreads(3).withChunkSize(5).withSerialThreshold(0));
  }

  /** Two groups, float and double tensors, some steps taken; returns the gradients in registration order. */
  private static List<Object> setUp(TestOptimizer optimizer) {
    optimizer.setSchedule(LrSchedule.warmupCosine(2, 20, 0.1));
    ParamGroup other = optimizer.addGroup(TestOptimizer.H.withLr(0.02));
    List<Object> grads = new ArrayList<>();
    int[] sizes = {7, 9000, 33, 1, 4097};
    for (int k = 0; k < sizes.length; k++) {
      float[] g = TestOptimizer.floats(sizes[k], 50 + k);
      grads.add(g);
      (k % 2 == 0 ? optimizer.defaultGroup() : other).add(TestOptimizer.floats(sizes[k], k), g);
    }
    double[] g = TestOptimizer.doubles(65, 99);
    grads.add(g);
    other.add(TestOptimizer.doubles(65, 98), g);
    optimizer.step();
    optimizer.step();
    return grads;
  }

  @ParameterizedTest
  @MethodSource("runs")
  void aNaNOrInfGradientIsRefusedNamingTheFirstBadTensorAndIndexAndNothingChanges(StepOptions options) {
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      TestOptimizer optimizer = new TestOptimizer();
      optimizer.setStepOptions(options);
      List<Object> grads = setUp(optimizer);
      ((float[]) grads.get(1))[8191] = (float) bad; // tensor 1, in the second scan block
      ((float[]) grads.get(1))[9000 - 1] = (float) bad;
      ((float[]) grads.get(4))[0] = (float) bad; // a later tensor: not the one named
      ((double[]) grads.get(5))[64] = bad;
      Snapshot before = new Snapshot(optimizer);

      NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class, optimizer::step);
      assertEquals(1, e.tensor());
      assertEquals(1, e.group());
      assertEquals(8191, e.index());
      assertEquals(bad, e.value());
      assertTrue(e.getMessage().contains("tensor 1 (group 1, 9000 elements) is " + bad + " at index 8191"),
          e.getMessage());
      assertTrue(before.assertUnchanged(optimizer) > 30_000);

      // stepping the bad tensor alone, or its group, is refused the same way
      float[] param = (float[]) optimizer.tensors().get(1).param;
      assertThrows(NonFiniteGradientException.class, () -> optimizer.stepTensor(param));
      assertThrows(NonFiniteGradientException.class, () -> optimizer.stepGroup(optimizer.groups().get(1)));
      before.assertUnchanged(optimizer);
      // ...while a clean tensor still steps
      optimizer.stepTensor(optimizer.tensors().get(0).param);
      assertEquals(3, optimizer.stepCount(optimizer.tensors().get(0).param));
    }
  }

  /**
   * A step too large to find its gradients in cache ({@link GradientScan#IN_CACHE_ELEMENTS}),
   * which reads them without the small steps' views, refuses the same bad values at the same index.
   */
  @ParameterizedTest
  @MethodSource("runs")
  void aStepTooLargeForTheCacheRefusesTheSameWay(StepOptions options) {
    int large = GradientScan.IN_CACHE_ELEMENTS + 11;
    for (int at : new int[] {0, 7, 8, 4095, 4096, large - 1}) {
      TestOptimizer optimizer = new TestOptimizer();
      optimizer.setStepOptions(options);
      float[] small = TestOptimizer.floats(5, 1);
      float[] g = TestOptimizer.floats(large, 2);
      double[] d = TestOptimizer.doubles(large, 3);
      optimizer.add(TestOptimizer.floats(5, 4), small);
      optimizer.add(TestOptimizer.floats(large, 5), g);
      optimizer.add(TestOptimizer.doubles(large, 6), d);
      optimizer.step();
      g[at] = Float.POSITIVE_INFINITY;
      Snapshot before = new Snapshot(optimizer);
      NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class, optimizer::step);
      assertEquals(1, e.tensor());
      assertEquals(at, e.index());
      assertEquals(Double.POSITIVE_INFINITY, e.value());
      before.assertUnchanged(optimizer);
      g[at] = 0;
      d[at] = Double.NaN;
      Snapshot beforeDouble = new Snapshot(optimizer);
      e = assertThrows(NonFiniteGradientException.class, optimizer::step);
      assertEquals(2, e.tensor());
      assertEquals(at, e.index());
      beforeDouble.assertUnchanged(optimizer);
    }
  }

  @ParameterizedTest
  @MethodSource("runs")
  void underSkipABadStepIsSkippedCountedAndChangesNothingElse(StepOptions options) {
    TestOptimizer optimizer = new TestOptimizer();
    optimizer.setStepOptions(options.withNonFiniteGradients(NonFiniteGradients.SKIP));
    List<Object> grads = setUp(optimizer);
    TestOptimizer clean = new TestOptimizer();
    clean.setStepOptions(options);
    List<Object> cleanGrads = setUp(clean);

    float[] g = (float[]) grads.get(2);
    float saved = g[30];
    g[30] = Float.NaN;
    Snapshot before = new Snapshot(optimizer);
    optimizer.step();
    optimizer.stepTensor(optimizer.tensors().get(2).param);
    before.assertUnchangedButSkipped(optimizer, 2);
    assertEquals(2, optimizer.skippedSteps());

    // with the gradient repaired, training continues exactly as if the bad steps never happened
    g[30] = saved;
    optimizer.step();
    clean.step();
    assertEquals(3, optimizer.stepCount());
    assertEquals(3, optimizer.defaultGroup().schedulePosition());
    assertTrue(new Snapshot(optimizer).sameExceptSkips(new Snapshot(clean)));
    assertEquals(0, clean.skippedSteps());
    assertEquals(cleanGrads.size(), grads.size());
  }

  @Test
  void uncheckedStepsLetNaNThrough() {
    TestOptimizer optimizer = new TestOptimizer();
    optimizer.setStepOptions(StepOptions.serial().withNonFiniteGradients(NonFiniteGradients.UNCHECKED));
    float[] p = {1, 2};
    optimizer.add(p, new float[] {Float.NaN, 0});
    optimizer.step();
    assertTrue(Float.isNaN(p[0]));
    assertEquals(2f, p[1]);
  }

  /** Both scans, each tested on its own whichever this JDK runs. */
  static List<GradientScan.Impl> scans() {
    return GradientScan.implementations();
  }

  @ParameterizedTest
  @MethodSource("scans")
  void theScanFindsTheFirstBadElementInEveryBlockPositionAndIgnoresExtremeFiniteValues(GradientScan.Impl scan) {
    int block = CopyingGradientScan.BLOCK;
    float[] floats = new float[CopyingGradientScan.FLOAT_BLOCKS * block + 3 * block + 5];
    double[] doubles = new double[floats.length];
    floats[7] = Float.MAX_VALUE;
    floats[8] = -Float.MIN_VALUE;
    doubles[7] = -Double.MAX_VALUE;
    doubles[8] = Double.MIN_VALUE;
    assertEquals(-1, scan.firstNonFinite(floats, 0, floats.length));
    assertEquals(-1, scan.firstNonFinite(doubles, 0, doubles.length));
    for (int i : new int[] {0, 1, block - 1, block, 2 * block + 3, 3 * block + 1, 4 * block - 1, 4 * block,
        floats.length - 1}) {
      floats[i] = Float.NEGATIVE_INFINITY;
      doubles[i] = Double.NaN;
      assertEquals(i, scan.firstNonFinite(floats, 0, floats.length));
      assertEquals(i, scan.firstNonFinite(doubles, 0, doubles.length));
      assertEquals(-1, scan.firstNonFinite(floats, i + 1, floats.length)); // ranges are respected
      floats[i] = 0;
      doubles[i] = 0;
    }
  }

  @Test
  void thePublicScansCheckTheirArgumentsAndGoThroughTheActiveScan() {
    float[] floats = {1, Float.NaN, 2};
    assertEquals(1, GradientScan.firstNonFinite(floats, 0, 3));
    assertEquals(-1, GradientScan.firstNonFinite(floats, 2, 3));
    assertEquals(1, GradientScan.firstNonFinite((Object) new double[] {0, Double.NEGATIVE_INFINITY}, 0, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> GradientScan.firstNonFinite(floats, 2, 4));
    assertThrows(IndexOutOfBoundsException.class, () -> GradientScan.firstNonFinite(new double[2], -1, 1));
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> GradientScan.firstNonFinite(new short[3], 0, 3));
    assertTrue(e.getMessage().contains("short[]"), e.getMessage());
  }

  /** The scan chosen is the one for this JDK, and the description says which and for what JDK. */
  @Test
  void implementationSaysWhichScanRunsAndWhy() {
    int jdk = Runtime.version().feature();
    assertEquals(jdk >= GradientScan.COUNT_VECTORIZES_FROM ? CountingGradientScan.INSTANCE : CopyingGradientScan.INSTANCE,
        GradientScan.active());
    assertTrue(GradientScan.implementation().startsWith(GradientScan.active().name() + ", for JDK " + jdk),
        GradientScan.implementation());
    // small steps' scan through a view of each heap gradient comes with the JDK 22 layer (InCacheScanTest)
    assertEquals(jdk >= 22, GradientScan.implementation().contains("MemorySegment view"), GradientScan.implementation());
  }

  /**
   * Every position of every lane, of the copy blocks' tails and of the short ranges checked
   * directly, at an offset; a bad call leaves nothing behind (the copying scan's lane row).
   */
  @ParameterizedTest
  @MethodSource("scans")
  void theScanFindsABadElementAtEveryPositionOfShortAndLongRanges(GradientScan.Impl scan) {
    int block = CopyingGradientScan.BLOCK;
    int copied = CopyingGradientScan.FLOAT_BLOCKS * block; // floats copied at a time
    for (int n : new int[] {1, 63, 64, 65, block, 3 * block + 7, 2 * copied + block + 9}) {
      int from = 3;
      float[] floats = TestOptimizer.floats(from + n + 2, n);
      double[] doubles = TestOptimizer.doubles(from + n + 2, n);
      floats[from - 1] = Float.NaN; // outside the range on both sides
      floats[from + n] = Float.POSITIVE_INFINITY;
      doubles[from - 1] = Double.NEGATIVE_INFINITY;
      doubles[from + n] = Double.NaN;
      for (int i = from; i < from + n; i++) {
        float f = floats[i];
        double d = doubles[i];
        floats[i] = i % 3 == 0 ? Float.NaN : i % 3 == 1 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
        doubles[i] = i % 3 == 0 ? Double.NEGATIVE_INFINITY : i % 3 == 1 ? Double.NaN : Double.POSITIVE_INFINITY;
        assertEquals(i, scan.firstNonFinite(floats, from, from + n), "float, n=" + n);
        assertEquals(i, scan.firstNonFinite(doubles, from, from + n), "double, n=" + n);
        floats[i] = f;
        doubles[i] = d;
        assertEquals(-1, scan.firstNonFinite(floats, from, from + n), "float, n=" + n);
        assertEquals(-1, scan.firstNonFinite(doubles, from, from + n), "double, n=" + n);
      }
    }
  }

  /** As above for 16-bit patterns: every position, both formats, at an offset. */
  @Test
  void theSixteenBitScanFindsABadPatternAtEveryPosition() {
    for (int n : new int[] {1, 31, 32, 33, 200, GradientScan.HALF_BLOCK + 70}) {
      int from = 2;
      short[] bits = new short[from + n + 1];
      for (int i = 0; i < bits.length; i++) {
        bits[i] = (short) (i % 2 == 0 ? 0x7B7F : 0x83FF); // finite in bf16 and in fp16
      }
      bits[from - 1] = bits[from + n] = (short) 0xFFFF; // NaN in both, outside the range
      for (int i = from; i < from + n; i++) {
        short saved = bits[i];
        bits[i] = (short) (i % 2 == 0 ? 0x7F80 : 0xFC00); // bf16 +Inf (an fp16 NaN), fp16 −Inf (a bf16 finite)
        assertEquals(i % 2 == 0 ? i : -1, GradientScan.firstNonFiniteBfloat16(bits, from, from + n), "bf16, n=" + n);
        assertEquals(i, GradientScan.firstNonFiniteFloat16(bits, from, from + n), "fp16, n=" + n);
        bits[i] = saved;
      }
      assertEquals(-1, GradientScan.firstNonFiniteFloat16(bits, from, from + n), "fp16, n=" + n);
    }
  }

  /** Steady state: the active scan allocates nothing (per-thread buffers exist after the first call). */
  @Test
  void theScanAllocatesNothing() {
    float[] floats = TestOptimizer.floats(4099, 1);
    double[] doubles = TestOptimizer.doubles(4099, 2);
    short[] shorts = new short[4099];
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long least = Long.MAX_VALUE;
    int found = 0;
    for (int window = 0; window < 5 && least > 0; window++) {
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int k = 0; k < 20_000; k++) {
        found += GradientScan.firstNonFinite(floats, k & 7, 4099) + GradientScan.firstNonFinite(doubles, 0, 4099 - (k & 7))
            + GradientScan.firstNonFiniteBfloat16(shorts, k & 7, 4099) + 3;
      }
      least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
    }
    assertEquals(0, found);
    assertEquals(0, least, GradientScan.implementation());
  }

  @Test
  void sixteenBitScansKnowTheirExponentFields() {
    short[] bf16 = new short[2 * GradientScan.HALF_BLOCK + 3];
    short[] fp16 = new short[bf16.length];
    bf16[3] = (short) 0x7F7F; // the largest finite bfloat16
    bf16[4] = (short) 0xFF7F; // its negative
    fp16[3] = (short) 0x7BFF; // the largest finite float16
    fp16[4] = (short) 0x83FF; // a negative subnormal
    bf16[5] = fp16[5] = (short) 0x7C00; // float16 +Inf, a finite bfloat16 (2^121)
    assertEquals(-1, GradientScan.firstNonFiniteBfloat16(bf16, 0, bf16.length));
    assertEquals(5, GradientScan.firstNonFiniteFloat16(fp16, 0, fp16.length));
    fp16[5] = 0;
    assertEquals(-1, GradientScan.firstNonFiniteFloat16(fp16, 0, fp16.length));
    for (short bad : new short[] {(short) 0x7F80, (short) 0xFF80, (short) 0x7FC0, (short) 0xFFFF}) {
      bf16[GradientScan.HALF_BLOCK + 1] = bad; // bfloat16 +Inf, -Inf, NaN, a negative NaN
      assertEquals(GradientScan.HALF_BLOCK + 1, GradientScan.firstNonFiniteBfloat16(bf16, 0, bf16.length));
      assertEquals(-1, GradientScan.firstNonFiniteBfloat16(bf16, GradientScan.HALF_BLOCK + 2, bf16.length));
    }
    for (short bad : new short[] {(short) 0x7C00, (short) 0xFC00, (short) 0x7E00, (short) 0xFFFF}) {
      fp16[bf16.length - 1] = bad; // float16 +Inf, -Inf, NaN, a negative NaN
      assertEquals(bf16.length - 1, GradientScan.firstNonFiniteFloat16(fp16, 0, fp16.length));
    }
  }
}
