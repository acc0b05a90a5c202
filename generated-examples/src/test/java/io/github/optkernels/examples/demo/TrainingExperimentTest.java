package io.github.optkernels.examples.demo;

import static com.google.common.truth.Truth.assertThat;

import java.io.PrintStream;
import java.io.OutputStream;
import org.junit.jupiter.api.Test;

class TrainingExperimentTest {
  private static final Progress QUIET =
      new Progress(new PrintStream(OutputStream.nullOutputStream()), false, 80, System::nanoTime);
  private static final Digits.Split SPLIT = Digits.load()
      .split(TrainingExperiment.HELD_OUT_FRACTION, TrainingExperiment.SPLIT_SEED);

  @Test
  void everyOptimizerWithAndWithoutWarmupInEveryPrecision() {
    assertThat(TrainingExperiment.configs())
        .hasSize(TrainedOptimizer.values().length * 2 * Precision.values().length);
  }

  @Test
  void adamLearnsTheDigitsInAFewEpochs() {
    TrainingExperiment.Run run = TrainingExperiment.train(
        new TrainingExperiment.Config(TrainedOptimizer.ADAM, false, Precision.FP32), SPLIT, 8, QUIET);
    assertThat(run.heldOutAccuracy()).isGreaterThan(0.9);
    assertThat(run.trainLoss()).hasSize(9);
    assertThat(run.trainLoss().get(8)).isLessThan(run.trainLoss().get(0) / 5);
    assertThat(run.heldOutAccuracyByEpoch().get(8)).isEqualTo(run.heldOutAccuracy());
    assertThat(run.warmupSteps()).isEqualTo(0);
    assertThat(run.steps()).isEqualTo(8 * ((SPLIT.train().size() + 31) / 32));
  }

  @Test
  void aRunIsTheSameEveryTime() {
    TrainingExperiment.Config config =
        new TrainingExperiment.Config(TrainedOptimizer.NADAM, true, Precision.FP32);
    TrainingExperiment.Run first = TrainingExperiment.train(config, SPLIT, 2, QUIET);
    TrainingExperiment.Run second = TrainingExperiment.train(config, SPLIT, 2, QUIET);
    assertThat(second).isEqualTo(first);
    assertThat(first.warmupSteps()).isEqualTo(Math.round(0.1 * first.steps()));
  }
}
