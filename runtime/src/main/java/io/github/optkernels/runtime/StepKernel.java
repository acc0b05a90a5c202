package io.github.optkernels.runtime;

import java.util.List;

/**
 * One generated step kernel: the element-wise update of one spec in one precision.
 *
 * <p>An instance holds the per-step scalars (bias corrections, rectification term, step sizes,
 * decay factors) of one prepared step. {@link #prepare} computes them once per step, in double;
 * {@link #update} then applies the step to any number of element ranges, possibly from several
 * threads at once (it only reads the prepared scalars). Elements are independent, so the result
 * does not depend on how a tensor is split into ranges.
 *
 * <p>Generated kernels also offer a typed {@code update(float[] param, float[] grad, ...)} for
 * callers who own their buffers; this interface is the untyped form the runtime schedules.
 */
public interface StepKernel {

  /**
   * Names of the per-element state arrays in slot order, e.g. {@code exp_avg, exp_avg_sq}, and
   * {@code kahan_comp} for a Kahan-compensated 16-bit kernel.
   */
  List<String> stateNames();

  /**
   * Array type of the parameter and gradient buffers: {@code float[].class},
   * {@code double[].class}, or {@code short[].class} for bf16 and fp16 bits.
   */
  Class<?> bufferType();

  /**
   * Array type of each state array, in {@link #stateNames()} order. A 16-bit kernel may keep its
   * moments in float32 ({@code float[]}) next to a {@code short[]} Kahan compensation buffer.
   */
  List<Class<?>> stateTypes();

  /**
   * What this kernel's {@code short[]} arrays hold (parameter, gradient and any 16-bit state):
   * bf16 or fp16. The array type cannot say, and a checkpoint must never load one as the other.
   * Null, the default, for a kernel without {@code short[]} arrays; the optimizer refuses to
   * register a kernel that has some and does not say.
   */
  default HalfFormat halfFormat() {
    return null;
  }

  /**
   * Names of the per-tensor scalars a step carries to the next, in order: NAdam's
   * {@code momentum_product} (Π, the product of μ over the momentum steps), schedule-free AdamW's
   * {@code lr_max} and {@code weight_sum}. Empty, the default, for most kernels. The optimizer
   * keeps one value per name for every tensor, hands them to {@link #prepare}, advances them with
   * {@link #carriedAfter} after the tensor's step and saves them in checkpoints by these names.
   */
  default List<String> carriedNames() {
    return List.of();
  }

  /**
   * The carried values before a tensor's first step, in {@link #carriedNames()} order (NAdam: 1.0).
   * Empty, the default, for a kernel that carries none. A new array on every call (the caller
   * may keep it).
   */
  default double[] carriedInitial() {
    return new double[0];
  }

  /**
   * Computes the scalars of step {@code step}.
   *
   * @param step the step being taken, ≥ 1 (the count after incrementing)
   * @param carried the tensor's carried values before this step, in {@link #carriedNames()} order
   *     (length {@code carriedNames().size()}); read during the call, never kept or written
   * @param h the hyperparameter values of this step: a caller's {@link Hyperparameters}, or the
   *     runtime's per-group view whose {@code lr()} is the scheduled learning rate of this step
   *     and {@code maxLr()} the resolved {@code max_lr}; read during the call, never kept
   */
  void prepare(long step, double[] carried, HyperparameterValues h);

  /** The element loop the prepared step runs. */
  StepPhase phase();

  /**
   * Writes the carried values after the prepared step (and its {@link #setSums}, if any) into
   * {@code out}, in {@link #carriedNames()} order (same length). The default writes nothing: a
   * kernel without carried values.
   */
  default void carriedAfter(double[] out) {}

  /**
   * How many per-tensor sums the step needs before it updates (LAMB: 2, for ‖p‖² and ‖u‖²); 0,
   * the default, for most kernels. A kernel with sums never shares a prepared step between
   * tensors: the runtime prepares it per tensor, whatever {@link #sharesPreparedSteps()} says.
   */
  default int sumCount() {
    return 0;
  }

  /**
   * Adds the terms of elements {@code [from, to)} to {@code sums[0..sumCount())}, element by
   * element in index order, in double. Reads only and writes no buffer; called after
   * {@link #prepare} and before any {@link #update} of the step. The runtime calls it on fixed,
   * index-aligned blocks of {@link StepSums#BLOCK} elements, each into a zeroed partial, and
   * adds the partials in block order, so the totals are the same bits for any thread count, chunk
   * size or gradient-release order.
   *
   * @param param parameter buffer, of {@link #bufferType()}
   * @param grad gradient buffer, same type and length
   * @param state state arrays in {@link #stateNames()} order
   * @param sums at least {@link #sumCount()} accumulators
   */
  default void sum(Object param, Object grad, Object[] state, int from, int to, double[] sums) {}

