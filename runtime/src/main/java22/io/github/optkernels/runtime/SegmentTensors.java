package io.github.optkernels.runtime;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Off-heap tensors held as {@link MemorySegment}s (JDK 22 and later; in jars built on JDK 22+):
 * a framework that keeps its tensors in native segments registers them here instead of wrapping
 * them itself. A segment's memory is stepped exactly as the direct buffer over the same memory
 * ({@link KernelOptimizer#addDirect}): the same path ({@link OffHeap#implementation()}), the same
 * bits, the same checkpoints.
 *
 * <p>The optimizer knows a tensor by one object, and segments are value-based (two segment
 * objects over the same memory are equal, and neither has a stable identity), so {@link #add}
 * returns the direct buffer it registered the parameter as: pass it to
 * {@link KernelOptimizer#stepTensor} and {@link KernelOptimizer#state}, or ask
 * {@link #state(KernelOptimizer, ByteBuffer, String)} for a state slot as a segment.
 *
 * <p>This class is compiled with {@code --release 22} and only when the library is built on JDK
 * 22 or later; nothing else in the runtime refers to it except by name ({@link OffHeap}), so the
 * library runs unchanged on JDK 17.
 */
public final class SegmentTensors {
  private SegmentTensors() {}

  /**
   * Registers a tensor whose parameter and gradient are native segments, in the default group
   * ({@link KernelOptimizer#addDirect}); its state is allocated off-heap by the optimizer.
   *
   * @return the parameter's memory as the direct buffer the optimizer knows the tensor by
   * @throws IllegalArgumentException if a segment is not native (a heap segment: register the
   *     array), cannot be reached from the optimizer's step threads (a confined arena's), larger
   *     than a direct buffer can view, read-only, misaligned, not a whole number of elements, or
   *     anything {@code addDirect} refuses; nothing is registered then
   */
  public static ByteBuffer add(KernelOptimizer optimizer, BufferFormat format, MemorySegment param, MemorySegment grad) {
    Objects.requireNonNull(optimizer, "optimizer");
    return add(optimizer.defaultGroup(), format, param, grad);
  }

  /** Registers a segment tensor in {@code group}; see {@link #add(KernelOptimizer, BufferFormat, MemorySegment, MemorySegment)}. */
  public static ByteBuffer add(ParamGroup group, BufferFormat format, MemorySegment param, MemorySegment grad) {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(format, "format");
    ByteBuffer p = view("param", param);
    ByteBuffer g = view("grad", grad);
    group.addDirect(format, p, g);
    return p;
  }

  /**
   * State slot {@code name} of the tensor registered as {@code param} (what {@link #add}
   * returned), as a segment over the optimizer's off-heap state.
   *
   * @throws IllegalArgumentException if {@code param} is not a registered tensor or the spec has
   *     no such state
   */
  public static MemorySegment state(KernelOptimizer optimizer, ByteBuffer param, String name) {
    return MemorySegment.ofBuffer((ByteBuffer) optimizer.state(param, name));
  }

  /**
   * A direct buffer's memory as a segment, for the kernels' loops over native memory
   * ({@link OffHeap#segmentOf}, which finds this method by name): the segment of a buffer that a
   * segment gave ({@link #add}) keeps that segment's arena, so a closed arena is refused, not read.
   */
  static Object segmentOf(ByteBuffer buffer) {
    return MemorySegment.ofBuffer(buffer);
  }

  /** The segment's memory as a direct buffer in the platform's byte order, after the checks only a segment needs. */
  private static ByteBuffer view(String what, MemorySegment segment) {
    Objects.requireNonNull(segment, what);
    if (!segment.isNative()) {
      throw new IllegalArgumentException(what + " is a heap segment; off-heap tensors are native memory,"
          + " heap tensors are registered as arrays with add(...)");
    }
    // a confined arena's segment may only be touched by its owner thread; the step's worker threads
    // would fail midway through a step, so the tensor is refused before anything is registered
    if (!segment.isAccessibleBy(new Thread(() -> { }))) {
      throw new IllegalArgumentException(what + " belongs to a confined arena, which only its owner thread may"
          + " access; the optimizer steps tensors on its own threads: allocate the tensor with"
          + " Arena.ofShared(), Arena.ofAuto() or Arena.global()");
    }
    if (segment.byteSize() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(what + " has " + segment.byteSize() + " bytes; a tensor is at most "
          + Integer.MAX_VALUE + " bytes (the elements of one direct buffer)");
    }
    // a segment has no byte order; its memory is the platform's (asByteBuffer says big-endian)
    return segment.asByteBuffer().order(ByteOrder.nativeOrder());
  }
}
