package io.github.optkernels.processor.generation.vector;

/**
 * Where a fused loop's buffers are: Java arrays (a 16-bit kernel's fused loops) or native memory
 * ({@code MemorySegment}s: a float kernel's loops over an off-heap tensor, stepped in place).
 * Only the loads and stores differ ({@link VectorConversions}); the arithmetic is the same IR,
 * printed the same way.
 */
public enum VectorMemory {
  /** {@code fromArray}/{@code intoArray} at element {@code i}. */
  ARRAYS,
  /** {@code fromMemorySegment}/{@code intoMemorySegment} at byte {@code i} times the element size. */
  SEGMENTS
}
