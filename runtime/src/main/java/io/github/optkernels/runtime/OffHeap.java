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
 */
public final class OffHeap {
  /**
   * Elements per chunk: the parameter, gradient and two float32 moments of a chunk take 4 × 16 KiB,
   * which stays in L2 between the copy in, the update and the copy back.
   */
  public static final int CHUNK = 4096;

  private OffHeap() {}

  /** Which path steps off-heap tensors in this JVM, in words. */
  public static String implementation() {
    return "chunk copy: " + CHUNK + " elements at a time through per-thread heap scratch, stepped by"
        + " the generated array kernel";
  }
}
