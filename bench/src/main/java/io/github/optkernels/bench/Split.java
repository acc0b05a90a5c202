package io.github.optkernels.bench;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * How the hand-written loops and the bandwidth probe use several cores: the range is cut into
 * one contiguous piece per thread; the calling thread runs the first, a {@link ForkJoinPool} of
 * {@code threads − 1} workers the others, and the caller waits for them. This is what a user
 * without the runtime would write; ranges below {@link #MIN_SPLIT} stay on the caller, since
 * handing a few thousand elements to another core costs more than it saves.
 *
 * <p>Each step makes new tasks (one small object per extra thread). Reusing completed tasks with
 * {@code reinitialize()} hung a benchmark run, and a stress run of empty steps after about 900,000
 * of them (new tasks: 2,000,000 without a hang). The likely cause: the worker that completed a task
 * may still be signalling its waiters after {@code join()} has returned, and {@code reinitialize}'s
 * own Javadoc makes no promise while another thread may still touch the task. The runtime's scheduler avoids this differently
 * (its tasks never complete in the fork/join sense; see {@code StepEngine}).
 */
final class Split implements AutoCloseable {
  /** A loop over {@code [from, to)}. */
  interface Range {
    void run(int from, int to);
  }

  /** Below this many elements the caller runs the whole range (the runtime's threshold, 64Ki). */
  static final int MIN_SPLIT = 1 << 16;

  private final ForkJoinPool pool;
  private final int threads;
  /** The tasks of the step in progress; slot 0 is the caller's piece and stays empty. */
  private final Piece[] pieces;

  Split(int threads) {
    this.pool = threads > 1 ? new ForkJoinPool(threads - 1) : null;
    this.threads = threads;
    this.pieces = new Piece[threads];
  }

  int threads() {
    return threads;
  }

  void run(int n, Range body) {
    int parts = threads;
    if (parts == 1 || n < MIN_SPLIT) {
      body.run(0, n);
      return;
    }
    for (int k = 1; k < parts; k++) {
      pieces[k] = new Piece(body, (int) ((long) n * k / parts), (int) ((long) n * (k + 1) / parts));
      pool.execute(pieces[k]);
    }
    body.run(0, n / parts);
    for (int k = 1; k < parts; k++) {
      pieces[k].join();
      pieces[k] = null;
    }
  }

  @Override
  public void close() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  private static final class Piece extends RecursiveAction {
    private static final long serialVersionUID = 1L;
    private final transient Range body;
    private final int from;
    private final int to;

    Piece(Range body, int from, int to) {
      this.body = body;
      this.from = from;
      this.to = to;
    }

    @Override
    protected void compute() {
      body.run(from, to);
    }
  }
}
