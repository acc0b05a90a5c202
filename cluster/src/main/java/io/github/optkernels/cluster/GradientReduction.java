package io.github.optkernels.cluster;

/**
 * How the owner of a shard combines the workers' gradients before it steps the shard. Either way
 * the gradients are added in worker-rank order, {@code g = g_0 + g_1 + ... + g_(W-1)} from left to
 * right in the tensor's element type, so the result does not depend on which worker's gradient
 * arrived first.
 */
public enum GradientReduction {
  /**
   * The sum: what a single-process optimizer computes when each worker's gradient is the gradient
   * of its part of the loss, and the loss is the sum over the whole batch.
   */
  SUM,
  /**
   * The sum divided by the worker count {@code W} (one division per element, in the element type):
   * for losses averaged over each worker's part of the batch, as PyTorch's DistributedDataParallel
   * does.
   */
  MEAN
}
