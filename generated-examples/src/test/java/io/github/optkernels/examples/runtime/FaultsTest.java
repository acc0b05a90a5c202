package io.github.optkernels.examples.runtime;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.optkernels.examples.variants.AdamW;
import io.github.optkernels.examples.variants.NAdam;
import io.github.optkernels.examples.variants.RAdamWFullyDecoupled;
import io.github.optkernels.runtime.CheckpointException;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.LrSchedule;
import io.github.optkernels.runtime.NonFiniteGradientException;
import io.github.optkernels.runtime.NonFiniteGradients;
import io.github.optkernels.runtime.StepOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The faults of the issue on generated optimizers (the runtime module tests each in depth with
 * test kernels): every refusal throws the documented exception and leaves the optimizer
 * bit-identical to a twin that never saw the call.
 */
class FaultsTest {
  private static final StepOptions TWO_THREADS =
      StepOptions.defaults().withThreads(2).withChunkSize(64).withSerialThreshold(0);

  /** An AdamW with two groups and a schedule, 3 steps in, on 2 threads in small chunks. */
  private static KernelOptimizer adamW(Tensors tensors) {
    KernelOptimizer optimizer = AdamW.builder().lr(1e-3).weightDecay(0.1).build();
    optimizer.addGroup(optimizer.hyperparameters().withWeightDecay(0)).setSchedule(LrSchedule.linearWarmup(5));
    tensors.registerIn(optimizer);
    optimizer.setStepOptions(TWO_THREADS);
    for (int s = 1; s <= 3; s++) {
      tensors.refreshGradients(s);
      optimizer.step();
    }
    return optimizer;
  }

  private static Tensors tensors() {
    return new Tensors().add(false, 1001, 0, 1).add(true, 67, 1, 2).add(false, 4099, 0, 3).add(false, 3, 1, 4);
  }

  private static void assertSame(KernelOptimizer a, Tensors ta, KernelOptimizer b, Tensors tb, String what) {
    ta.assertSameAs(a, tb, b, what);
    assertThat(a.stepCount()).isEqualTo(b.stepCount());
    for (int g = 0; g < a.groups().size(); g++) {
      assertThat(a.groups().get(g).schedulePosition()).isEqualTo(b.groups().get(g).schedulePosition());
      assertThat(a.groups().get(g).hyperparameters()).isEqualTo(b.groups().get(g).hyperparameters());
    }
  }

