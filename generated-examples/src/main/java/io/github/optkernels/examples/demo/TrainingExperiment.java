package io.github.optkernels.examples.demo;

import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.LrSchedule;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Trains the same {@link Mlp} on {@link Digits} with every {@link TrainedOptimizer}, with and
 * without a linear warm-up ({@link LrSchedule#linearWarmup}), in every {@link Precision}: same initial weights, same held-out
 * split, same mini-batches in the same order, same peak learning rate, so the runs differ only in
 * the optimizer and the schedule. Every seed is fixed and each run is single-threaded, so the
 * results are the same on every run (and were bit-identical on JDK 17 and 25 on one machine; on
 * another platform Math.exp, tanh or pow may differ in the last bit). Runs go in parallel, one
 * per core.
 */
final class TrainingExperiment {
  static final int HIDDEN = 64;
  static final int BATCH = 32;
  /** One peak learning rate for every optimizer (the variants' own defaults are 1e-3 or 2e-3). */
  static final double LR = 3e-3;
  /** Warm-up length as a fraction of all steps (the "warmup ratio" of common trainers). */
  static final double WARMUP_FRACTION = 0.1;
  static final double HELD_OUT_FRACTION = 0.25;
  static final long SPLIT_SEED = 20_240_601L;
  static final long INIT_SEED = 7L;
  static final long SHUFFLE_SEED = 11L;

  /** One row of the training table. */
  record Config(TrainedOptimizer optimizer, boolean warmup, Precision precision) {
    String label() {
      return optimizer.displayName() + (warmup ? " + warmup" : "") + " " + precision.id();
    }
  }

  /**
   * One training run: final figures, and per-epoch curves whose entry 0 is the untrained network.
   */
  record Run(String optimizer, boolean warmup, String precision, long steps, long warmupSteps,
      double finalTrainLoss, double heldOutLoss, double heldOutAccuracy, List<Double> trainLoss,
      List<Double> heldOutAccuracyByEpoch) {}

  /** The whole experiment: the setup and one run per config. */
  record Result(int trainExamples, int heldOutExamples, String model, int parameters,
      int batchSize, int epochs, double lr, double warmupFraction, List<Run> runs) {}

  private TrainingExperiment() {}

  /** Every optimizer × {no warm-up, warm-up} × every precision, in table order. */
  static List<Config> configs() {
    List<Config> configs = new ArrayList<>();
    for (Precision precision : Precision.values()) {
      for (TrainedOptimizer optimizer : TrainedOptimizer.values()) {
        configs.add(new Config(optimizer, false, precision));
        configs.add(new Config(optimizer, true, precision));
      }
    }
    return configs;
  }

  static Result run(int epochs, Progress progress, String label) {
    Digits.Split split = Digits.load().split(HELD_OUT_FRACTION, SPLIT_SEED);
    List<Config> configs = configs();
    progress.start(label, (long) configs.size() * epochs);
    int threads = Math.max(1, Math.min(configs.size(), Runtime.getRuntime().availableProcessors()));
    ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
      Thread thread = new Thread(runnable, "demo-training");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<Run>> futures = new ArrayList<>();
      for (Config config : configs) {
        futures.add(pool.submit(() -> train(config, split, epochs, progress)));
      }
      List<Run> runs = new ArrayList<>();
      for (Future<Run> future : futures) {
        runs.add(future.get());
      }
      progress.finish();
      Mlp shape = new Mlp(HIDDEN, BATCH, INIT_SEED);
      return new Result(split.train().size(), split.heldOut().size(),
          Digits.FEATURES + "-" + HIDDEN + "-" + Digits.CLASSES + " tanh, softmax cross-entropy",
          shape.parameterCount(), BATCH, epochs, LR, WARMUP_FRACTION, runs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a training run failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The training loss and held-out accuracy of the model now, at the optimizer's evaluation point
   * (its parameters, except for schedule-free AdamW, whose x is put in for the evaluation and y put
   * back after it, bit for bit).
   */
  private static void evaluate(Mlp model, KernelOptimizer optimizer, Precision.Storage storage,
      Digits train, Digits heldOut, List<Double> trainLoss, List<Double> heldOutAccuracy) {
    TrainedOptimizer.useEvaluationPoint(optimizer);
    storage.beforeForward();
    trainLoss.add(model.evaluate(train).loss());
    heldOutAccuracy.add(model.evaluate(heldOut).accuracy());
    TrainedOptimizer.useTrainingPoint(optimizer);
  }

  /** Trains a fresh network with {@code config} for {@code epochs} epochs. */
  static Run train(Config config, Digits.Split split, int epochs, Progress progress) {
    Digits train = split.train();
    Mlp model = new Mlp(HIDDEN, BATCH, INIT_SEED);
    Precision.Storage storage = config.precision().storage(model);
    KernelOptimizer optimizer = storage.build(config.optimizer(), LR);
    long stepsPerEpoch = (train.size() + BATCH - 1) / BATCH;
    long steps = stepsPerEpoch * epochs;
    long warmupSteps = config.warmup() ? Math.max(1, Math.round(WARMUP_FRACTION * steps)) : 0;
    // the runtime's schedule object: the optimizer reads lr(t) itself each step, allocating nothing
    optimizer.setSchedule(warmupSteps > 0 ? LrSchedule.linearWarmup(warmupSteps) : LrSchedule.constant());

    List<Double> trainLoss = new ArrayList<>();
    List<Double> heldOutAccuracy = new ArrayList<>();
    evaluate(model, optimizer, storage, train, split.heldOut(), trainLoss, heldOutAccuracy);
    int[] order = new int[train.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    SplittableRandom shuffle = new SplittableRandom(SHUFFLE_SEED);
    for (int epoch = 1; epoch <= epochs; epoch++) {
      Digits.shuffle(order, shuffle);
      for (int from = 0; from < order.length; from += BATCH) {
        storage.beforeForward();
        model.lossAndGradient(train, order, from, Math.min(order.length, from + BATCH));
        storage.afterBackward();
        optimizer.step();
      }
      evaluate(model, optimizer, storage, train, split.heldOut(), trainLoss, heldOutAccuracy);
      progress.advance(1, config.label() + " epoch " + epoch + "/" + epochs);
    }
    TrainedOptimizer.useEvaluationPoint(optimizer);
    storage.beforeForward();
    Mlp.Evaluation heldOut = model.evaluate(split.heldOut());
    TrainedOptimizer.useTrainingPoint(optimizer);
    return new Run(config.optimizer().displayName(), config.warmup(), config.precision().id(), steps,
        warmupSteps, trainLoss.get(trainLoss.size() - 1), heldOut.loss(), heldOut.accuracy(),
        trainLoss, heldOutAccuracy);
  }
}
