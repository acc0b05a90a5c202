package io.github.optkernels.bench;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * How the hand-written loops and the bandwidth probe use several cores: the range is cut into
 * one contiguous piece per thread; the calling thread runs the first, a {@link ForkJoinPool} of
 * {@code threads − 1} workers the others, and the caller waits for them. The tasks are made once
 * and reinitialised, so a split step allocates little. This is what a user without the runtime
 * would write; ranges below {@link #MIN_SPLIT} stay on the caller, since handing a few thousand
 * elements to another core costs more than it saves.
 */
final class Split implements AutoCloseable {
  /** A loop over {@code [from, to)}. */
  interface Range {
    void run(int from, int to);
  }

  /** Below this many elements the caller runs the whole range (the runtime's threshold, 64Ki). */
  static final int MIN_SPLIT = 1 << 16;

  private final ForkJoinPool pool;
  private final Piece[] pieces;

  Split(int threads) {
    this.pool = threads > 1 ? new ForkJoinPool(threads - 1) : null;
    this.pieces = new Piece[threads];
    for (int k = 0; k < threads; k++) {
      pieces[k] = new Piece();
    }
  }

  int threads() {
    return pieces.length;
  }

  void run(int n, Range body) {
    int parts = pieces.length;
    if (parts == 1 || n < MIN_SPLIT) {
      body.run(0, n);
      return;
    }
    for (int k = 1; k < parts; k++) {
      Piece piece = pieces[k];
      piece.reinitialize();
      piece.body = body;
      piece.from = (int) ((long) n * k / parts);
      piece.to = (int) ((long) n * (k + 1) / parts);
      pool.execute(piece);
    }
    body.run(0, n / parts);
    for (int k = 1; k < parts; k++) {
      pieces[k].join();
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
    Range body;
    int from;
    int to;

    @Override
    protected void compute() {
      body.run(from, to);
    }
  }
}
