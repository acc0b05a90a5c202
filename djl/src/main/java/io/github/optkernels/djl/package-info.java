/**
 * A Deep Java Library {@link ai.djl.training.optimizer.Optimizer} backed by any generated
 * optimizer ({@link io.github.optkernels.djl.OptkernelsOptimizer}): it steps the engine's tensors
 * in place through the runtime's off-heap path. See {@code docs/DJL.md}.
 */
package io.github.optkernels.djl;
