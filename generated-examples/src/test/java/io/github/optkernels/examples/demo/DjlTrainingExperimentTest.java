package io.github.optkernels.examples.demo;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import io.github.optkernels.examples.demo.DjlTrainingExperiment.Result;
import io.github.optkernels.examples.demo.DjlTrainingExperiment.Run;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo's DJL part on DJL's real PyTorch engine (CPU, offline): through DJL's {@code Trainer},
 * optkernels' {@code DjlAdam} has the losses of DJL's own Adam epoch by epoch to float32 rounding
 * (measured: within 6e-7 relative; asserted: 1e-5), every parameter's new values reach the
 * engine's tensors without an indexed assignment, and RAdam, AdaBelief and Adam with bf16 weights,
 * which DJL does not have, learn the same model.
 */
class DjlTrainingExperimentTest {
  private static final int EPOCHS = 4;
  private static Result result;

  @BeforeAll
  static void train() {
    result = DjlTrainingExperiment.run(EPOCHS,
        new Progress(new PrintStream(OutputStream.nullOutputStream()), false, 80, System::nanoTime), "djl");
  }

  private static List<Double> losses(String optimizer) {
    for (Run run : result.losses()) {
      if (run.optimizer().equals(optimizer)) {
        assertThat(run.losses()).hasSize(EPOCHS);
        return run.losses();
      }
    }
    throw new AssertionError("no run of " + optimizer + " in " + result.losses());
  }

  @Test
  void optkernelsDjlAdamTrainsAsDjlsOwnAdamEpochByEpoch() {
    List<Double> djl = losses("DJL Adam");
    List<Double> ours = losses("optkernels DjlAdam");
    for (int epoch = 0; epoch < EPOCHS; epoch++) {
      double relative = Math.abs(ours.get(epoch) - djl.get(epoch)) / djl.get(epoch);
      assertWithMessage("epoch %s: optkernels %s, DJL %s", epoch, ours.get(epoch), djl.get(epoch))
          .that(relative).isLessThan(1e-5);
    }
    assertThat(result.adamAgreement()).isLessThan(1e-5);
    // the model learned something, so the comparison compares training, not two flat lines
    assertWithMessage("%s", djl).that(djl.get(EPOCHS - 1)).isLessThan(0.5 * djl.get(0));
    assertThat(result.parameters()).isAtLeast(4);
    assertThat(result.writtenByAssignment()).isEqualTo(0);
  }

  @Test
  void radamAndAdaBeliefWhichDjlDoesNotHaveTrainTheSameModel() {
    List<Double> radam = losses("optkernels RAdam");
    // RAdam takes SGD steps until ρ_t > 5 and warms up slowly: it learns, more gently than Adam
    assertWithMessage("%s", radam).that(radam.get(EPOCHS - 1)).isLessThan(0.75 * radam.get(0));
    List<Double> adaBelief = losses("optkernels AdaBelief");
    assertWithMessage("%s", adaBelief).that(adaBelief.get(EPOCHS - 1)).isLessThan(0.5 * adaBelief.get(0));
  }

  /**
   * DJL's CPU engine cannot hold bf16 tensors, so the bf16 runs keep bf16 values in the float32
   * weights ({@code ParameterMemory.BF16_COPIES}). Kahan-compensated, the same Adam trains as it
   * does in float32 (measured: within 5e-4 relative each epoch); rounding each update to nearest
   * drifts away several times further (measured: 1.2e-2 by the fourth epoch).
   */
  @Test
  void bf16WeightsWithKahanCompensationTrainAsFloat32Does() {
    List<Double> float32 = losses("optkernels DjlAdam");
    List<Double> kahan = losses("optkernels DjlAdam bf16 + Kahan");
    List<Double> nearest = losses("optkernels DjlAdam bf16, nearest");
    double kahanDrift = 0;
    double nearestDrift = 0;
    for (int epoch = 0; epoch < EPOCHS; epoch++) {
      kahanDrift = Math.max(kahanDrift, Math.abs(kahan.get(epoch) - float32.get(epoch)) / float32.get(epoch));
      nearestDrift = Math.max(nearestDrift, Math.abs(nearest.get(epoch) - float32.get(epoch)) / float32.get(epoch));
    }
    assertWithMessage("bf16 + Kahan %s against float32 %s", kahan, float32).that(kahanDrift).isLessThan(2e-3);
    assertWithMessage("bf16 nearest %s, bf16 + Kahan %s", nearest, kahan).that(nearestDrift).isGreaterThan(3 * kahanDrift);
    assertWithMessage("%s", kahan).that(kahan.get(EPOCHS - 1)).isLessThan(0.5 * kahan.get(0));
    assertThat(result.bf16()).contains("BF16_COPIES");
  }

  @Test
  void itSaysHowItReachedTheEnginesMemoryAsThisJvmDoes() {
    assertThat(result.parameterMemory()).isEqualTo(Runtime.version().feature() >= 22
        && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
        ? "in place in the engine's memory"
        : "as heap copies (this JVM steps off-heap memory through a chunk copy)");
  }
}
