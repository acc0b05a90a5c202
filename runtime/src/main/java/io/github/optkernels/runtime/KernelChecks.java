package io.github.optkernels.runtime;

/**
 * The checks a generated kernel's public entry makes once per call, before its loop (which
 * assumes valid input). Kept here so generated code stays short and messages stay uniform.
 */
public final class KernelChecks {
  private KernelChecks() {}

  /** @throws IllegalArgumentException if {@code step < 1} */
  public static void checkStep(long step) {
    if (step < 1) {
      throw new IllegalArgumentException("step must be >= 1 (the count after incrementing), got " + step);
    }
  }

  /** @throws IllegalStateException if no step was prepared */
  public static void checkPrepared(StepPhase phase) {
    if (phase == null) {
      throw new IllegalStateException("no step prepared: call prepare(step, carried, hyperparameters) first");
    }
  }

  /** @throws IllegalArgumentException if a buffer's length differs from the parameter's */
  public static void checkLength(String buffer, int length, int paramLength) {
    if (length != paramLength) {
      throw new IllegalArgumentException(buffer + " has " + length + " elements but param has " + paramLength);
    }
  }

  /** @throws IllegalArgumentException unless {@code 0 <= from <= to <= length} */
  public static void checkRange(int length, int from, int to) {
    if (from < 0 || from > to || to > length) {
      throw new IllegalArgumentException("range [" + from + ", " + to + ") is not within [0, " + length + ")");
    }
  }

  /** @throws IllegalArgumentException if the number of state arrays is not what the kernel needs */
  public static void checkStateCount(int given, int expected) {
    if (given != expected) {
      throw new IllegalArgumentException("kernel needs " + expected + " state arrays, got " + given);
    }
  }

  /** @throws IllegalArgumentException if {@code carried} is not {@code expected} carried values */
  public static void checkCarried(double[] carried, int expected) {
    if (carried == null || carried.length != expected) {
      throw new IllegalArgumentException("kernel carries " + expected + " values from step to step (carriedNames()),"
          + " got " + (carried == null ? "null" : carried.length));
    }
  }
}
