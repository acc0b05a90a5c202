package io.github.optkernels.examples.runtime;

import static com.google.common.truth.Truth.assertThat;

import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.ParamGroup;
import io.github.optkernels.runtime.StepOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Gradient release: stepping each tensor as soon as its gradient is ready (in any order), or
 * group by group, then {@code finishStep()}, is bit-identical to {@code step()}; and tensors
 * whose step counts diverge each end up exactly where stepping them alone would.
 */
class GradientReleaseTest {
  private static final int STEPS = 8;
  private static final StepOptions TWO_THREADS =
      StepOptions.defaults().withThreads(2).withChunkSize(16).withSerialThreshold(0);

  @Test
  void tensorByTensorAndGroupByGroupEqualAFullStepForEveryVariant() {
    int checked = 0;
    for (String variant : Variants.NAMES) {
      Tensors fullTensors = Variants.tensors(variant.hashCode() + 1);
      Tensors releasedTensors = fullTensors.copy();
      Tensors groupedTensors = fullTensors.copy();
      KernelOptimizer full = Variants.create(variant);
      KernelOptimizer released = Variants.create(variant);
      KernelOptimizer grouped = Variants.create(variant);
      fullTensors.registerIn(full);
      releasedTensors.registerIn(released);
      groupedTensors.registerIn(grouped);
      released.setStepOptions(TWO_THREADS);
      Random order = new Random(variant.hashCode());
      for (int s = 1; s <= STEPS; s++) {
        fullTensors.refreshGradients(s);
        full.step();

        // backward produces gradients last layer first: release each as it appears
        List<Integer> ready = new ArrayList<>();
        for (int k = 0; k < releasedTensors.params.size(); k++) {
          ready.add(k);
        }
        Collections.shuffle(ready, order);
        releasedTensors.refreshGradients(s);
        for (int k : ready) {
          released.stepTensor(releasedTensors.params.get(k));
        }
        released.finishStep();

        groupedTensors.refreshGradients(s);
        for (ParamGroup group : grouped.groups()) {
          grouped.stepGroup(group);
        }
        grouped.finishStep();
      }
      fullTensors.assertSameAs(full, releasedTensors, released, variant + " tensor by tensor");
      fullTensors.assertSameAs(full, groupedTensors, grouped, variant + " group by group");
      assertThat(released.stepCount()).isEqualTo(STEPS);
      assertThat(released.groups().get(1).schedulePosition()).isEqualTo(STEPS);
      checked++;
    }
    assertThat(checked).isEqualTo(10);
  }

  @Test
  void tensorsWhoseStepCountsDivergeEachMatchBeingSteppedAlone() {
    for (String variant : List.of("nadam", "radam", "amsgrad")) {
      // one optimizer: tensor 0 released an extra time before step 1, so it runs one step ahead
      Tensors both = new Tensors().add(false, 67, 0, 1).add(false, 33, 0, 2);
      KernelOptimizer together = Variants.create(variant);
      both.registerIn(together);
      // references: each tensor alone, with the same calls
      Tensors first = new Tensors().add(false, 67, 0, 1);
      Tensors second = new Tensors().add(false, 33, 0, 2);
      KernelOptimizer firstAlone = Variants.create(variant);
      KernelOptimizer secondAlone = Variants.create(variant);
      first.registerIn(firstAlone);
      second.registerIn(secondAlone);

      together.stepTensor(both.params.get(0));
      firstAlone.stepTensor(first.params.get(0));
      together.finishStep();
      firstAlone.finishStep();
      secondAlone.finishStep();
      for (int s = 0; s < STEPS; s++) {
        together.step(); // now prepares two step counts in one group
        firstAlone.step();
        secondAlone.step();
      }
      assertThat(together.stepCount(both.params.get(0))).isEqualTo(STEPS + 1);
      assertThat(together.stepCount(both.params.get(1))).isEqualTo(STEPS);
      Tensors bothFirst = new Tensors();
      bothFirst.params.add(both.params.get(0));
      bothFirst.grads.add(both.grads.get(0));
      bothFirst.groups.add(0);
      Tensors bothSecond = new Tensors();
      bothSecond.params.add(both.params.get(1));
      bothSecond.grads.add(both.grads.get(1));
      bothSecond.groups.add(0);
      bothFirst.assertSameAs(together, first, firstAlone, variant + " tensor ahead");
      bothSecond.assertSameAs(together, second, secondAlone, variant + " tensor behind");
    }
  }
}
