package io.github.optkernels.runtime;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The NaN/Inf check of an off-heap float32 or float64 gradient, read in place (JDK 22 and later,
 * in jars built on JDK 22+; {@link OffHeap#allFinite} finds it by name). Without it the default
 * {@link NonFiniteGradients#REFUSE} copied each gradient chunk to the heap to scan it there, and
 * the copy cost more than the scan.
 *
 * <p>Why this loop: the largest bit pattern without its sign ({@code bits & 0x7fffffff}) is at
 * least that of +Infinity exactly when some element is NaN or infinite, and an int (long) maximum
 * over the memory read as ints (longs) is a reduction C2 vectorizes over a segment; a float-typed
 * loop over the segment is not vectorized. Hand-timed on JDK 25, AVX-512, float32: 0.03 ns per
 * element in cache and 0.20–0.22 from memory, against 0.11 and 0.31–0.38 for the chunk copy and
 * scan it replaces (docs/KERNEL_LOOPS.md, section 5). 16-bit gradients keep the copy: a maximum
 * over shorts is not vectorized.
 *
 * <p><b>Heap gradients in cache.</b> The same maximum over a {@code float[]} or {@code double[]}
 * read through a {@link MemorySegment#ofArray} view runs at 0.03 ns per float in cache, half the
 * time of the count {@link GradientScan} runs over the array, but from memory it is slower than
 * the count (0.27–0.38 against 0.20–0.23 ns). So {@link GradientScan#firstNonFiniteInCache} takes
 * it only for steps small enough to be in cache. Its view is made once per tensor
 * ({@link #heapView}): made per call, it is an allocation C2 does not remove. Its loops are copies
 * of the native ones because a loop whose segment accesses see both heap and native segments is
 * compiled for both and is several times slower.
 */
final class SegmentScan {
  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
  private static final int FLOAT_INFINITY_BITS = 0x7f800000;
  private static final long DOUBLE_INFINITY_BITS = 0x7ff0000000000000L;

  private SegmentScan() {}

  /**
   * Whether every element of {@code [from, to)} of {@code segment} (a {@link MemorySegment} of
   * float32 elements if {@code elementBytes} is 4, float64 if 8, in the platform's byte order) is
   * finite. The caller checks the range and searches a range that fails element by element.
   */
  static boolean allFinite(Object segment, int elementBytes, int from, int to) {
    MemorySegment memory = (MemorySegment) segment;
    return elementBytes == Float.BYTES ? floatsFinite(memory, from, to) : doublesFinite(memory, from, to);
  }

  /** A view of a {@code float[]} or {@code double[]} for {@link #heapAllFinite}. */
  static Object heapView(Object array) {
    return array instanceof float[] ? MemorySegment.ofArray((float[]) array) : MemorySegment.ofArray((double[]) array);
  }

  /**
   * Whether every element of {@code [from, to)} of the array behind {@code view} (a
   * {@link #heapView}, of float32 elements if {@code elementBytes} is 4, float64 if 8) is finite.
   * The caller checks the range and searches a range that fails element by element.
   */
  static boolean heapAllFinite(Object view, int elementBytes, int from, int to) {
    MemorySegment memory = (MemorySegment) view;
    return elementBytes == Float.BYTES ? heapFloatsFinite(memory, from, to) : heapDoublesFinite(memory, from, to);
  }

  // the heap loops: the native ones' code, with type profiles of their own (see the class comment)
  private static boolean heapFloatsFinite(MemorySegment memory, long from, long to) {
    int largest = 0;
    for (long i = from; i < to; i++) {
      largest = Math.max(largest, memory.getAtIndex(INT, i) & Integer.MAX_VALUE);
    }
    return largest < FLOAT_INFINITY_BITS;
  }

  private static boolean heapDoublesFinite(MemorySegment memory, long from, long to) {
    long largest = 0;
    for (long i = from; i < to; i++) {
      largest = Math.max(largest, memory.getAtIndex(LONG, i) & Long.MAX_VALUE);
    }
    return largest < DOUBLE_INFINITY_BITS;
  }

  private static boolean floatsFinite(MemorySegment memory, long from, long to) {
    int largest = 0;
    for (long i = from; i < to; i++) {
      largest = Math.max(largest, memory.getAtIndex(INT, i) & Integer.MAX_VALUE);
    }
    return largest < FLOAT_INFINITY_BITS;
  }

  private static boolean doublesFinite(MemorySegment memory, long from, long to) {
    long largest = 0;
    for (long i = from; i < to; i++) {
      largest = Math.max(largest, memory.getAtIndex(LONG, i) & Long.MAX_VALUE);
    }
    return largest < DOUBLE_INFINITY_BITS;
  }
}
