package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Kernels that take per-tensor sums before they update ({@link NormScaledKernel}: Σp², Σu²):
 * the totals are the block rule's (fixed 4096-element blocks, partials added in block order),
 * so a step gives the same bits for any thread count, chunk size, gradient-release order and for
 * off-heap tensors; sums never see a partly updated tensor (the kernel checks); such a kernel
 * is prepared per tensor; a steady-state step allocates nothing.
 */
class StepSumsTest {
  /** Lengths around the block size, in two groups. */
  private static final int[] LENGTHS = {1, 4095, 4096, 4097, 3 * StepSums.BLOCK + 5, 20_000};
  private static final int STEPS = 4;

  /** One run's optimizer and its tensors' buffers (heap arrays, or off-heap). */
  private static final class Run {
    final NormScaledOptimizer optimizer = new NormScaledOptimizer();
    final List<Object> params = new ArrayList<>();
    final List<Object> grads = new ArrayList<>();
    final boolean offHeap;

    Run(boolean offHeap, StepOptions options) {
      this.offHeap = offHeap;
      ParamGroup second = optimizer.addGroup(NormScaledOptimizer.H.withLr(0.03));
      optimizer.setSchedule(LrSchedule.linearWarmup(3));
      for (int k = 0; k < LENGTHS.length; k++) {
        float[] p = TestOptimizer.floats(LENGTHS[k], 10 + k);
        ParamGroup group = k % 2 == 0 ? optimizer.defaultGroup() : second;
        if (offHeap) {
          ByteBuffer param = DirectTensorsTest.directFloats(p);
          ByteBuffer grad = DirectTensorsTest.direct(4 * p.length);
          group.addDirect(BufferFormat.FLOAT32, param, grad);
          params.add(param);
          grads.add(grad);
        } else {
          float[] g = new float[p.length];
          group.add(p, g);
          params.add(p);
          grads.add(g);
        }
      }
      optimizer.setStepOptions(options);
    }

    void fillGradients(int step) {
      for (int k = 0; k < LENGTHS.length; k++) {
        float[] g = TestOptimizer.floats(LENGTHS[k], 1000 * step + k);
        if (offHeap) {
          ((ByteBuffer) grads.get(k)).asFloatBuffer().put(g);
        } else {
          System.arraycopy(g, 0, grads.get(k), 0, g.length);
        }
      }
    }

    /** Steps every tensor, either at once or released one by one in {@code order}. */
    void step(int step, int[] order) {
      fillGradients(step);
      if (order == null) {
        optimizer.step();
        return;
      }
      for (int k : order) {
        optimizer.stepTensor(params.get(k));
      }
      optimizer.finishStep();
    }

    float[] param(int k) {
      Object p = params.get(k);
      return p instanceof float[] ? (float[]) p : DirectTensorsTest.floats((ByteBuffer) p);
    }

    float[] moment(int k) {
      Object m = optimizer.state(params.get(k), "m");
      return m instanceof float[] ? (float[]) m : DirectTensorsTest.floats((ByteBuffer) m);
    }
  }

  private static Run run(boolean offHeap, StepOptions options, int[] order) {
    Run run = new Run(offHeap, options);
    for (int t = 1; t <= STEPS; t++) {
      run.step(t, order);
    }
    return run;
  }

  private static void assertSameBits(Run expected, Run actual, String what) {
    for (int k = 0; k < LENGTHS.length; k++) {
      assertArrayEquals(expected.param(k), actual.param(k), what + ": param " + k);
      assertArrayEquals(expected.moment(k), actual.moment(k), what + ": m " + k);
      Object p = expected.params.get(k);
      Object q = actual.params.get(k);
      double[] a = expected.optimizer.carriedValues(p);
      double[] b = actual.optimizer.carriedValues(q);
      for (int c = 0; c < a.length; c++) {
        assertEquals(Double.doubleToRawLongBits(a[c]), Double.doubleToRawLongBits(b[c]), what + ": carried " + k);
      }
      assertArrayEquals(expected.optimizer.kernels.get(k).lastTotals, actual.optimizer.kernels.get(k).lastTotals,
          what + ": totals " + k);
    }
  }

