package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Groups carry their own hyperparameters; every refused registration or change leaves everything as it was. */
class ParamGroupTest {

  @Test
  void eachGroupStepsWithItsOwnHyperparametersAndSchedule() {
    TestOptimizer optimizer = new TestOptimizer();
    ParamGroup slow = optimizer.addGroup(TestOptimizer.H.withLr(0.01));
    double[] fast = {0};
    double[] slowP = {0};
    optimizer.add(fast, new double[] {1}); // CountingKernel: p -= lr * g
    slow.add(slowP, new double[] {1});
    slow.setSchedule(LrSchedule.linearWarmup(2));
    optimizer.step();
    optimizer.step();
    assertEquals(-0.2, fast[0], 1e-15);
    assertEquals(-0.005 - 0.01, slowP[0], 1e-15);
    assertSame(slow, optimizer.group(slowP));
    assertEquals(1, slow.index());
    assertEquals(2, optimizer.groups().size());
    assertEquals(2, slow.schedulePosition());
    optimizer.stepTensor(fast);
    optimizer.finishStep();
    assertEquals(3, optimizer.stepCount());
    assertEquals(3, slow.schedulePosition());
    assertEquals(2, optimizer.stepCount(slowP));
  }

  @Test
  void refusedRegistrationsRegisterNothing() {
    TestOptimizer optimizer = new TestOptimizer();
    ParamGroup group = optimizer.addGroup(TestOptimizer.H);
    double[] p = new double[3];
    double[] g = new double[3];
    group.add(p, g);
    Snapshot before = new Snapshot(optimizer);
    TestOptimizer other = new TestOptimizer();
    Executable[] refused = {
        () -> group.add(new double[3], new double[4]),
        () -> optimizer.add(p, new double[3]), // p is in the other group: still refused
        () -> group.add(new double[3], g),
        () -> group.add(new double[3], p),
        () -> group.add(g, new double[3]),
        () -> {
          double[] same = new double[2];
          group.add(same, same);
        },
        () -> group.add(new float[3], new double[3]),
        () -> group.add(new int[3], new int[3]),
        () -> other.stepGroup(group),
    };
    for (Executable e : refused) {
      assertThrows(IllegalArgumentException.class, e);
    }
    IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
        () -> group.add(new double[3], new double[4]));
    assertEquals("param has 3 elements but grad has 4", lengths.getMessage());
    assertEquals(1, optimizer.tensorCount());
    assertEquals(1, group.tensorCount());
    assertEquals(0, optimizer.defaultGroup().tensorCount());
    before.assertUnchanged(optimizer);
  }

  @Test
  void invalidHyperparametersAreRefusedWhenSetAndNothingChanges() {
    TestOptimizer optimizer = new TestOptimizer();
    ParamGroup group = optimizer.addGroup(TestOptimizer.H.withVarianceWarmupSteps(2));
    ParamGroup fresh = optimizer.addGroup(TestOptimizer.H);
    group.add(TestOptimizer.floats(9, 1), TestOptimizer.floats(9, 2));
    optimizer.add(TestOptimizer.floats(5, 3), TestOptimizer.floats(5, 4));
    optimizer.step();
    Snapshot before = new Snapshot(optimizer);
    Hyperparameters h = group.hyperparameters();
    Executable[] refused = {
        () -> group.setLr(-1e-3),
        () -> group.setLr(Double.NaN),
        () -> optimizer.setLr(Double.POSITIVE_INFINITY),
        () -> group.setHyperparameters(h.withBeta1(1.0)),
        () -> group.setHyperparameters(h.withBeta2(1.5)),
        () -> group.setHyperparameters(h.withEps(-1e-8)),
        () -> optimizer.setHyperparameters(h.withEps(-1e-8)),
        // what the spec would silently ignore
        () -> group.setHyperparameters(h.withEpsRoot(1e-8)),
        () -> group.setHyperparameters(h.withMaxLr(1e-3)),
        // the warm-up length is fixed once the group stepped
        () -> group.setHyperparameters(h.withVarianceWarmupSteps(3)),
        () -> optimizer.addGroup(h.withEpsRoot(1e-8)),
    };
    for (Executable e : refused) {
      assertThrows(IllegalArgumentException.class, e);
    }
    before.assertUnchanged(optimizer);
    assertEquals(3, optimizer.groups().size());
    // a group that has not stepped may still choose its warm-up
    fresh.setHyperparameters(fresh.hyperparameters().withVarianceWarmupSteps(5));
    assertEquals(5, fresh.hyperparameters().varianceWarmupSteps());
    assertTrue(group.toString().contains("1 tensors"), group.toString());
  }

  @Test
  void aGroupAppliesItsScheduleAtItsPositionAndKeepsThePositionWhenTheScheduleChanges() {
    TestOptimizer optimizer = new TestOptimizer();
    double[] p = {0};
    optimizer.add(p, new double[] {1}); // CountingKernel: p -= lr * g
    optimizer.setSchedule(LrSchedule.explicit(0.5, 0.25, 0.125));
    optimizer.step();
    assertEquals(-0.5, p[0]);
    assertEquals(0.25, optimizer.defaultGroup().nextLr());
    optimizer.step();
    assertEquals(-0.75, p[0]);
    optimizer.setSchedule(LrSchedule.linearWarmup(4)); // position 2: the next step is t = 3
    assertEquals(2, optimizer.defaultGroup().schedulePosition());
    optimizer.step();
    assertEquals(-0.75 - 0.1 * 3 / 4, p[0], 1e-17);
  }
}
