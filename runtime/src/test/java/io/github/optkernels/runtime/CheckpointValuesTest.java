package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.optkernels.runtime.CheckpointException.Problem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values inside a valid checksum are checked too: a file whose header was written with
 * out-of-domain numbers (a step count that cannot be incremented, NAdam's Π = NaN, a schedule
 * position ahead of the optimizer, ε = 0) has correct checksums, since the writer itself wrote
 * them here, and is refused as {@link Problem#CORRUPTED}, leaving the loading optimizer exactly as
 * it was.
 */
class CheckpointValuesTest {
  @TempDir
  Path dir;

  /** A spec that keeps NAdam's Π (it reads ψ): Π is 1 until a momentum step, then in [0, 1]. */
  private static final SpecInfo NADAM_LIKE = new SpecInfo("TestEma", "test.TestEmaSpec", "rule=EMA",
      List.of("m", "steps"), Set.of(Hyperparameter.LR, Hyperparameter.BETA1, Hyperparameter.BETA2,
          Hyperparameter.EPS, Hyperparameter.WEIGHT_DECAY, Hyperparameter.MOMENTUM_DECAY,
          Hyperparameter.VARIANCE_WARMUP_STEPS));
  /** A spec without Π (it does not read ψ). */
  private static final SpecInfo WITHOUT_PI = new SpecInfo("TestEma", "test.TestEmaSpec", "rule=EMA",
      List.of("m", "steps"), Set.of(Hyperparameter.LR, Hyperparameter.BETA1, Hyperparameter.BETA2,
          Hyperparameter.EPS, Hyperparameter.WEIGHT_DECAY, Hyperparameter.VARIANCE_WARMUP_STEPS));

  private static final long MAX_COUNT = 1L << 53;

  /** Two groups, float tensors (EmaKernel: Π multiplies by β1 each step), 3 steps in; tensor 2 never stepped. */
  private static TestOptimizer model(SpecInfo spec) {
    TestOptimizer optimizer = new TestOptimizer(spec, TestOptimizer.H, false);
    ParamGroup second = optimizer.addGroup(TestOptimizer.H.withLr(0.03));
    optimizer.add(TestOptimizer.floats(5, 1), TestOptimizer.floats(5, 2));
    second.add(TestOptimizer.floats(3, 3), TestOptimizer.floats(3, 4));
    second.setSchedule(LrSchedule.linearWarmup(10));
    for (int s = 0; s < 3; s++) {
      optimizer.step();
    }
    float[] late = TestOptimizer.floats(4, 5);
    optimizer.add(late, TestOptimizer.floats(4, 6));
    return optimizer;
  }

  /** Saves a model changed by {@code craft} and expects a fresh model to refuse it, unchanged. */
  private void assertRefused(SpecInfo spec, Consumer<TestOptimizer> craft, String text) throws IOException {
    TestOptimizer source = model(spec);
    craft.accept(source);
    Path file = dir.resolve("crafted.ckpt");
    source.save(file);
    TestOptimizer target = model(spec);
    target.step(); // differs from the file in every field a load would set
    Snapshot before = new Snapshot(target);
    CheckpointException e = assertThrows(CheckpointException.class, () -> target.load(file), text);
    assertEquals(Problem.CORRUPTED, e.problem(), e.getMessage());
    assertTrue(e.getMessage().contains(text), e.getMessage());
    before.assertUnchanged(target);
  }

  private void assertLoads(SpecInfo spec, Consumer<TestOptimizer> craft) throws IOException {
    TestOptimizer source = model(spec);
    craft.accept(source);
    Path file = dir.resolve("fine.ckpt");
    source.save(file);
    TestOptimizer target = model(spec);
    target.load(file);
    assertTrue(new Snapshot(target).sameAs(new Snapshot(source)));
  }

  private static void setStep(TestOptimizer optimizer, int tensor, long step) {
    optimizer.tensors().get(tensor).step = step;
  }

  private static void setProduct(TestOptimizer optimizer, int tensor, double product) {
    optimizer.tensors().get(tensor).carried[0] = product;
  }

  @Test
  void aStepCountThatCannotBeSteppedIsRefused() throws IOException {
    assertRefused(NADAM_LIKE, o -> setStep(o, 0, Long.MAX_VALUE), "tensor 0 step count");
    assertRefused(NADAM_LIKE, o -> setStep(o, 1, MAX_COUNT + 1), "tensor 1 step count");
    assertLoads(NADAM_LIKE, o -> setStep(o, 1, MAX_COUNT));
  }

  @Test
  void theOptimizersCountersMustBeCounts() throws IOException {
    assertRefused(NADAM_LIKE, o -> o.restoreCounters(Long.MAX_VALUE, 0), "step count");
    assertRefused(NADAM_LIKE, o -> o.restoreCounters(3, MAX_COUNT + 1), "skipped steps");
    assertLoads(NADAM_LIKE, o -> o.restoreCounters(3, 12));
  }

  @Test
  void aSchedulePositionMustBeACountAndNotAheadOfTheOptimizer() throws IOException {
    assertRefused(NADAM_LIKE, o -> setPosition(o.groups().get(1), Long.MAX_VALUE), "schedule position");
    // every finished step advances every group: no group can be ahead of the optimizer's count
    assertRefused(NADAM_LIKE, o -> setPosition(o.groups().get(1), 4),
        "group 1's schedule position 4 is ahead of the optimizer's 3 finished steps");
    assertLoads(NADAM_LIKE, o -> setPosition(o.groups().get(1), 2)); // a group added after a step
  }

  private static void setPosition(ParamGroup group, long position) {
    group.restore(group.hyperparameters(), group.schedule(), group.view(), position, group.stepped);
  }

  @Test
  void nadamsProductMustBeWhatSteppingCanMake() throws IOException {
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -1,
        1.0000000000000002, 1.5, -1e-300}) {
      assertRefused(NADAM_LIKE, o -> setProduct(o, 0, bad), "tensor 0 momentum product");
    }
    // before its first momentum step a tensor's Π is exactly 1 (tensor 2 has not stepped)
    assertRefused(NADAM_LIKE, o -> setProduct(o, 2, 0.5), "tensor 2 momentum product");
    assertRefused(NADAM_LIKE, o -> setProduct(o, 2, 0), "tensor 2 momentum product");
    // 0 is what Π underflows to after some 7,000 steps at β1 = 0.9: a stepped tensor may hold it
    assertLoads(NADAM_LIKE, o -> setProduct(o, 0, 0));
    assertLoads(NADAM_LIKE, o -> setProduct(o, 0, 0x1p-1074));
    assertLoads(NADAM_LIKE, o -> setProduct(o, 0, 1));
  }

  @Test
  void carriedValuesOfASpecWithoutNadamsProductNeedOnlyBeFinite() throws IOException {
    // the kernels carry a value named momentum_product, but a spec that does not read ψ is not
    // NAdam: only finiteness is known about it
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      assertRefused(WITHOUT_PI, o -> setProduct(o, 0, bad), "tensor 0 carried value momentum_product is " + bad);
    }
    assertLoads(WITHOUT_PI, o -> setProduct(o, 2, 0.5));
    assertLoads(WITHOUT_PI, o -> setProduct(o, 0, -3));
  }

  @Test
  void hyperparametersAreCheckedAsTheirSettersCheckThem() throws IOException {
    // ε = 0 gives 0/0 = NaN on a zero gradient; the setters refuse it, so must a load
    assertRefused(NADAM_LIKE, o -> o.groups().get(1).restore(TestOptimizer.H.withEps(0), LrSchedule.constant(),
        o.groups().get(1).view(), 3, true), "eps");
    // a learning rate that overflows the float kernels' arithmetic
    assertRefused(NADAM_LIKE, o -> o.defaultGroup().restore(TestOptimizer.H.withLr(1e40), LrSchedule.constant(),
        o.defaultGroup().view(), 3, true), "lr");
  }
}
