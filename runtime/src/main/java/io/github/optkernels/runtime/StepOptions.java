package io.github.optkernels.runtime;

import java.util.Objects;
import java.util.concurrent.ForkJoinPool;

/**
 * How a step runs: on how many threads, in which chunks, and what it does with a NaN or Inf
 * gradient. Immutable; each {@code with...} returns a validated copy. An optimizer holds one
 * ({@link KernelOptimizer#setStepOptions}); none of these choices changes a result: every
 * element is updated by the same code whatever the threads and chunks, so parameters and state
 * are bit-identical for any of them.
 *
 * <p>A step splits its tensors into work items of about {@link #chunkSize()} elements (a large
 * tensor into several items, consecutive small tensors batched into one) and, when it holds at
 * least {@link #serialThreshold()} elements, runs them on the calling thread plus up to
 * {@code threads − 1} tasks of the pool; below the threshold it stays on the calling thread.
 * The defaults were chosen by measurement (ARCHITECTURE.md, "Scheduling").
 *
 * <p>{@link #withGradientsZeroed} is the one option that changes what a step leaves behind: the
 * gradients, zeroed as each range is stepped (parameters and state are the same bits either way).
 */
public final class StepOptions {
  /**
   * Elements per work item: 64Ki. On the full GPT-2-small parameter set the step time is one
   * plateau from 16Ki to 4Mi elements per item; 4Ki costs 10–30% (per-item overhead). 64Ki is
   * in its middle and still gives GPT-2 1,900 items to balance (ARCHITECTURE.md, "Scheduling").
   */
  public static final int DEFAULT_CHUNK_SIZE = 1 << 16;

  /**
   * Steps over fewer elements than this, 64Ki, run on the calling thread: below it a second
   * thread saves at most ~20 µs and costs as much when its core is busy; from 128Ki it saves
   * 25–50% (ARCHITECTURE.md, "Scheduling").
   */
  public static final long DEFAULT_SERIAL_THRESHOLD = 1 << 16;

  // A common pool configured with parallelism 0 has no threads of its own: then steps are serial.
  private static final StepOptions DEFAULTS = ForkJoinPool.getCommonPoolParallelism() < 1
      ? new StepOptions(null, 1, DEFAULT_CHUNK_SIZE, DEFAULT_SERIAL_THRESHOLD, NonFiniteGradients.REFUSE, false)
      : new StepOptions(ForkJoinPool.commonPool(), ForkJoinPool.getCommonPoolParallelism() + 1,
          DEFAULT_CHUNK_SIZE, DEFAULT_SERIAL_THRESHOLD, NonFiniteGradients.REFUSE, false);

  private static final StepOptions SERIAL = DEFAULTS.withThreads(1);

  private final ForkJoinPool pool;
  private final int threads;
  private final int chunkSize;
  private final long serialThreshold;
  private final NonFiniteGradients nonFiniteGradients;
  private final boolean gradientsZeroed;

  private StepOptions(ForkJoinPool pool, int threads, int chunkSize, long serialThreshold,
      NonFiniteGradients nonFiniteGradients, boolean gradientsZeroed) {
    this.pool = pool;
    this.threads = threads;
    this.chunkSize = chunkSize;
    this.serialThreshold = serialThreshold;
    this.nonFiniteGradients = nonFiniteGradients;
    this.gradientsZeroed = gradientsZeroed;
  }

  /**
   * The common {@link ForkJoinPool} (its parallelism plus the calling thread), chunks of
   * {@link #DEFAULT_CHUNK_SIZE}, {@link #DEFAULT_SERIAL_THRESHOLD}, and NaN/Inf gradients refused.
   */
  public static StepOptions defaults() {
    return DEFAULTS;
  }

  /** Every step on the calling thread; otherwise the defaults. */
  public static StepOptions serial() {
    return SERIAL;
  }

  /**
   * Steps on {@code threads} threads: the calling thread and a new pool of {@code threads − 1}
   * (daemon threads, which end when idle); 1 means the calling thread alone.
   *
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  public StepOptions withThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    ForkJoinPool own = threads == 1 ? null : new ForkJoinPool(threads - 1);
    return new StepOptions(own, threads, chunkSize, serialThreshold, nonFiniteGradients, gradientsZeroed);
  }

  /** Steps on the calling thread and the threads of {@code pool} (its parallelism). */
  public StepOptions withPool(ForkJoinPool pool) {
    Objects.requireNonNull(pool, "pool");
    return new StepOptions(pool, pool.getParallelism() + 1, chunkSize, serialThreshold, nonFiniteGradients, gradientsZeroed);
  }

  /**
   * Elements per work item.
   *
   * @throws IllegalArgumentException if {@code chunkSize < 1}
   */
  public StepOptions withChunkSize(int chunkSize) {
    if (chunkSize < 1) {
      throw new IllegalArgumentException("chunkSize must be >= 1, got " + chunkSize);
    }
    return new StepOptions(pool, threads, chunkSize, serialThreshold, nonFiniteGradients, gradientsZeroed);
  }

  /**
   * Steps over fewer elements stay on the calling thread; 0 sends every step with more than one
   * work item to the pool.
   *
   * @throws IllegalArgumentException if {@code elements < 0}
   */
  public StepOptions withSerialThreshold(long elements) {
    if (elements < 0) {
      throw new IllegalArgumentException("serialThreshold must be >= 0, got " + elements);
    }
    return new StepOptions(pool, threads, chunkSize, elements, nonFiniteGradients, gradientsZeroed);
  }

  /** What a step does with a NaN or Inf gradient. */
  public StepOptions withNonFiniteGradients(NonFiniteGradients policy) {
    return new StepOptions(pool, threads, chunkSize, serialThreshold, Objects.requireNonNull(policy, "policy"),
        gradientsZeroed);
  }

  /**
   * Whether a step zeroes each gradient it consumes: every range of a tensor is zeroed right after
   * it is stepped, while it is still in the core's cache, so it costs the writing only, not another
   * pass over memory (for frameworks whose gradients accumulate, as PyTorch's do, and must start
   * the next backward pass from zero). A step that does not update (a refused or skipped one,
   * {@link NonFiniteGradients}) leaves the gradients as they were. Off by default.
   */
  public StepOptions withGradientsZeroed(boolean zeroed) {
    return new StepOptions(pool, threads, chunkSize, serialThreshold, nonFiniteGradients, zeroed);
  }

  /** The pool whose threads help, or null when steps run on the calling thread alone. */
  public ForkJoinPool pool() {
    return pool;
  }

  /** How many threads at most work on one step, the calling thread included. */
  public int threads() {
    return threads;
  }

  /** Elements per work item. */
  public int chunkSize() {
    return chunkSize;
  }

  /** Steps over fewer elements stay on the calling thread. */
  public long serialThreshold() {
    return serialThreshold;
  }

  /** What a step does with a NaN or Inf gradient. */
  public NonFiniteGradients nonFiniteGradients() {
    return nonFiniteGradients;
  }

  /** Whether a step zeroes each gradient it consumes ({@link #withGradientsZeroed}). */
  public boolean gradientsZeroed() {
    return gradientsZeroed;
  }

  @Override
  public String toString() {
    return "StepOptions{threads=" + threads + ", chunkSize=" + chunkSize + ", serialThreshold="
        + serialThreshold + ", nonFiniteGradients=" + nonFiniteGradients + ", gradientsZeroed=" + gradientsZeroed
        + '}';
  }
}
