package io.github.optkernels.djl;

/**
 * How the DJL optimizer reaches a parameter's memory ({@link OptkernelsOptimizer#of(
 * io.github.optkernels.runtime.KernelOptimizer, ParameterMemory)}).
 */
public enum ParameterMemory {
  /**
   * In place where the runtime steps off-heap memory in place for the weight's format
   * ({@link io.github.optkernels.runtime.OffHeap#stepsInPlace}: JDK 22+ with the Vector API and a
   * spec compiled for Java 22+), else heap copies, which cost less than the runtime's chunk copy
   * of off-heap memory. The default.
   */
  FASTEST,
  /**
   * In place whenever the weight has a writable view of its memory, whichever way the runtime
   * reaches off-heap memory; heap copies otherwise.
   */
  IN_PLACE,
  /** Heap copies of every parameter, read and written back at each update. */
  COPIED
}
