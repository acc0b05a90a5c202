package io.github.optkernels.examples.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.optkernels.examples.variants.AdamW;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.LrSchedule;
import io.github.optkernels.runtime.ParamGroup;
import io.github.optkernels.runtime.StepOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A soak of the multi-threaded step: 200,000 tiny steps of a generated AdamW on 2 threads in
 * chunks of a few elements, so that nearly every step hands work to the pool and the engine's
 * start, close and wait race with a worker that is waking up, busy or late. It must never hang
 * (a watchdog fails the test with a thread dump if it stops moving) and must end bit-identical
 * to the same steps run serially, compared along the way so a divergence is caught near where
 * it happened.
 */
@Tag("fault")
class StepEngineSoakFaultTest {
  private static final int STEPS = 200_000;
  private static final int COMPARE_EVERY = 10_000;
  /** Every this-many steps, the step is taken group by group and then finished (gradient release). */
  private static final int GROUPED_EVERY = 7;
  private static final int[] FLOAT_SIZES = {37, 5, 64};
  private static final int[] DOUBLE_SIZES = {19, 3};
  private static final int CHUNK = 8;
  private static final long STALL_SECONDS = 60;

  /** An AdamW with two groups, a schedule on one, float and double tensors. */
  private static final class Model {
    final KernelOptimizer optimizer = AdamW.builder().lr(1e-3).weightDecay(0.01).build();
    final List<Object> params = new ArrayList<>();
    final List<Object> grads = new ArrayList<>();

    Model(StepOptions options) {
      optimizer.setSchedule(LrSchedule.warmupCosine(100, STEPS, 0.1));
      ParamGroup second = optimizer.addGroup(optimizer.hyperparameters().withLr(3e-4).withWeightDecay(0));
      int k = 0;
      for (int n : FLOAT_SIZES) {
        float[] p = new float[n];
        for (int i = 0; i < n; i++) {
          p[i] = (float) Math.sin(1 + 7 * k + i);
        }
        float[] g = new float[n];
        (k % 2 == 0 ? optimizer.defaultGroup() : second).add(p, g);
        params.add(p);
        grads.add(g);
        k++;
      }
      for (int n : DOUBLE_SIZES) {
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
          p[i] = Math.cos(1 + 7 * k + i);
        }
        double[] g = new double[n];
        (k % 2 == 0 ? optimizer.defaultGroup() : second).add(p, g);
        params.add(p);
        grads.add(g);
        k++;
      }
      optimizer.setStepOptions(options);
    }

    /** Step {@code s}: gradients from the parameters (as a loss's) plus a term that varies with the step. */
    void step(int s) {
      for (int k = 0; k < params.size(); k++) {
        Object p = params.get(k);
        Object g = grads.get(k);
        if (p instanceof float[]) {
          float[] pf = (float[]) p;
          float[] gf = (float[]) g;
          for (int i = 0; i < pf.length; i++) {
            gf[i] = 0.1f * pf[i] + 1e-3f * (((s * 13 + i * 7 + k) % 23) - 11);
          }
        } else {
          double[] pd = (double[]) p;
          double[] gd = (double[]) g;
          for (int i = 0; i < pd.length; i++) {
            gd[i] = 0.1 * pd[i] + 1e-3 * (((s * 13 + i * 7 + k) % 23) - 11);
          }
        }
      }
      if (s % GROUPED_EVERY == 0) {
        for (ParamGroup group : optimizer.groups()) {
          optimizer.stepGroup(group);
        }
        optimizer.finishStep();
      } else {
        optimizer.step();
      }
    }

    OptimizerState state() {
      return new OptimizerState(optimizer, params);
    }
  }

  @Test
  void twoHundredThousandTinyParallelStepsNeverHangAndEqualTheSerialSteps() throws Exception {
    ForkJoinPool pool = new ForkJoinPool(1); // with the calling thread: 2 threads
    try {
      Model parallel = new Model(StepOptions.defaults().withPool(pool).withChunkSize(CHUNK).withSerialThreshold(0));
      Model serial = new Model(StepOptions.serial());
      assertEquals(2, parallel.optimizer.stepOptions().threads());
      Watchdog.run("soak", STALL_SECONDS, progress -> {
        for (int s = 1; s <= STEPS; s++) {
          parallel.step(s);
          serial.step(s);
          if (s % COMPARE_EVERY == 0) {
            String difference = serial.state().firstDifference(parallel.state());
            assertNull(difference, "after step " + s + ": " + difference);
          }
          progress.set(s);
        }
      });
      assertEquals(STEPS, parallel.optimizer.stepCount());
      assertNull(serial.state().firstDifference(parallel.state()));
      // the pool really ran work items, not only the calling thread
      long poolRan = pool.getStealCount();
      assertTrue(poolRan > STEPS / 100, "the pool's thread ran " + poolRan + " tasks in " + STEPS + " steps");
    } finally {
      pool.shutdownNow();
    }
  }
}
