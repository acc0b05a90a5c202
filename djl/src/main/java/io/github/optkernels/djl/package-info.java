/**
 * A Deep Java Library {@link ai.djl.training.optimizer.Optimizer} backed by any generated
 * optimizer ({@link io.github.optkernels.djl.OptkernelsOptimizer}): each update steps a
 * parameter in the engine's memory, in place, with its state off-heap; a tensor without a
 * writable view of its memory is stepped as heap copies and written back. See {@code docs/DJL.md}.
 */
package io.github.optkernels.djl;
