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

  @Test
  void theScanFindsTheFirstBadElementInEveryBlockPositionAndIgnoresExtremeFiniteValues() {
    float[] floats = new float[3 * GradientScan.BLOCK + 5];
    double[] doubles = new double[floats.length];
    floats[7] = Float.MAX_VALUE;
    floats[8] = -Float.MIN_VALUE;
    doubles[7] = -Double.MAX_VALUE;
    doubles[8] = Double.MIN_VALUE;
    assertEquals(-1, GradientScan.firstNonFinite(floats, 0, floats.length));
    assertEquals(-1, GradientScan.firstNonFinite(doubles, 0, doubles.length));
    for (int i : new int[] {0, 1, GradientScan.BLOCK - 1, GradientScan.BLOCK, 2 * GradientScan.BLOCK + 3, floats.length - 1}) {
      floats[i] = Float.NEGATIVE_INFINITY;
      doubles[i] = Double.NaN;
      assertEquals(i, GradientScan.firstNonFinite(floats, 0, floats.length));
      assertEquals(i, GradientScan.firstNonFinite(doubles, 0, doubles.length));
      assertEquals(-1, GradientScan.firstNonFinite(floats, i + 1, floats.length)); // ranges are respected
      floats[i] = 0;
      doubles[i] = 0;
    }
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> GradientScan.firstNonFinite(new short[3], 0, 3));
    assertTrue(e.getMessage().contains("short[]"), e.getMessage());
  }

  /**
   * Every position of every lane, of the copy blocks' tails and of the short ranges checked
   * directly, at an offset; a bad call leaves nothing behind in the thread's lane row.
   */
  @Test
  void theScanFindsABadElementAtEveryPositionOfShortAndLongRanges() {
    for (int n : new int[] {1, 63, 64, 65, GradientScan.BLOCK, 3 * GradientScan.BLOCK + 7}) {
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
        assertEquals(i, GradientScan.firstNonFinite(floats, from, from + n), "float, n=" + n);
        assertEquals(i, GradientScan.firstNonFinite(doubles, from, from + n), "double, n=" + n);
        floats[i] = f;
        doubles[i] = d;
        assertEquals(-1, GradientScan.firstNonFinite(floats, from, from + n), "float, n=" + n);
        assertEquals(-1, GradientScan.firstNonFinite(doubles, from, from + n), "double, n=" + n);
      }
    }
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
