package io.github.optkernels.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.translate.TranslateException;
import ai.djl.util.Pair;
import io.github.optkernels.djl.specs.AdaBelief;
import io.github.optkernels.djl.specs.DjlAdam;
import io.github.optkernels.djl.specs.RAdam;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * A real DJL model (an MLP on the digits the demo ships) trained through DJL's {@link Trainer}
 * on the PyTorch engine: with DJL's own Adam and with the optkernels optimizer of the spec that
 * matches it, the losses agree epoch by epoch to float32 rounding (measured: within 6e-7
 * relative over four epochs; asserted: 1e-5); RAdam, which DJL does not
 * have, and AdaBelief train the same model too.
 */
class TrainerTest {
  private static final String DIGITS = "/io/github/optkernels/examples/demo/digits.csv.gz";
  private static final int SAMPLES = 1536;
  private static final int FEATURES = 64;
  private static final int BATCH = 64;
  private static final int EPOCHS = 4;

  @Test
  void optkernelsAdamTrainsAsDjlsOwnAdamEpochByEpoch() throws Exception {
    float lr = 3e-3f;
    List<Float> djl = train(Optimizer.adam().optLearningRateTracker(Tracker.fixed(lr)).build());
    OptkernelsOptimizer optkernels = OptkernelsOptimizer.of(DjlAdam.builder().lr(lr).build());
    List<Float> ours = train(optkernels);
    assertEquals(EPOCHS, ours.size());
    for (int epoch = 0; epoch < EPOCHS; epoch++) {
      float relative = Math.abs(ours.get(epoch) - djl.get(epoch)) / djl.get(epoch);
      assertTrue(relative < 1e-5, "epoch " + epoch + ": optkernels " + ours.get(epoch) + ", DJL " + djl.get(epoch));
    }
    // the model learned something, so the comparison compares training, not two flat lines
    assertTrue(djl.get(EPOCHS - 1) < 0.5f * djl.get(0), djl.toString());
    // DJL's trainer's parameters were all written through views of the engine's memory
    assertTrue(optkernels.optimizer().tensorCount() >= 4);
    assertEquals(0, optkernels.parametersWrittenByAssignment());
  }

  @Test
  void radamAndAdaBeliefWhichDjlDoesNotHaveTrainTheSameModel() throws Exception {
    List<Float> radam = train(OptkernelsOptimizer.of(RAdam.builder().lr(1e-2).build()));
    // RAdam takes SGD steps until ρ_t > 5 and warms up slowly: it learns, more gently than Adam
    assertTrue(radam.get(EPOCHS - 1) < 0.75f * radam.get(0), radam.toString());
    List<Float> adaBelief = train(OptkernelsOptimizer.of(AdaBelief.builder().lr(3e-3).build()));
    assertTrue(adaBelief.get(EPOCHS - 1) < 0.5f * adaBelief.get(0), adaBelief.toString());
  }

  /** The mean training loss of each epoch; same data, same initial weights for every optimizer. */
  private static List<Float> train(Optimizer optimizer) throws IOException, TranslateException {
    Engine.getInstance().setRandomSeed(7);
    try (Model model = Model.newInstance("mlp"); NDManager manager = NDManager.newBaseManager()) {
      model.setBlock(mlp());
      ArrayDataset data = data(manager);
      DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(optimizer);
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(BATCH, FEATURES));
        initialise(model.getBlock());
        List<Float> losses = new ArrayList<>();
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
          float sum = 0;
          int batches = 0;
          for (Batch batch : trainer.iterateDataset(data)) {
            try (GradientCollector collector = trainer.newGradientCollector()) {
              NDList predictions = trainer.forward(batch.getData());
              NDArray loss = trainer.getLoss().evaluate(batch.getLabels(), predictions);
              collector.backward(loss);
              sum += loss.getFloat();
            }
            trainer.step();
            batches++;
            batch.close();
          }
          losses.add(sum / batches);
        }
        return losses;
      }
    }
  }

  private static Block mlp() {
    return new SequentialBlock()
        .add(Linear.builder().setUnits(32).build())
        .add(Activation::relu)
        .add(Linear.builder().setUnits(10).build());
  }

  /** Fixed initial weights, the same for every run whatever the engine's initialiser drew. */
  private static void initialise(Block block) {
    long seed = 11;
    for (Pair<String, Parameter> p : block.getParameters()) {
      NDArray array = p.getValue().getArray();
      float[] values = new float[(int) array.size()];
      SplittableRandom random = new SplittableRandom(seed++);
      for (int i = 0; i < values.length; i++) {
        values[i] = (float) ((2 * random.nextDouble() - 1) * 0.3);
      }
      array.set(values);
    }
  }

  /** The first {@value #SAMPLES} of the digits the demo ships: 8×8 pixels in [0, 1], ten classes. */
  private static ArrayDataset data(NDManager manager) throws IOException {
    float[] x = new float[SAMPLES * FEATURES];
    float[] y = new float[SAMPLES];
    try (InputStream in = TrainerTest.class.getResourceAsStream(DIGITS)) {
      if (in == null) {
        throw new IllegalStateException(DIGITS + " is not on the test class path");
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.US_ASCII));
      for (int s = 0; s < SAMPLES; s++) {
        String[] cells = reader.readLine().split(",");
        for (int f = 0; f < FEATURES; f++) {
          x[s * FEATURES + f] = Integer.parseInt(cells[f].trim()) / 16f;
        }
        y[s] = Integer.parseInt(cells[FEATURES].trim());
      }
    }
    return new ArrayDataset.Builder()
        .setData(manager.create(x, new Shape(SAMPLES, FEATURES)))
        .optLabels(manager.create(y, new Shape(SAMPLES)))
        .setSampling(BATCH, false)
        .build();
  }
}
