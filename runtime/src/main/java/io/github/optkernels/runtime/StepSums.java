package io.github.optkernels.runtime;

/**
 * The per-tensor sums a kernel takes before it updates ({@link StepKernel#sumCount()}, e.g.
 * LAMB's ‖p‖² and ‖u‖²), computed so that the totals are the same bits however the step runs:
 * the tensor is cut into fixed, index-aligned blocks of {@value #BLOCK} elements (independent of
 * the work items, threads and chunk size), {@link StepKernel#sum} adds each block's terms into a
 * zeroed partial, and the partials are added in block order, starting from zero. The runtime's
 * step ({@code StepEngine}) computes the blocks in parallel and adds them in order; {@link #total}
 * is the same computation on one thread, for callers that step a whole tensor themselves (a
 * cluster member that owns it).
 */
public final class StepSums {
  /**
   * Elements per block: the off-heap chunk ({@link OffHeap#CHUNK}), so that an off-heap tensor
   * copies each block to its scratch exactly once.
   */
  public static final int BLOCK = OffHeap.CHUNK;

  private StepSums() {}

  /** The number of blocks of a tensor of {@code length} elements (none for an empty tensor: its totals are zero). */
  static int blocks(int length) {
    return (int) ((length + (long) BLOCK - 1) / BLOCK);
  }

  /**
   * The totals of a prepared {@code kernel} over elements {@code [0, length)} of the buffers,
   * into {@code totals[0..kernel.sumCount())}, exactly as the runtime computes them.
   *
   * @param partial scratch of at least {@code kernel.sumCount()} elements (overwritten)
   * @throws IllegalArgumentException if an array is shorter than {@code kernel.sumCount()}
   */
  public static void total(StepKernel kernel, Object param, Object grad, Object[] state, int length,
      double[] partial, double[] totals) {
    int count = kernel.sumCount();
    if (partial.length < count || totals.length < count) {
      throw new IllegalArgumentException(kernel.getClass().getName() + " takes " + count + " sums; partial has "
          + partial.length + " and totals " + totals.length + " elements");
    }
    java.util.Arrays.fill(totals, 0, count, 0.0);
    for (int from = 0; from < length; from += BLOCK) {
      java.util.Arrays.fill(partial, 0, count, 0.0);
      kernel.sum(param, grad, state, from, Math.min(length, from + BLOCK), partial);
      for (int j = 0; j < count; j++) {
        totals[j] += partial[j];
      }
    }
  }
}
