package io.github.optkernels.runtime;

/**
 * How this JVM steps off-heap tensors ({@link KernelOptimizer#addDirect}): which path runs, chosen
 * once. See {@code docs/RUNTIME.md}, "Off-heap tensors".
 *
 * <p>There is one path today, in plain Java and on every JDK from 17: each range of a tensor is
 * stepped in chunks of {@value #CHUNK} elements, copied from the direct buffers into per-thread
 * heap scratch, updated there by the spec's generated array kernel (the same code, so the same
 * bits as heap arrays), and copied back. The copies are memory copies and the chunk stays in the
 * core's cache, so the cost over a heap step is the copying, not a second trip to memory; a
 * scalar loop over the buffers would be several times slower on JDK 17, whose C2 does not
 * vectorize {@code FloatBuffer} accesses.
 *
 * <p>On JDK 22 and later, with a library built there, native {@code MemorySegment}s are registered
 * too ({@code SegmentTensors}, compiled with {@code --release 22} and found here by name only), and
 * stepped by the same path: {@code MemorySegment.copy} is the same memory copy as the buffers' bulk
 * {@code get} (measured no faster), and stepping a segment without copying needs a kernel that
 * reads segments, which the generated kernels (compiled for Java 17) are not.
 */
public final class OffHeap {
  /**
   * Elements per chunk: the parameter, gradient and two float32 moments of a chunk take 4 × 16 KiB,
   * which stays in L2 between the copy in, the update and the copy back.
   */
  public static final int CHUNK = 4096;

  /** The JDK 22 layer's class, present in a library built on JDK 22 or later. */
  static final String SEGMENT_TENSORS = "io.github.optkernels.runtime.SegmentTensors";

  private static final String IMPLEMENTATION = "chunk copy: " + CHUNK + " elements at a time through"
      + " per-thread heap scratch, stepped by the generated array kernel; " + segments();

  private OffHeap() {}

  /** Which path steps off-heap tensors in this JVM, in words, and whether segments can be registered. */
  public static String implementation() {
    return IMPLEMENTATION;
  }

  /** Whether this JVM and this build have {@code SegmentTensors}, in words. */
  private static String segments() {
    if (Runtime.version().feature() < 22) {
      return "MemorySegment tensors need JDK 22 or later (this is " + Runtime.version().feature() + ")";
    }
    try {
      Class.forName(SEGMENT_TENSORS, false, OffHeap.class.getClassLoader());
      return "MemorySegment tensors registered with SegmentTensors";
    } catch (ClassNotFoundException | LinkageError e) {
      return "MemorySegment tensors need a library built on JDK 22 or later (this one has no SegmentTensors)";
    }
  }
}
