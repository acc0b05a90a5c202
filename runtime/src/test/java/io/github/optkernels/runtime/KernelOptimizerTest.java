package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The optimizer base: registration rules, stepping, state access, and refusals that change nothing. */
class KernelOptimizerTest {
  private static final SpecInfo SPEC = new SpecInfo("Sgd", "test.SgdSpec", "rule=SGD",
      List.of("count"), Set.of(Hyperparameter.LR, Hyperparameter.BETA1, Hyperparameter.BETA2,
          Hyperparameter.EPS, Hyperparameter.VARIANCE_WARMUP_STEPS));
  private static final Hyperparameters H = new Hyperparameters(0.5, 0.9, 0.999, 1e-8, 0, 0, Double.NaN, 0.004, 0);

  /** A generated optimizer in miniature: double[] buffers only. */
  private static final class Sgd extends KernelOptimizer {
    Sgd(Hyperparameters h) {
      super(SPEC, h);
    }

    @Override
    protected StepKernel newKernel(Class<?> bufferType) {
      return bufferType == double[].class ? new CountingKernel() : null;
    }
  }

  @Test
  void stepUpdatesEveryTensorInPlaceAndCountsSteps() {
    Sgd sgd = new Sgd(H);
    double[] p1 = {1, 2, 3};
    double[] g1 = {1, 1, 1};
    double[] p2 = {10};
    double[] g2 = {4};
    sgd.add(p1, g1).add(p2, g2);
    sgd.step();
    sgd.step();
    assertArrayEquals(new double[] {0, 1, 2}, p1);
    assertArrayEquals(new double[] {6}, p2);
    assertEquals(2, sgd.stepCount());
    assertEquals(2, sgd.stepCount(p1));
    assertArrayEquals(new double[] {2, 2, 2}, (double[]) sgd.state(p1, "count"));
    assertEquals(2, sgd.tensorCount());
  }

  @Test
  void aTensorAddedLaterStartsAtStepOne() {
    Sgd sgd = new Sgd(H);
    double[] p1 = {1};
    sgd.add(p1, new double[] {1});
    sgd.step();
    double[] p2 = {1};
    sgd.add(p2, new double[] {1});
    sgd.step();
    assertEquals(2, sgd.stepCount(p1));
    assertEquals(1, sgd.stepCount(p2));
  }

