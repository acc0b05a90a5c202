package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second thread that steps or changes an optimizer while a step runs gets a
 * {@link ConcurrentStepException} and changes nothing; the running step finishes normally. Made
 * deterministic with a kernel that holds the first step inside its element loop.
 */
class ConcurrentStepTest {

  /** A {@link CountingKernel} whose update waits on a latch once, after saying it has started. */
  private static final class HoldingKernel implements StepKernel {
    private final CountingKernel inner = new CountingKernel();
    final CountDownLatch inside = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public List<String> stateNames() {
      return inner.stateNames();
    }

    @Override
    public Class<?> bufferType() {
      return inner.bufferType();
    }

    @Override
    public List<Class<?>> stateTypes() {
      return inner.stateTypes();
    }

    @Override
    public List<String> carriedNames() {
      return inner.carriedNames();
    }

    @Override
    public double[] carriedInitial() {
      return inner.carriedInitial();
    }

    @Override
    public void prepare(long step, double[] carried, HyperparameterValues h) {
      inner.prepare(step, carried, h);
    }

    @Override
    public StepPhase phase() {
      return inner.phase();
    }

    @Override
    public void carriedAfter(double[] out) {
      inner.carriedAfter(out);
    }

    @Override
    public void update(Object param, Object grad, Object[] state, int from, int to) {
      inner.update(param, grad, state, from, to);
      inside.countDown();
      try {
        assertTrue(release.await(10, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void aSecondThreadIsRefusedWhileAStepRunsAndTheStepIsAppliedExactlyOnce(@TempDir Path dir) throws Exception {
    HoldingKernel kernel = new HoldingKernel();
    KernelOptimizer optimizer = new KernelOptimizer(TestOptimizer.SPEC, TestOptimizer.H) {
      @Override
      protected StepKernel newKernel(Class<?> bufferType) {
        return kernel;
      }
    };
    double[] p = {1, 2, 3};
    double[] g = {1, 1, 1};
    optimizer.add(p, g);
    optimizer.save(dir.resolve("before.ckpt"));
    ExecutorService stepper = Executors.newSingleThreadExecutor();
    try {
      Future<?> first = stepper.submit(optimizer::step);
      assertTrue(kernel.inside.await(10, TimeUnit.SECONDS));
      // the first step is inside its element loop now: p[0..2] already moved, the step is not finished
      Snapshot during = new Snapshot(optimizer);

      List<Executable> intrusions = List.of(
          optimizer::step,
          () -> optimizer.stepTensor(p),
          () -> optimizer.stepGroup(optimizer.defaultGroup()),
          optimizer::finishStep,
          () -> optimizer.add(new double[1], new double[1]),
          () -> optimizer.addGroup(TestOptimizer.H),
          () -> optimizer.setHyperparameters(TestOptimizer.H.withLr(0.3)),
          () -> optimizer.setLr(0.3),
          () -> optimizer.setSchedule(LrSchedule.noam(10)),
          () -> optimizer.setStepOptions(StepOptions.serial()),
          () -> optimizer.save(dir.resolve("during.ckpt")),
          () -> optimizer.load(dir.resolve("before.ckpt")));
      for (Executable intrusion : intrusions) {
        ConcurrentStepException e = assertThrows(ConcurrentStepException.class, intrusion);
        assertTrue(e.getMessage().contains("another thread is using this optimizer"), e.getMessage());
      }
      during.assertUnchanged(optimizer);
      assertEquals(1, optimizer.tensorCount());
      assertEquals(1, optimizer.groups().size());
      assertEquals(TestOptimizer.H, optimizer.hyperparameters());
      assertEquals(0, optimizer.stepCount());

      kernel.release.countDown();
      first.get(10, TimeUnit.SECONDS);
    } finally {
      stepper.shutdownNow();
    }
    // exactly one step: p -= lr * g once, every count 1, clocks at 1
    assertEquals(0.9, p[0], 1e-15);
    assertEquals(1.9, p[1], 1e-15);
    assertEquals(2.9, p[2], 1e-15);
    assertEquals(1.0, ((double[]) optimizer.state(p, "count"))[2]);
    assertEquals(1, optimizer.stepCount());
    assertEquals(1, optimizer.stepCount(p));
    // and the optimizer is usable again
    optimizer.step();
    assertEquals(2, optimizer.stepCount());
  }
}
