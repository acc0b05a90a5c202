package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Hyperparameters that are fine as doubles but not in a kernel's arithmetic: a learning rate
 * that overflows float32 (1e40), a step size lr/(1 − β1) that does, an ε that makes a zero
 * gradient's update 0/0. Refused with {@link IllegalArgumentException} naming the hyperparameter
 * and the arithmetic, when set if the group's tensors already say which arithmetic, else at the
 * step, before anything is written.
 */
class StepScalarsTest {

  private static void assertRefused(KernelOptimizer optimizer, Executable action, String... texts) {
    Snapshot before = new Snapshot(optimizer);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
    for (String text : texts) {
      assertTrue(e.getMessage().contains(text), e.getMessage());
    }
    before.assertUnchanged(optimizer);
  }

  private static float[] floatParam(TestOptimizer optimizer, ParamGroup group) {
    float[] p = TestOptimizer.floats(5, 1);
    group.add(p, TestOptimizer.floats(5, 2));
    return p;
  }

  @Test
  void aLearningRateThatOverflowsFloatIsRefusedWhenSetOnAGroupWithFloatTensors() {
    TestOptimizer optimizer = new TestOptimizer();
    floatParam(optimizer, optimizer.defaultGroup());
    optimizer.step();
    assertRefused(optimizer, () -> optimizer.setLr(1e40), "lr = 1.0E40", "float32");
    assertRefused(optimizer, () -> optimizer.setSchedule(LrSchedule.explicit(0.1, 1e39)), "lr = 1.0E39",
        "float32");
    assertEquals(0.1, optimizer.hyperparameters().lr());
    optimizer.step();
  }

  @Test
  void aLearningRateThatOverflowsFloatIsRefusedAtTheStepWhenAFloatTensorJoinsLater() {
    TestOptimizer optimizer = new TestOptimizer();
    double[] d = TestOptimizer.doubles(3, 1);
    optimizer.add(d, TestOptimizer.doubles(3, 2));
    optimizer.setSchedule(LrSchedule.explicit(0.1, 1e39)); // finite in double: fine for double tensors
    floatParam(optimizer, optimizer.defaultGroup());
    optimizer.step(); // lr 0.1
    assertRefused(optimizer, optimizer::step, "lr = 1.0E39", "step 2", "float32");
    assertRefused(optimizer, () -> optimizer.stepTensor(d), "lr = 1.0E39");
    assertRefused(optimizer, () -> optimizer.stepGroup(optimizer.defaultGroup()), "lr = 1.0E39");
    optimizer.setSchedule(LrSchedule.constant());
    optimizer.step();
    assertEquals(2, optimizer.stepCount());
  }

  @Test
  void aStepSizeThatOverflowsIsRefusedInFloatAndInDouble() {
    TestOptimizer optimizer = new TestOptimizer();
    floatParam(optimizer, optimizer.defaultGroup());
    // lr fits in float, but the first step's size lr·sqrt(1 − β2)/(1 − β1) is 3e39
    assertRefused(optimizer, () -> optimizer.setHyperparameters(TestOptimizer.H.withLr(1e38).withBeta1(0.999)),
        "lr/(1 − beta1)", "float32");
    // and lr·λ of decoupled decay
    assertRefused(optimizer, () -> optimizer.setHyperparameters(TestOptimizer.H.withLr(1e20).withWeightDecay(1e20)),
        "lr·weightDecay", "float32");
    TestOptimizer doubles = new TestOptimizer();
    doubles.add(TestOptimizer.doubles(2, 1), TestOptimizer.doubles(2, 2));
    doubles.setLr(1e300);
    assertRefused(doubles, () -> doubles.setHyperparameters(TestOptimizer.H.withLr(1e308)), "lr/(1 − beta1)",
        "float64");
  }

  @Test
  void epsZeroIsRefusedBecauseAZeroGradientWouldGiveZeroOverZero() {
    IllegalArgumentException atBuild = assertThrows(IllegalArgumentException.class,
        () -> new TestOptimizer(TestOptimizer.SPEC, TestOptimizer.H.withEps(0), false));
    assertTrue(atBuild.getMessage().contains("eps = 0.0"), atBuild.getMessage());
    assertTrue(atBuild.getMessage().contains("0/0 = NaN"), atBuild.getMessage());
    TestOptimizer optimizer = new TestOptimizer();
    assertRefused(optimizer, () -> optimizer.setHyperparameters(TestOptimizer.H.withEps(0)), "eps = 0.0");
    assertRefused(optimizer, () -> optimizer.addGroup(TestOptimizer.H.withEps(0)), "eps = 0.0");
    assertEquals(1, optimizer.groups().size());
  }

  @Test
  void epsThatRoundsToZeroInFloatIsRefusedForFloatTensorsOnly() {
    TestOptimizer doubles = new TestOptimizer();
    doubles.add(TestOptimizer.doubles(2, 1), TestOptimizer.doubles(2, 2));
    doubles.setHyperparameters(TestOptimizer.H.withEps(1e-50));
    doubles.step();
    floatParam(doubles, doubles.defaultGroup()); // a float tensor joins: the next step is refused
    assertRefused(doubles, doubles::step, "eps = 1.0E-50", "float32", "0/0 = NaN");
    TestOptimizer floats = new TestOptimizer();
    floatParam(floats, floats.defaultGroup());
    assertRefused(floats, () -> floats.setHyperparameters(TestOptimizer.H.withEps(1e-50)), "eps = 1.0E-50");
  }

  @Test
  void epsZeroIsFineWhenEpsRootKeepsTheDenominatorPositive() {
    SpecInfo inside = new SpecInfo("TestEma", "test.TestEmaSpec", "rule=EMA,eps=INSIDE", List.of("m", "steps"),
        Set.of(Hyperparameter.LR, Hyperparameter.BETA1, Hyperparameter.BETA2, Hyperparameter.EPS,
            Hyperparameter.EPS_ROOT, Hyperparameter.VARIANCE_WARMUP_STEPS));
    TestOptimizer optimizer = new TestOptimizer(inside, TestOptimizer.H.withEps(0).withEpsRoot(1e-8), false);
    floatParam(optimizer, optimizer.defaultGroup());
    optimizer.step();
    assertRefused(optimizer, () -> optimizer.setHyperparameters(TestOptimizer.H.withEps(0)), "eps = 0.0",
        "epsRoot");
  }
}