  @Test
  void theTotalsAreTheBlockRulesSums() {
    // the first step's totals, from the initial parameters and m = 0, written out independently
    Run run = new Run(false, StepOptions.serial());
    run.step(1, null);
    double beta1 = (float) NormScaledOptimizer.H.beta1();
    for (int k = 0; k < LENGTHS.length; k++) {
      float[] p = TestOptimizer.floats(LENGTHS[k], 10 + k);
      float[] g = TestOptimizer.floats(LENGTHS[k], 1000 + k);
      double[] totals = new double[2];
      for (int block = 0; block < p.length; block += 4096) {
        double pp = 0;
        double uu = 0;
        for (int i = block; i < Math.min(p.length, block + 4096); i++) {
          float u = (float) beta1 * 0f + (1 - (float) beta1) * g[i];
          pp += (double) p[i] * p[i];
          uu += (double) u * u;
        }
        totals[0] += pp;
        totals[1] += uu;
      }
      assertArrayEquals(totals, run.optimizer.kernels.get(k).lastTotals, "tensor " + k);
    }
    // and they are not one running sum over the tensor: the rule is visible in the bits
    float[] p = TestOptimizer.floats(LENGTHS[5], 15);
    double straight = 0;
    for (float value : p) {
      straight += (double) value * value;
    }
    assertNotEquals(straight, run.optimizer.kernels.get(5).lastTotals[0]);
  }

  @Test
  void aStepIsTheSameBitsForEveryThreadCountChunkSizeReleaseOrderAndOnOffHeap() {
    Run reference = run(false, StepOptions.serial(), null);
    int[] reversed = {5, 4, 3, 2, 1, 0};
    int[] shuffled = {3, 0, 5, 1, 4, 2};
    for (boolean offHeap : new boolean[] {false, true}) {
      for (int threads : new int[] {1, 2}) {
        for (int chunk : new int[] {5, 64, 4096, 65536}) {
          StepOptions options = StepOptions.defaults().withThreads(threads).withChunkSize(chunk).withSerialThreshold(0);
          String what = (offHeap ? "off-heap" : "heap") + ", " + threads + " threads, chunk " + chunk;
          assertSameBits(reference, run(offHeap, options, null), what);
          assertSameBits(reference, run(offHeap, options, chunk == 64 ? reversed : shuffled), what + ", released");
        }
      }
    }
  }

  @Test
  void aKernelWithSumsIsPreparedForItsTensorAlone() {
    Run run = new Run(false, StepOptions.serial());
    run.step(1, null);
    run.step(2, null);
    for (NormScaledKernel kernel : run.optimizer.kernels) {
      assertEquals(2, kernel.prepares); // never shared, although its tensors are alike
    }
    assertNotEquals(run.optimizer.kernels.get(0).lastTotals[0], run.optimizer.kernels.get(2).lastTotals[0]);
  }

  @Test
  void theCarriedValuesAdvanceAfterEachStepOfTheTensor() {
    Run run = new Run(false, StepOptions.serial());
    double lrMax = 0;
    double weightSum = 0;
    for (int t = 1; t <= STEPS; t++) {
      run.step(t, null);
      lrMax = Math.max(lrMax, LrSchedule.linearWarmup(3).lr(t, NormScaledOptimizer.H.lr()));
      weightSum += lrMax;
      assertArrayEquals(new double[] {lrMax, weightSum}, run.optimizer.carriedValues(run.params.get(0)), "step " + t);
    }
    assertEquals(List.of("lr_max", "weight_sum"), run.optimizer.carriedNames(run.params.get(0)));
  }

  @Test
  void aSteadyStateStepWithSumsAllocatesNothing() {
    for (boolean offHeap : new boolean[] {false, true}) {
      Run run = new Run(offHeap, StepOptions.serial());
      run.fillGradients(1);
      com.sun.management.ThreadMXBean threads =
          (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
      long least = Long.MAX_VALUE;
      for (int window = 0; window < 5 && least > 0; window++) {
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int k = 0; k < 200; k++) {
          run.optimizer.step();
        }
        least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - before);
      }
      assertEquals(0, least, offHeap ? "off-heap" : "heap");
      assertTrue(run.optimizer.stepCount() >= 200);
    }
  }
}
