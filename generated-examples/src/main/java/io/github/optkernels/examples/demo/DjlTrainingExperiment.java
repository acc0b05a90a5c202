package io.github.optkernels.examples.demo;

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
import io.github.optkernels.djl.OptkernelsOptimizer;
import io.github.optkernels.djl.ParameterMemory;
import io.github.optkernels.examples.variants.AdaBeliefAdam;
import io.github.optkernels.examples.variants.RAdam;
import io.github.optkernels.runtime.BufferFormat;
import io.github.optkernels.runtime.OffHeap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The digits MLP trained through a real DJL {@link Trainer} on the PyTorch engine (CPU, offline):
 * with DJL's own Adam, with optkernels' {@code DjlAdam} (the spec of DJL's Adam) through
 * {@link OptkernelsOptimizer}, and with optkernels' RAdam and AdaBelief and DjlAdam with bf16
 * weights, Kahan-compensated or rounded to nearest, which DJL does not have.
 * Same data, same initial weights, same batches; the first two runs' epoch losses agree to
 * float32 rounding. The engine's native library comes from the {@code pytorch-native-cpu} jar
 * next to the demo's jar ({@code djl-lib/}, on its manifest class path); nothing is downloaded.
 */
final class DjlTrainingExperiment {
  static final int SAMPLES = 1536;
  static final int BATCH = 64;
  static final int HIDDEN = 32;
  static final float LR = 3e-3f;

  /**
   * @param epochs epochs of each run
   * @param losses each run's mean training loss per epoch, by optimizer
   * @param adamAgreement the largest relative difference between DJL's Adam and optkernels'
   *     DjlAdam over the epochs' losses
   * @param parameters the model's parameter tensors
   * @param parameterMemory how optkernels reached them in this JVM: in place in the engine's memory
   *     (JDK 22+ with the Vector API) or as heap copies ({@code ParameterMemory.FASTEST})
   * @param writtenByAssignment parameters whose new values had to be written by an indexed
   *     assignment (no writable view of their memory)
   * @param bf16 how the bf16 runs hold the model's weights
   */
  record Result(int epochs, int samples, int batchSize, double lr, List<Run> losses, double adamAgreement,
      int parameters, String parameterMemory, int writtenByAssignment, String bf16) {}

  record Run(String optimizer, List<Double> losses) {}

  private DjlTrainingExperiment() {}

  static Result run(int epochs, Progress progress, String label) {
    // the engine's native library is on the class path: never look for it on the network
    System.setProperty("ai.djl.offline", "true");
    Digits digits = Digits.load();
    progress.start(label, 6L * epochs);
    try {
      List<Run> runs = new ArrayList<>();
      runs.add(new Run("DJL Adam", train("DJL Adam", Optimizer.adam().optLearningRateTracker(Tracker.fixed(LR))
          .build(), digits, epochs, progress)));
      OptkernelsOptimizer adam = OptkernelsOptimizer.of(DjlAdam.builder().lr(LR).build());
      runs.add(new Run("optkernels DjlAdam", train("optkernels DjlAdam", adam, digits, epochs, progress)));
      runs.add(new Run("optkernels RAdam", train("optkernels RAdam",
          OptkernelsOptimizer.of(RAdam.builder().lr(1e-2).build()), digits, epochs, progress)));
      // AdaBelief as its paper's Adam-like form (adabelief-pytorch's rectify=False): the rectified
      // default, like RAdam, takes SGD steps at first and learns little in a few epochs
      runs.add(new Run("optkernels AdaBelief", train("optkernels AdaBelief",
          OptkernelsOptimizer.of(AdaBeliefAdam.builder().lr(LR).build()), digits, epochs, progress)));
      // DJL's CPU engine cannot hold bf16 tensors: the float32 weights hold bf16 values instead,
      // stepped as bf16 bits by the same Adam, with and without Kahan compensation
      runs.add(new Run("optkernels DjlAdam bf16 + Kahan", train("optkernels DjlAdam bf16 + Kahan",
          OptkernelsOptimizer.of(DjlAdamBf16Kahan.builder().lr(LR).build(), ParameterMemory.BF16_COPIES), digits,
          epochs, progress)));
      runs.add(new Run("optkernels DjlAdam bf16, nearest", train("optkernels DjlAdam bf16, nearest",
          OptkernelsOptimizer.of(DjlAdamBf16Nearest.builder().lr(LR).build(), ParameterMemory.BF16_COPIES), digits,
          epochs, progress)));
      double agreement = 0;
      for (int e = 0; e < epochs; e++) {
        double djl = runs.get(0).losses().get(e);
        agreement = Math.max(agreement, Math.abs(runs.get(1).losses().get(e) - djl) / djl);
      }
      String memory = OffHeap.stepsInPlace(adam.optimizer(), BufferFormat.FLOAT32)
          ? "in place in the engine's memory" : "as heap copies (this JVM steps off-heap memory through a chunk copy)";
      return new Result(epochs, SAMPLES, BATCH, LR, runs, agreement, adam.optimizer().tensorCount(), memory,
          adam.parametersWrittenByAssignment(),
          "DJL 0.36's PyTorch engine ends the JVM when it creates a bf16 tensor on the CPU, so the model's float32"
              + " weights hold bf16 values, stepped as bf16 bits (ParameterMemory.BF16_COPIES)");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (TranslateException e) {
      throw new IllegalStateException("DJL could not train the digits model", e);
    } finally {
      progress.finish();
    }
  }

  /** The mean training loss of each epoch; same data, same initial weights for every optimizer. */
  private static List<Double> train(String name, Optimizer optimizer, Digits digits, int epochs, Progress progress)
      throws IOException, TranslateException {
    Engine.getInstance().setRandomSeed(7);
    try (Model model = Model.newInstance("mlp"); NDManager manager = NDManager.newBaseManager()) {
      model.setBlock(mlp());
      ArrayDataset data = data(manager, digits);
      DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(optimizer);
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(BATCH, Digits.FEATURES));
        initialise(model.getBlock());
        List<Double> losses = new ArrayList<>();
        for (int epoch = 0; epoch < epochs; epoch++) {
          double sum = 0;
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
          progress.advance(1, name + ", epoch " + (epoch + 1));
        }
        return losses;
      }
    }
  }

  private static Block mlp() {
    return new SequentialBlock()
        .add(Linear.builder().setUnits(HIDDEN).build())
        .add(Activation::relu)
        .add(Linear.builder().setUnits(Digits.CLASSES).build());
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

  /** The first {@value #SAMPLES} digits, in the order they are shipped, in batches of {@value #BATCH}. */
  private static ArrayDataset data(NDManager manager, Digits digits) {
    float[] x = new float[SAMPLES * Digits.FEATURES];
    float[] y = new float[SAMPLES];
    System.arraycopy(digits.x(), 0, x, 0, x.length);
    for (int s = 0; s < SAMPLES; s++) {
      y[s] = digits.y()[s];
    }
    return new ArrayDataset.Builder()
        .setData(manager.create(x, new Shape(SAMPLES, Digits.FEATURES)))
        .optLabels(manager.create(y, new Shape(SAMPLES)))
        .setSampling(BATCH, false)
        .build();
  }
}