  @Test
  void aNaNOrInfGradientIsRefusedOrSkippedAndNothingChanges() {
    for (NonFiniteGradients policy : new NonFiniteGradients[] {NonFiniteGradients.REFUSE, NonFiniteGradients.SKIP}) {
      Tensors mine = tensors();
      Tensors twins = mine.copy();
      KernelOptimizer optimizer = adamW(mine);
      KernelOptimizer twin = adamW(twins);
      optimizer.setStepOptions(optimizer.stepOptions().withNonFiniteGradients(policy));
      ((float[]) mine.grads.get(2))[4000] = Float.POSITIVE_INFINITY;
      ((double[]) mine.grads.get(1))[5] = Double.NaN;
      if (policy == NonFiniteGradients.REFUSE) {
        NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class, optimizer::step);
        assertThat(e.tensor()).isEqualTo(1); // the first bad tensor in registration order
        assertThat(e.index()).isEqualTo(5);
        assertThat(e).hasMessageThat().contains("tensor 1 (group 1, 67 elements) is NaN at index 5");
        assertThrows(NonFiniteGradientException.class, () -> optimizer.stepTensor(mine.params.get(2)));
      } else {
        optimizer.step();
        optimizer.stepTensor(mine.params.get(2));
        assertThat(optimizer.skippedSteps()).isEqualTo(2);
      }
      assertSame(optimizer, mine, twin, twins, policy.toString());
    }
  }

  @Test
  void invalidHyperparametersAreRefusedWhenSetAndNothingChanges() {
    assertThrows(IllegalArgumentException.class, () -> AdamW.builder().lr(-1e-3));
    assertThrows(IllegalArgumentException.class, () -> AdamW.builder().beta1(1.0));
    assertThrows(IllegalArgumentException.class, () -> AdamW.builder().beta2(1.2));
    assertThrows(IllegalArgumentException.class, () -> AdamW.builder().eps(-1e-8));
    Tensors mine = tensors();
    Tensors twins = mine.copy();
    KernelOptimizer optimizer = adamW(mine);
    KernelOptimizer twin = adamW(twins);
    var group = optimizer.groups().get(1);
    Executable[] refused = {
        () -> optimizer.setLr(-1),
        () -> group.setLr(Double.NaN),
        () -> group.setHyperparameters(group.hyperparameters().withBeta1(1.0)),
        () -> optimizer.setHyperparameters(optimizer.hyperparameters().withBeta2(1.0)),
        () -> group.setHyperparameters(group.hyperparameters().withEps(-1e-8)),
        () -> optimizer.setHyperparameters(optimizer.hyperparameters().withVarianceWarmupSteps(3)),
        () -> optimizer.addGroup(optimizer.hyperparameters().withMaxLr(1e-3)), // AdamW has no max_lr
    };
    for (Executable e : refused) {
      assertThrows(IllegalArgumentException.class, e);
    }
    assertThat(optimizer.groups()).hasSize(2);
    assertSame(optimizer, mine, twin, twins, "after refused changes");
  }

  @Test
  void checkpointsThatDoNotFitAreRefusedAndNothingChanges(@TempDir Path dir) throws Exception {
    Tensors saved = tensors();
    KernelOptimizer source = adamW(saved);
    Path file = dir.resolve("adamw.ckpt");
    source.save(file);
    byte[] bytes = Files.readAllBytes(file);

    Tensors mine = tensors();
    Tensors twins = mine.copy();
    KernelOptimizer target = adamW(mine);
    KernelOptimizer twin = adamW(twins);
    Path bad = dir.resolve("bad.ckpt");
    Files.write(bad, Arrays.copyOf(bytes, bytes.length - 100));
    assertThat(assertThrows(CheckpointException.class, () -> target.load(bad)).problem())
        .isEqualTo(CheckpointException.Problem.TRUNCATED);
    byte[] flipped = bytes.clone();
    flipped[bytes.length - 1000] ^= 0x10;
    Files.write(bad, flipped);
    assertThat(assertThrows(CheckpointException.class, () -> target.load(bad)).problem())
        .isEqualTo(CheckpointException.Problem.CORRUPTED);
    assertSame(target, mine, twin, twins, "after refused loads");

    KernelOptimizer nadam = NAdam.builder().build();
    nadam.addGroup(nadam.hyperparameters());
    mine.copy().registerIn(nadam);
    CheckpointException wrongSpec = assertThrows(CheckpointException.class, () -> nadam.load(file));
    assertThat(wrongSpec.problem()).isEqualTo(CheckpointException.Problem.WRONG_SPEC);
    assertThat(wrongSpec).hasMessageThat().contains("saved by AdamW");

    KernelOptimizer shorter = AdamW.builder().build();
    shorter.addGroup(shorter.hyperparameters());
    new Tensors().add(false, 1001, 0, 1).add(true, 67, 1, 2).add(false, 4098, 0, 3).add(false, 3, 1, 4)
        .registerIn(shorter);
    CheckpointException shape = assertThrows(CheckpointException.class, () -> shorter.load(file));
    assertThat(shape.problem()).isEqualTo(CheckpointException.Problem.SHAPE_MISMATCH);
    assertThat(shape).hasMessageThat().contains("tensor 2 has 4099 elements in the checkpoint but 4098 here");
    assertThat(shorter.stepCount()).isEqualTo(0);

    // and the good file loads, after all those refusals, to exactly the saved state
    target.load(file);
    saved.assertSameAs(source, mine, target, "loaded");
  }

  @Test
  void anUnsetMaxLrFollowsTheSchedulesPeak() {
    KernelOptimizer radamw = RAdamWFullyDecoupled.builder().lr(2e-3).build();
    assertThat(radamw.defaultGroup().maxLr()).isEqualTo(2e-3);
    radamw.setSchedule(LrSchedule.explicit(1e-3, 4e-3, 3e-3));
    assertThat(radamw.defaultGroup().maxLr()).isEqualTo(4e-3);
    radamw.setSchedule(LrSchedule.warmupCosine(10, 100, 0));
    assertThat(radamw.defaultGroup().maxLr()).isEqualTo(2e-3);
    assertThat(RAdamWFullyDecoupled.builder().lr(2e-3).maxLr(5e-3).build().defaultGroup().maxLr()).isEqualTo(5e-3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RAdamWFullyDecoupled.builder().lr(0).build());
    assertThat(e).hasMessageThat().contains("set maxLr(...)");
    assertThat(RAdamWFullyDecoupled.builder().lr(0).weightDecay(0).build().defaultGroup().maxLr()).isEqualTo(0.0);
  }
}
