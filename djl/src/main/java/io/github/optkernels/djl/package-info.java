/**
 * A Deep Java Library {@link ai.djl.training.optimizer.Optimizer} backed by any generated
 * optimizer ({@link io.github.optkernels.djl.OptkernelsOptimizer}): each update steps a
 * parameter in the engine's memory, in place, with its state off-heap, where the runtime steps
 * off-heap memory in place (JDK 22+ with the Vector API; {@link io.github.optkernels.djl.ParameterMemory});
 * elsewhere, and for a tensor without a writable view of its memory, as heap copies written back.
 * See {@code docs/DJL.md}.
 */
package io.github.optkernels.djl;
