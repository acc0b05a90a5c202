package io.github.optkernels.examples.demo;

import io.github.optkernels.cluster.GradientReduction;
import io.github.optkernels.cluster.ShardedOptimizer;
import io.github.optkernels.examples.cluster.LocalMembers;
import io.github.optkernels.examples.variants.AdamW;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.LrSchedule;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The digits MLP trained data-parallel: {@value #WORKERS} workers, each on its own copy of the
 * model and half of every mini-batch, with AdamW's state sharded across {@value #MEMBERS}
 * Hazelcast members in this JVM ({@link ShardedOptimizer}, gradients averaged); and the same
 * training in one process: the same two half-batch gradients, averaged the same way
 * ({@code (g_0 + g_1) / 2} in float32), stepped by the single-process {@code AdamW}. The final
 * losses are equal to the bit: the cluster changes where the optimizer runs, not what it computes.
 * Mini-batches of {@link TrainingExperiment#BATCH}; the last, partial one of an epoch is dropped,
 * so that both halves hold examples.
 */
public final class DataParallelTraining {
  static final int WORKERS = 2;
  static final int MEMBERS = 3;
  static final int HALF = TrainingExperiment.BATCH / 2;

  /** Final figures of both runs. */
  public record Result(int epochs, long steps, double singleProcessLoss, double clusterLoss,
      double singleProcessAccuracy, double clusterAccuracy, long clusterMillis, long gradientBytesPerStep) {
    public boolean identical() {
      return Double.doubleToRawLongBits(singleProcessLoss) == Double.doubleToRawLongBits(clusterLoss)
          && Double.doubleToRawLongBits(singleProcessAccuracy) == Double.doubleToRawLongBits(clusterAccuracy);
    }
  }

  private DataParallelTraining() {}

  /** Trains both ways for {@code epochs} epochs and prints what it finds. */
  public static Result run(int epochs, PrintStream out) {
    Digits.Split split = Digits.load().split(TrainingExperiment.HELD_OUT_FRACTION, TrainingExperiment.SPLIT_SEED);
    Digits train = split.train();
    long steps = (long) (train.size() / TrainingExperiment.BATCH) * epochs;
    long warmup = Math.max(1, Math.round(TrainingExperiment.WARMUP_FRACTION * steps));
    Supplier<KernelOptimizer> factory = () -> {
      AdamW adamW = AdamW.builder().lr(TrainingExperiment.LR).build();
      adamW.setSchedule(LrSchedule.linearWarmup(warmup));
      return adamW;
    };
    out.printf("data-parallel digits MLP: AdamW, %d epochs of %d steps, %d workers × %d examples per step%n",
        epochs, steps / epochs, WORKERS, HALF);

    Mlp single = singleProcess(factory.get(), split, epochs);
    Mlp.Evaluation singleTrain = single.evaluate(train);
    Mlp.Evaluation singleHeldOut = single.evaluate(split.heldOut());

    long start = System.nanoTime();
    Mlp[] models;
    long bytesPerStep;
    long millis;
    try (LocalMembers members = LocalMembers.start(MEMBERS, 1)) {
      out.printf("started %d Hazelcast members in this JVM in %d ms (TCP on 127.0.0.1, one backup per shard)%n",
          MEMBERS, (System.nanoTime() - start) / 1_000_000);
      start = System.nanoTime();
      models = new Mlp[WORKERS];
      ShardedOptimizer[] optimizers = new ShardedOptimizer[WORKERS];
      for (int r = 0; r < WORKERS; r++) {
        models[r] = new Mlp(TrainingExperiment.HIDDEN, TrainingExperiment.BATCH, TrainingExperiment.INIT_SEED);
        optimizers[r] = ShardedOptimizer.builder(members.get(r), "digits-mlp", factory)
            .workers(WORKERS).rank(r).reduction(GradientReduction.MEAN).build();
        List<float[]> params = models[r].parameters();
        List<float[]> grads = models[r].gradients();
        for (int i = 0; i < params.size(); i++) {
          optimizers[r].add(params.get(i), grads.get(i));
        }
      }
      ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int r = 0; r < WORKERS; r++) {
          int rank = r;
          futures.add(pool.submit(() -> worker(models[rank], optimizers[rank], rank, train, epochs)));
        }
        for (Future<?> future : futures) {
          future.get();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("a worker failed: " + e.getCause(), e.getCause());
      } finally {
        pool.shutdownNow();
      }
      millis = (System.nanoTime() - start) / 1_000_000;
      bytesPerStep = optimizers[0].gradientBytesSent() / steps;
      optimizers[0].destroy();
    }
    Mlp.Evaluation clusterTrain = models[0].evaluate(train);
    Mlp.Evaluation clusterHeldOut = models[0].evaluate(split.heldOut());
    Result result = new Result(epochs, steps, singleTrain.loss(), clusterTrain.loss(), singleHeldOut.accuracy(),
        clusterHeldOut.accuracy(), millis, bytesPerStep);
    out.printf("  single process:           final training loss %.17g (bits %016x), held-out accuracy %.4f%n",
        singleTrain.loss(), Double.doubleToRawLongBits(singleTrain.loss()), singleHeldOut.accuracy());
    out.printf("  %d members, %d workers:    final training loss %.17g (bits %016x), held-out accuracy %.4f%n",
        MEMBERS, WORKERS, clusterTrain.loss(), Double.doubleToRawLongBits(clusterTrain.loss()),
        clusterHeldOut.accuracy());
    out.printf("  %s; %d sharded steps in %d ms, %d gradient bytes per worker and step%n",
        result.identical() ? "identical to the bit" : "DIFFERENT", steps, millis, bytesPerStep);
    return result;
  }

  /** One worker: its half of every mini-batch, then the sharded step. */
  private static Void worker(Mlp model, ShardedOptimizer optimizer, int rank, Digits train, int epochs) {
    int[] order = identity(train.size());
    SplittableRandom shuffle = new SplittableRandom(TrainingExperiment.SHUFFLE_SEED);
    for (int epoch = 0; epoch < epochs; epoch++) {
      Digits.shuffle(order, shuffle);
      for (int from = 0; from + TrainingExperiment.BATCH <= order.length; from += TrainingExperiment.BATCH) {
        int mine = from + rank * HALF;
        model.lossAndGradient(train, order, mine, mine + HALF);
        optimizer.step();
      }
    }
    return null;
  }

  /** The same training in one process: both halves' gradients, averaged as the owners do, one step. */
  private static Mlp singleProcess(KernelOptimizer optimizer, Digits.Split split, int epochs) {
    Digits train = split.train();
    Mlp model = new Mlp(TrainingExperiment.HIDDEN, TrainingExperiment.BATCH, TrainingExperiment.INIT_SEED);
    List<float[]> params = model.parameters();
    List<float[]> grads = model.gradients();
    List<float[]> first = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      optimizer.add(params.get(i), grads.get(i));
      first.add(new float[grads.get(i).length]);
    }
    int[] order = identity(train.size());
    SplittableRandom shuffle = new SplittableRandom(TrainingExperiment.SHUFFLE_SEED);
    for (int epoch = 0; epoch < epochs; epoch++) {
      Digits.shuffle(order, shuffle);
      for (int from = 0; from + TrainingExperiment.BATCH <= order.length; from += TrainingExperiment.BATCH) {
        model.lossAndGradient(train, order, from, from + HALF);
        for (int i = 0; i < grads.size(); i++) {
          System.arraycopy(grads.get(i), 0, first.get(i), 0, grads.get(i).length);
        }
        model.lossAndGradient(train, order, from + HALF, from + 2 * HALF);
        for (int i = 0; i < grads.size(); i++) {
          float[] g = grads.get(i);
          float[] g0 = first.get(i);
          for (int j = 0; j < g.length; j++) {
            g[j] = (g0[j] + g[j]) / (float) WORKERS;
          }
        }
        optimizer.step();
      }
    }
    return model;
  }

  private static int[] identity(int n) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    return order;
  }
}
