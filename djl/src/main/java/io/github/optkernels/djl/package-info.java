/**
 * A Deep Java Library {@link ai.djl.training.optimizer.Optimizer} backed by any generated
 * optimizer ({@link io.github.optkernels.djl.OptkernelsOptimizer}): each update reads a
 * parameter and its gradient from the engine's memory, steps them as heap arrays with the
 * generated kernel, and writes the parameter back. See {@code docs/DJL.md}.
 */
package io.github.optkernels.djl;
