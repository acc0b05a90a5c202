package io.github.optkernels.runtime;

/**
 * One thread's heap copies of an off-heap chunk ({@link DirectBufferKernel}): per buffer position
 * (0 the parameter, 1 the gradient, 2 + s state slot s) one array of {@link OffHeap#CHUNK}
 * elements of each type, made the first time they are needed and reused from then on, so a
 * steady-state step allocates nothing. Also what the last update on this thread found stored
 * (see {@link StepKernel#firstNonFiniteStored}), so that the check runs while a chunk is in the
 * scratch rather than over the memory a second time.
 */
final class DirectScratch {
  private static final ThreadLocal<DirectScratch> CURRENT = ThreadLocal.withInitial(DirectScratch::new);

  private float[][] floats = new float[0][];
  private double[][] doubles = new double[0][];
  private short[][] shorts = new short[0][];
  private Object[][] stateArrays = new Object[0][];
  private Object[][] segments = new Object[0][];

  /** The first non-finite value the last update stored ({@link GradientScan#stored}), or −1. */
  long storedAt = -1;
  private Object storedParam;
  private int storedFrom;
  private int storedTo;

  static DirectScratch current() {
    return CURRENT.get();
  }

  /** The scratch array of buffer position {@code slot} for elements of {@code format}. */
  Object array(int slot, BufferFormat format) {
    switch (format) {
      case FLOAT32:
        if (floats.length <= slot) {
          floats = java.util.Arrays.copyOf(floats, slot + 1);
        }
        if (floats[slot] == null) {
          floats[slot] = new float[OffHeap.CHUNK];
        }
        return floats[slot];
      case FLOAT64:
        if (doubles.length <= slot) {
          doubles = java.util.Arrays.copyOf(doubles, slot + 1);
        }
        if (doubles[slot] == null) {
          doubles[slot] = new double[OffHeap.CHUNK];
        }
        return doubles[slot];
      default:
        if (shorts.length <= slot) {
          shorts = java.util.Arrays.copyOf(shorts, slot + 1);
        }
        if (shorts[slot] == null) {
          shorts[slot] = new short[OffHeap.CHUNK];
        }
        return shorts[slot];
    }
  }

  /** A reused array of {@code count} state references for the generated kernel's {@code update}. */
  Object[] stateArrays(int count) {
    stateArrays = withArray(stateArrays, count);
    return stateArrays[count];
  }

  /** A reused array of {@code count} state segments for a kernel's loops over native memory. */
  Object[] segments(int count) {
    segments = withArray(segments, count);
    return segments[count];
  }

  /** {@code pool}, grown if need be so that {@code pool[count]} is an array of {@code count} references. */
  private static Object[][] withArray(Object[][] pool, int count) {
    if (pool.length <= count) {
      pool = java.util.Arrays.copyOf(pool, count + 1);
    }
    if (pool[count] == null) {
      pool[count] = new Object[count];
    }
    return pool;
  }

  void clearStored() {
    storedAt = -1;
    storedParam = null;
  }

  void recordStored(Object param, int from, int to) {
    storedParam = param;
    storedFrom = from;
    storedTo = to;
  }

  /** Whether {@link #storedAt} is the answer for the update of {@code param}'s {@code [from, to)}. */
  boolean recorded(Object param, int from, int to) {
    boolean hit = storedParam == param && storedFrom == from && storedTo == to;
    storedParam = null; // the engine asks once, right after the update
    return hit;
  }
}