  @Test
  void lengthsMustMatch() {
    Sgd sgd = new Sgd(H);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> sgd.add(new double[3], new double[4]));
    assertEquals("param has 3 elements but grad has 4", e.getMessage());
    assertEquals(0, sgd.tensorCount());
  }

  @Test
  void aBufferCannotBeRegisteredTwice() {
    Sgd sgd = new Sgd(H);
    double[] p = new double[2];
    double[] g = new double[2];
    sgd.add(p, g);
    assertThrows(IllegalArgumentException.class, () -> sgd.add(p, new double[2]));
    assertThrows(IllegalArgumentException.class, () -> sgd.add(new double[2], g));
    IllegalArgumentException asGrad = assertThrows(IllegalArgumentException.class,
        () -> sgd.add(new double[2], p));
    assertTrue(asGrad.getMessage().contains("as a parameter"), asGrad.getMessage());
    assertThrows(IllegalArgumentException.class, () -> sgd.add(new double[2], new double[2]).add(p, p));
    assertEquals(2, sgd.tensorCount());
  }

  /**
   * The optimizer's own state arrays are not buffers a caller may hand back: a moment registered
   * as a parameter or a gradient would be overwritten by the step that reads it.
   */
  @Test
  void theOptimizersOwnStateArraysCannotBeRegistered() {
    Sgd sgd = new Sgd(H);
    double[] p = new double[2];
    sgd.add(p, new double[2]);
    double[] count = (double[]) sgd.state(p, "count");
    ParamGroup other = sgd.addGroup(H);
    Snapshot before = new Snapshot(sgd);
    IllegalArgumentException asParam = assertThrows(IllegalArgumentException.class,
        () -> sgd.add(count, new double[2]));
    assertTrue(asParam.getMessage().contains("state array 'count' of tensor 0"), asParam.getMessage());
    IllegalArgumentException asGrad = assertThrows(IllegalArgumentException.class,
        () -> sgd.add(new double[2], count));
    assertTrue(asGrad.getMessage().contains("state array 'count' of tensor 0"), asGrad.getMessage());
    assertThrows(IllegalArgumentException.class, () -> other.add(new double[2], count));
    assertEquals(1, sgd.tensorCount());
    before.assertUnchanged(sgd);
    sgd.step();
    assertArrayEquals(new double[] {1, 1}, count);
  }

  @Test
  void aPrecisionTheSpecDidNotGenerateIsRejectedByName() {
    Sgd sgd = new Sgd(H);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> sgd.add(new float[2], new float[2]));
    assertTrue(e.getMessage().contains("float[]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> sgd.add(new double[2], new float[2]));
    assertEquals(0, sgd.tensorCount());
  }

  @Test
  void unknownStateAndUnknownParametersAreNamedErrors() {
    Sgd sgd = new Sgd(H);
    double[] p = new double[2];
    sgd.add(p, new double[2]);
    assertTrue(assertThrows(IllegalArgumentException.class, () -> sgd.state(p, "exp_avg"))
        .getMessage().contains("[count]"));
    assertThrows(IllegalArgumentException.class, () -> sgd.state(new double[2], "count"));
  }

  @Test
  void theWarmupLengthIsFixedOnceSteppingStartedAndARefusalChangesNothing() {
    Sgd sgd = new Sgd(H);
    sgd.setHyperparameters(H.withVarianceWarmupSteps(3)); // before the first step: fine
    sgd.add(new double[1], new double[1]);
    sgd.step();
    Hyperparameters before = sgd.hyperparameters();
    assertThrows(IllegalArgumentException.class, () -> sgd.setHyperparameters(before.withVarianceWarmupSteps(4)));
    assertSame(before, sgd.hyperparameters());
    sgd.setHyperparameters(before.withLr(0.1));
    assertEquals(0.1, sgd.hyperparameters().lr());
  }

  @Test
  void aNegativeLearningRateIsRefusedAndTheOldOneKept() {
    Sgd sgd = new Sgd(H);
    assertThrows(IllegalArgumentException.class, () -> sgd.setLr(-1));
    assertEquals(0.5, sgd.hyperparameters().lr());
  }

  @Test
  void theMomentumProductIsCarriedFromStepToStep() {
    CountingKernel kernel = new CountingKernel();
    KernelOptimizer sgd = new KernelOptimizer(SPEC, H) {
      @Override
      protected StepKernel newKernel(Class<?> bufferType) {
        return kernel;
      }
    };
    sgd.add(new double[1], new double[1]);
    sgd.step();
    assertEquals(1.0, kernel.lastMomentumProduct); // NAdam's Π starts at 1
    sgd.step();
    sgd.step();
    // CountingKernel halves the product each step; the optimizer must hand back the new value
    assertEquals(0.25, kernel.lastMomentumProduct);
    assertEquals(3, kernel.lastStep);
  }

  @Test
  void specInfoRejectsHyperparametersTheSpecWouldIgnore() {
    assertThrows(IllegalArgumentException.class, () -> new Sgd(H.withWeightDecay(0.1)));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(H.withEpsRoot(1e-8)));
    assertThrows(IllegalArgumentException.class, () -> new Sgd(H.withMaxLr(1e-3)));
    SpecInfo fullyDecoupled = new SpecInfo("F", "t.F", "", List.of(), Set.of(Hyperparameter.WEIGHT_DECAY,
        Hyperparameter.MAX_LR));
    fullyDecoupled.check(H.withMaxLr(1e-3).withWeightDecay(0.1));
    // an unset maxLr is no longer the spec's business: a group resolves it to its schedule's peak
    fullyDecoupled.check(H.withWeightDecay(0.1));
  }

  @Test
  void anUnsetMaxLrIsTheSchedulesPeakAndAZeroPeakWithDecayIsRefused() {
    SpecInfo fullyDecoupled = new SpecInfo("F", "t.F", "decay=FULLY_DECOUPLED", List.of("count"),
        Set.of(Hyperparameter.LR, Hyperparameter.WEIGHT_DECAY, Hyperparameter.MAX_LR));
    class F extends KernelOptimizer {
      F(Hyperparameters h) {
        super(fullyDecoupled, h);
      }

      @Override
      protected StepKernel newKernel(Class<?> bufferType) {
        return new CountingKernel();
      }
    }
    F f = new F(H.withWeightDecay(0.1));
    assertEquals(0.5, f.defaultGroup().maxLr());
    f.setSchedule(LrSchedule.explicit(0.1, 0.3, 0.2));
    assertEquals(0.3, f.defaultGroup().maxLr());
    f.setHyperparameters(f.hyperparameters().withMaxLr(2.0));
    assertEquals(2.0, f.defaultGroup().maxLr());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new F(H.withWeightDecay(0.1).withLr(0)));
    assertTrue(e.getMessage().contains("peak learning rate, which is 0"), e.getMessage());
    new F(H.withLr(0)); // without decay, max_lr is never read
  }

  /** A 16-bit kernel keeps float32 moments next to a short[] Kahan buffer: one type per slot. */
  @Test
  void eachStateSlotIsAllocatedWithItsOwnType() {
    StepKernel mixed = new CountingKernel() {
      @Override
      public List<String> stateNames() {
        return List.of("count", "kahan_comp");
      }

      @Override
      public List<Class<?>> stateTypes() {
        return List.of(double[].class, short[].class);
      }

      @Override
      public HalfFormat halfFormat() {
        return HalfFormat.BF16;
      }
    };
    KernelOptimizer optimizer = new KernelOptimizer(SPEC, H) {
      @Override
      protected StepKernel newKernel(Class<?> bufferType) {
        return mixed;
      }
    };
    double[] p = new double[3];
    optimizer.add(p, new double[3]);
    assertEquals(List.of("count", "kahan_comp"), optimizer.stateNames(p));
    assertEquals(3, ((double[]) optimizer.state(p, "count")).length);
    assertEquals(3, ((short[]) optimizer.state(p, "kahan_comp")).length);
  }

  @Test
  void kernelChecksNameWhatIsWrong() {
    assertThrows(IllegalArgumentException.class, () -> KernelChecks.checkStep(0));
    assertThrows(IllegalStateException.class, () -> KernelChecks.checkPrepared(null));
    assertEquals("exp_avg has 3 elements but param has 4", assertThrows(IllegalArgumentException.class,
        () -> KernelChecks.checkLength("exp_avg", 3, 4)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> KernelChecks.checkRange(4, 3, 2));
    assertThrows(IllegalArgumentException.class, () -> KernelChecks.checkRange(4, -1, 2));
    assertThrows(IllegalArgumentException.class, () -> KernelChecks.checkRange(4, 0, 5));
    KernelChecks.checkRange(4, 4, 4);
    assertThrows(IllegalArgumentException.class, () -> KernelChecks.checkStateCount(1, 2));
  }
}
