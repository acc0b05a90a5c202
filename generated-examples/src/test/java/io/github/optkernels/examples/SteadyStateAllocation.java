package io.github.optkernels.examples;

import java.util.function.LongSupplier;

/**
 * What a window of steady-state steps allocates, measured so that the JIT's own bookkeeping does
 * not count as the step's.
 *
 * <p>While C2 compiles (or recompiles after a deoptimization), the threads it compiles for are
 * charged a few hundred bytes of bookkeeping; on a loaded machine that can still be going on after
 * the warm-up (seen: 720 and 800 bytes over 1,000 steps, then 0). So a window that allocated is
 * measured again, up to {@value #WINDOWS} times, and the least is reported. A step that allocates
 * even one object (16 bytes or more) allocates in every window, so it can never read 0 here.
 */
public final class SteadyStateAllocation {
  /** How many windows are measured at most; the first that allocates nothing ends it. */
  static final int WINDOWS = 5;

  private SteadyStateAllocation() {}

  /**
   * The least number of bytes {@code allocatedSoFar} grew by over one run of {@code window}, over
   * up to {@value #WINDOWS} runs.
   */
  public static long leastOverWindows(LongSupplier allocatedSoFar, Runnable window) {
    long least = Long.MAX_VALUE;
    for (int w = 0; w < WINDOWS && least != 0; w++) {
      long before = allocatedSoFar.getAsLong();
      window.run();
      least = Math.min(least, allocatedSoFar.getAsLong() - before);
    }
    return least;
  }
}