  /**
   * Hands the prepared step the tensor's totals (length {@link #sumCount()}) before any update of
   * that tensor runs; read during the call, never kept.
   */
  default void setSums(double[] totals) {}

  /**
   * Applies the prepared step to elements {@code [from, to)}.
   *
   * @param param parameter buffer, of {@link #bufferType()}
   * @param grad gradient buffer, same type and length
   * @param state state arrays in {@link #stateNames()} order, of {@link #stateTypes()}, same length
   * @throws IllegalArgumentException if lengths differ or the range is outside the buffers
   */
  void update(Object param, Object grad, Object[] state, int from, int to);

  /**
   * Whether tensors of one group at the same step may all run on one prepared instance of this
   * kernel class: the runtime then prepares once and shares it. False for a kernel whose instance
   * carries per-tensor configuration beyond the prepared scalars, such as the seed of stochastic
   * rounding (sharing would give every tensor the first one's noise).
   */
  default boolean sharesPreparedSteps() {
    return true;
  }

  /**
   * Whether this kernel rounds its 16-bit parameter stochastically: its noise hashes the element's
   * index in the array it steps, so it is stepped on the tensor's own arrays only (off-heap
   * tensors refuse it). False, the default, for round-to-nearest and Kahan-compensated kernels and
   * every float or double kernel.
   */
  default boolean roundsStochastically() {
    return false;
  }

  /**
   * Replaces the seed of this kernel's stochastic rounding, from the next {@link #prepare} on.
   * The optimizer calls it when it loads a checkpoint, with the tensor's seed derived from the
   * saved optimizer seed ({@link RoundingNoise#tensorSeed}), so a resumed run draws the noise the
   * saved run would have drawn. A kernel that rounds to nearest has no seed and ignores it (the
   * default).
   *
   * @param tensorSeed the seed of this kernel's tensor
   */
  default void setRoundingSeed(long tensorSeed) {}

  /**
   * The first index in {@code [from, to)} whose gradient is NaN or infinite, or −1: the scan a
   * step runs before it writes anything ({@link NonFiniteGradients}). The default handles
   * {@code float[]} and {@code double[]} gradients; a kernel with another gradient format (16-bit
   * bit patterns in a {@code short[]}) overrides it, since only it knows where the exponent is:
   * {@link GradientScan#firstNonFiniteBfloat16} or {@link GradientScan#firstNonFiniteFloat16}.
   *
   * @throws UnsupportedOperationException from the default, for other buffer types
   */
  default int firstNonFinite(Object grad, int from, int to) {
    return GradientScan.firstNonFinite(grad, from, to);
  }

  /**
   * The number element {@code index} of {@code buffer} (a parameter, gradient or state array of
   * this kernel) holds, for messages: {@code float[]} and {@code double[]} elements as they are,
   * the 16-bit patterns of a {@code short[]} decoded in this kernel's {@link #halfFormat()}, so
   * that a NaN reads as NaN and not as its bits.
   */
  default double valueAt(Object buffer, int index) {
    if (buffer instanceof short[]) {
      return halfFormat().toFloat(((short[]) buffer)[index]);
    }
    return java.lang.reflect.Array.getDouble(buffer, index);
  }

  /**
   * After {@link #update} over {@code [from, to)}: the first element of a 16-bit buffer there
   * that holds NaN or ±Infinity, as {@link GradientScan#stored(int, int)} encodes it (buffer 0
   * the parameter, {@code 1 + k} state slot {@code k}; the parameter first, then the slots in
   * order), or −1. A 16-bit format overflows at values a float32 computation reaches in normal
   * training (fp16 at 65504), and an overflowed value never recovers, so the runtime checks after
   * every update and reports it ({@link StorageOverflowException}). The default is −1: float and
   * double buffers hold what the kernel computed. Generated 16-bit kernels scan their 16-bit
   * parameter and moments with {@link GradientScan#firstNonFiniteBfloat16} or
   * {@link GradientScan#firstNonFiniteFloat16}, while the block they wrote is still in cache.
   */
  default long firstNonFiniteStored(Object param, Object[] state, int from, int to) {
    return -1;
  }

  /**
   * This kernel's loops over native memory ({@link SegmentLoops}), or null, the default: a kernel
   * compiled without them (for Java 17 to 21, or without {@code jdk.incubator.vector}), or a JVM
   * that does not run them ({@link OffHeap#segmentLoops()}). Off-heap tensors of a kernel that has
   * them are stepped in place; the others through the chunk copy. Generated kernels load them once,
   * the first time this is called.
   */
  default SegmentLoops segmentLoops() {
    return null;
  }
}
