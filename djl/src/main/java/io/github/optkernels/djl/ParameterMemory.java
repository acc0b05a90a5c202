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
  COPIED,
  /**
   * Float32 weights held and stepped as bf16, for training with bf16 weights on an engine that
   * cannot hold bf16 tensors (DJL 0.36's PyTorch engine ends the JVM when it creates one on the
   * CPU): each weight is rounded to the nearest bf16 when it is registered, in the engine's tensor
   * too, so the model computes with bf16 values from then on; at every update the gradient is
   * rounded to bf16, the generated optimizer's bf16 kernel steps heap copies of the bits (with its
   * spec's bf16 storage: Kahan-compensated, rounded to nearest or stochastically), and the new
   * values are written back into the float32 tensor, exactly. The generated optimizer needs a
   * bf16 kernel ({@code precisions = BFLOAT16}); a weight that is not float32 is refused.
   */
  BF16_COPIES
}
