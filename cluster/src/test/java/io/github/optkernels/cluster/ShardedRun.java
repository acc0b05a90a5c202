package io.github.optkernels.cluster;

import com.hazelcast.core.HazelcastInstance;
import io.github.optkernels.runtime.KernelOptimizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * W workers, each with its own {@link ShardedOptimizer} on a member (or client) of its own and its
 * own copies of the parameters and gradients, stepping concurrently as data-parallel workers do.
 */
final class ShardedRun implements AutoCloseable {
  final List<ShardedOptimizer> optimizers = new ArrayList<>();
  final List<Object[]> params = new ArrayList<>();
  final List<Object[]> grads = new ArrayList<>();
  private final ExecutorService pool;
  final int workers;

  ShardedRun(List<HazelcastInstance> instances, String name, Supplier<KernelOptimizer> factory, int workers,
      int shardSize, GradientReduction reduction) {
    this(instances, name, factory, workers, shardSize, reduction, null);
  }

  /** Workers whose parameters start as {@code start} (the parameters saved with a checkpoint), if not null. */
  ShardedRun(List<HazelcastInstance> instances, String name, Supplier<KernelOptimizer> factory, int workers,
      int shardSize, GradientReduction reduction, Object[] start) {
    this.workers = workers;
    this.pool = Executors.newFixedThreadPool(workers);
    for (int r = 0; r < workers; r++) {
      ShardedOptimizer optimizer = ShardedOptimizer.builder(instances.get(r % instances.size()), name, factory)
          .workers(workers).rank(r).shardSize(shardSize).reduction(reduction)
          .stepTimeout(Duration.ofSeconds(60)).build();
      Object[] p = new Object[Workload.TENSORS];
      Object[] g = new Object[Workload.TENSORS];
      for (int k = 0; k < Workload.TENSORS; k++) {
        p[k] = start == null ? Workload.initialParam(k) : Workload.copy(start[k]);
        g[k] = Workload.newArray(k);
        optimizer.add(Workload.group(k), p[k], g[k]);
      }
      optimizers.add(optimizer);
      params.add(p);
      grads.add(g);
    }
  }

  /** Every worker fills its gradients of step {@code step} and steps, concurrently. */
  void step(long step) {
    List<Future<?>> futures = new ArrayList<>();
    for (int r = 0; r < workers; r++) {
      futures.add(startStep(r, step));
    }
    for (Future<?> f : futures) {
      join(f);
    }
  }

  Future<?> startStep(int rank, long step) {
    for (int k = 0; k < Workload.TENSORS; k++) {
      Workload.fillGradient(grads.get(rank)[k], k, step, rank);
    }
    ShardedOptimizer optimizer = optimizers.get(rank);
    return pool.submit(() -> {
      optimizer.step();
      return null;
    });
  }

  static void join(Future<?> f) {
    try {
      f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException) {
        throw (RuntimeException) e.getCause();
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
