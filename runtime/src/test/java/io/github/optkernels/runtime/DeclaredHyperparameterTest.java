package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.optkernels.runtime.CheckpointException.Problem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hyperparameter a spec declares beyond the built-in ones (here SGD's momentum) is held,
 * checked, set at run time, handed to {@code prepare} and saved in checkpoints like a built-in
 * one.
 */
class DeclaredHyperparameterTest {
  static final Hyperparameter MOMENTUM =
      Hyperparameter.declare("momentum", Hyperparameter.Domain.UNIT_INTERVAL, "momentum coefficient μ");
  static final SpecInfo SPEC = new SpecInfo("TestSgd", "test.TestSgdSpec", "rule=SGD", List.of("m"),
      Set.of(Hyperparameter.LR, Hyperparameter.BETA1, Hyperparameter.BETA2, Hyperparameter.EPS,
          Hyperparameter.VARIANCE_WARMUP_STEPS, MOMENTUM));
  static final Hyperparameters H = Hyperparameters.builder(List.of(MOMENTUM))
      .set(Hyperparameter.LR, 0.1).set(Hyperparameter.BETA1, 0.9).set(Hyperparameter.BETA2, 0.999)
      .set(Hyperparameter.EPS, 1e-8).set(Hyperparameter.EPS_ROOT, 0).set(Hyperparameter.WEIGHT_DECAY, 0)
      .set(Hyperparameter.MAX_LR, Double.NaN).set(Hyperparameter.MOMENTUM_DECAY, 0.004)
      .set(Hyperparameter.VARIANCE_WARMUP_STEPS, 0).set(MOMENTUM, 0.5)
      .build();

  @TempDir
  Path dir;

  /** {@code m ← μ·m + g, p ← p − lr·m} on {@code float[]}; μ read from the declared hyperparameter. */
  static final class MomentumKernel implements StepKernel {
    private float lr;
    private float momentum;
    private StepPhase phase;

    @Override
    public List<String> stateNames() {
      return List.of("m");
    }

    @Override
    public Class<?> bufferType() {
      return float[].class;
    }

    @Override
    public List<Class<?>> stateTypes() {
      return List.of(float[].class);
    }

    @Override
    public void prepare(long step, double[] carried, HyperparameterValues h) {
      lr = (float) h.lr();
      momentum = (float) h.value(MOMENTUM);
      phase = StepPhase.ADAPTIVE;
    }

    @Override
    public StepPhase phase() {
      return phase;
    }

    @Override
    public void update(Object param, Object grad, Object[] state, int from, int to) {
      float[] p = (float[]) param;
      float[] g = (float[]) grad;
      float[] m = (float[]) state[0];
      for (int i = from; i < to; i++) {
        m[i] = momentum * m[i] + g[i];
        p[i] -= lr * m[i];
      }
    }
  }

  static final class Sgd extends KernelOptimizer {
    Sgd(Hyperparameters h) {
      super(SPEC, h);
    }

    @Override
    protected StepKernel newKernel(Class<?> bufferType) {
      return bufferType == float[].class ? new MomentumKernel() : null;
    }
  }

  @Test
  void aDeclaredHyperparameterIsHeldAndCheckedByIdentity() {
    assertEquals(0.5, H.value(MOMENTUM));
    assertEquals(0.25, H.with(MOMENTUM, 0.25).value(MOMENTUM));
    assertEquals(0.5, H.value(MOMENTUM), "with returns a copy");
    assertEquals(Hyperparameter.BUILT_IN.size() + 1, H.hyperparameters().size());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> H.with(MOMENTUM, 1.5));
    assertEquals("momentum must be in [0, 1), got 1.5", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> TestOptimizer.H.with(MOMENTUM, 0.5));
    assertTrue(e.getMessage().startsWith("no hyperparameter momentum here"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Hyperparameters.builder(List.of(MOMENTUM)).set(Hyperparameter.LR, 0.1).build());
    assertEquals("beta1 is not set", e.getMessage());
  }

  @Test
  void aDeclarationMayNotReuseABuiltInNameOrBeNoName() {
    assertThrows(IllegalArgumentException.class,
        () -> Hyperparameter.declare("lr", Hyperparameter.Domain.NON_NEGATIVE, "again"));
    assertThrows(IllegalArgumentException.class,
        () -> Hyperparameter.declare("not a name", Hyperparameter.Domain.NON_NEGATIVE, "?"));
    assertThrows(IllegalArgumentException.class,
        () -> Hyperparameters.builder(List.of(MOMENTUM, MOMENTUM)));
  }

  @Test
  void anIntegerHyperparameterTakesWholeNumbersOnly() {
    Hyperparameter steps = Hyperparameter.declare("warmupSteps", Hyperparameter.Domain.COUNT, "warm-up length");
    assertTrue(steps.isInteger());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> steps.check(2.5));
    assertEquals("warmupSteps must be >= 0, got 2.5", e.getMessage());
    assertEquals(3.0, steps.check(3));
  }

  @Test
  void anOptimizerRefusesHyperparametersWithoutOneItsSpecReads() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sgd(TestOptimizer.H));
    assertTrue(e.getMessage().contains("reads the hyperparameter momentum"), e.getMessage());
  }

  @Test
  void prepareReadsTheGroupsValueSetAtRunTime() {
    Sgd optimizer = new Sgd(H);
    float[] p = {1};
    float[] g = {1};
    optimizer.add(p, g);
    optimizer.step(); // m = 1, p = 1 − 0.1
    optimizer.setHyperparameters(H.with(MOMENTUM, 0.25));
    optimizer.step(); // m = 0.25 + 1, p −= 0.1 · 1.25
    float m = 0.25f * 1f + 1f;
    assertEquals(1f - 0.1f * 1f - 0.1f * m, p[0]);
    Snapshot before = new Snapshot(optimizer);
    assertThrows(IllegalArgumentException.class, () -> optimizer.setHyperparameters(H.with(MOMENTUM, 0.5).with(
        Hyperparameter.BETA1, 0.9).with(Hyperparameter.LR, -1)));
    before.assertUnchanged(optimizer);
  }

  @Test
  void aCheckpointSavesItByNameAndRefusesAnOptimizerWithoutIt() throws IOException {
    Sgd saved = new Sgd(H.with(MOMENTUM, 0.75));
    saved.add(TestOptimizer.floats(3, 1), TestOptimizer.floats(3, 2));
    saved.step();
    Path file = dir.resolve("sgd.ckpt");
    saved.save(file);

    Sgd target = new Sgd(H);
    target.add(TestOptimizer.floats(3, 1), TestOptimizer.floats(3, 2));
    target.step(); // the same parameters as the saved run's (μ does not act on the first step)
    target.setHyperparameters(H.with(MOMENTUM, 0.125));
    target.load(file);
    assertEquals(0.75, target.hyperparameters().value(MOMENTUM));
    assertTrue(new Snapshot(target).sameAs(new Snapshot(saved)));

    // the same spec identity, but an optimizer whose group has no momentum: refused, unchanged
    SpecInfo withoutMomentum = new SpecInfo("TestSgd", "test.TestSgdSpec", "rule=SGD", List.of("m"),
        Set.of(Hyperparameter.LR, Hyperparameter.BETA1));
    KernelOptimizer other = new KernelOptimizer(withoutMomentum, TestOptimizer.H) {
      @Override
      protected StepKernel newKernel(Class<?> bufferType) {
        return new MomentumKernel();
      }
    };
    other.add(TestOptimizer.floats(3, 1), TestOptimizer.floats(3, 2));
    Snapshot before = new Snapshot(other);
    CheckpointException e = assertThrows(CheckpointException.class, () -> other.load(file));
    assertEquals(Problem.SHAPE_MISMATCH, e.problem());
    assertTrue(e.getMessage().contains("hyperparameter momentum in the checkpoint, which this optimizer does not have"),
        e.getMessage());
    before.assertUnchanged(other);

    // and the reverse: a file without it cannot fill it in
    Path plain = dir.resolve("plain.ckpt");
    other.save(plain);
    Sgd withIt = new Sgd(H);
    withIt.add(TestOptimizer.floats(3, 1), TestOptimizer.floats(3, 2));
    e = assertThrows(CheckpointException.class, () -> withIt.load(plain));
    assertEquals(Problem.SHAPE_MISMATCH, e.problem());
    assertTrue(e.getMessage().contains("no value for the hyperparameter momentum"), e.getMessage());
  }
}
