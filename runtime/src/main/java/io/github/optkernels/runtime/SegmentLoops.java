package io.github.optkernels.runtime;

/**
 * A generated kernel's loops over native memory: the kernel's element statements, printed from
 * the same kernel IR as its array loops, as Vector API code that loads and stores the tensor's
 * memory in place ({@code FloatVector.fromMemorySegment} / {@code intoMemorySegment}), so an
 * off-heap tensor is stepped without copying it. Generated (class {@code <Kernel>SegmentLoops})
 * only when the spec is compiled for Java 22 or later with {@code jdk.incubator.vector} visible,
 * and used only where {@link OffHeap#segmentLoops()} says this JVM runs them; otherwise an
 * off-heap tensor is stepped through the chunk copy ({@link OffHeap}).
 *
 * <p>The buffers are {@code java.lang.foreign.MemorySegment}s (typed {@code Object} here: this
 * interface is compiled for Java 17). Each lane computes what the array loop computes for that
 * element, operation by operation in the same order, so both give the same bits.
 */
public interface SegmentLoops {
  /** The lanes of a vector: where {@link #update} stops short of {@code to}, at most this many elements remain to it, or a vector it left alone. */
  int lanes();

  /**
   * The runtime's {@link HalfBits#REVISION} these loops were compiled against: they run only with
   * a runtime of the same one ({@link OffHeap#loadSegmentLoops}).
   */
  int roundingRevision();

  /**
   * Applies {@code kernel}'s prepared step to the whole vectors of {@code [from, to)} of one
   * tensor, in place, and returns the first element it did not do: the tail (fewer elements than
   * a vector) or a vector with a lane only the array loop rounds right (16-bit storage: a NaN, an
   * fp16 overflow), of which it stored nothing. The caller steps that part some other way and
   * calls again after it. The arguments are checked by the caller.
   *
   * @param kernel the prepared kernel whose loops these are
   * @param param the parameter's memory, a {@code MemorySegment}
   * @param grad the gradient's memory
   * @param state the state slots' memory, in {@link StepKernel#stateNames()} order
   * @param zeroGradient whether each vector also stores zeros into the gradient lanes it read, with
   *     its other stores ({@link StepOptions#gradientsZeroed()}): the gradient's lines are then
   *     written while they are in the core's L1, not in a second pass over them. A vector left to
   *     the caller is not zeroed either.
   */
  int update(StepKernel kernel, Object param, Object grad, Object[] state, int from, int to, boolean zeroGradient);
}
