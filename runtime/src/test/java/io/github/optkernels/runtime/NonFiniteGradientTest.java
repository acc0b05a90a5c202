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
}
