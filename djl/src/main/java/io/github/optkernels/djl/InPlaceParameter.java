package io.github.optkernels.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import io.github.optkernels.runtime.BufferFormat;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.StepOptions;
import java.nio.ByteBuffer;

/**
 * A DJL parameter whose tensor has a direct view of its memory that writes reach (a contiguous
 * CPU tensor on the PyTorch engine): registered with the generated optimizer off-heap
 * ({@link KernelOptimizer#addDirect}), so its state lives off-heap and every update steps the
 * engine's memory in place, with no copy of the weight or the gradient.
 *
 * <p>The memory moves: DJL hands the gradient anew at each update (usually the weight's own
 * gradient, the same memory each time, but not necessarily), and PyTorch gives a weight the user
 * {@code set} new memory. So each update binds the tensor to the views it has just been given
 * ({@link KernelOptimizer#rebindDirect}, which keeps its state and clock) and steps those; the
 * optimizer never touches memory it was given at an earlier update, which may have been freed.
 * Whether writes through the weight's view reach the tensor is probed again whenever its
 * memory's fingerprint changes ({@link EngineMemory#memory}).
 */
final class InPlaceParameter implements RegisteredParameter {
  /** Bytes per pass of the gradient zeroing, from a zeroed source that stays in cache. */
  private static final int ZEROS = 64 * 1024;
  private static final ByteBuffer ZERO_BYTES = ByteBuffer.allocateDirect(ZEROS);

  private final KernelOptimizer optimizer;
  private final String key;
  private final NDArray weight;
  private final BufferFormat format;
  private final int length;
  private final long bytes;
  /** The view of the weight's memory the optimizer knows the tensor by: the one bound last. */
  private ByteBuffer bound;
  /** The fingerprint of the weight's memory last found to be reached through its view. */
  private long probedWeight;
  /** The fingerprint of the weight's own gradient's memory last found to be reached through its view, or none. */
  private long probedGradient = EngineMemory.NONE;
  /** The options {@link #flipped(StepOptions)} was last given, and what it made of them. */
  private StepOptions flippedFrom;
  private StepOptions flippedOptions;
  /** The fingerprint of the memory last found to be both the given gradient's and the weight's own, or none. */
  private long probedSame = EngineMemory.NONE;

  private InPlaceParameter(KernelOptimizer optimizer, String key, NDArray weight, BufferFormat format, ByteBuffer view) {
    this.optimizer = optimizer;
    this.key = key;
    this.weight = weight;
    this.format = format;
    this.length = Math.toIntExact(weight.size());
    this.bytes = (long) length * format.bytes();
    this.bound = view;
    this.probedWeight = EngineMemory.memory(view, bytes);
  }

  /**
   * Registers {@code weight} with {@code optimizer} off-heap over its own memory, or returns null
   * (registering nothing) if writes through its view do not reach it.
   */
  static InPlaceParameter register(KernelOptimizer optimizer, String key, NDArray weight, BufferFormat format) {
    ByteBuffer view = EngineMemory.view(weight);
    int length = Math.toIntExact(weight.size());
    if (!EngineMemory.writesReachTheTensor(weight, view, format, length)) {
      return null;
    }
    // the gradient is bound at each update (bind); until the first, a second view of the weight
    // stands in for it (registered is not stepped: no memory is allocated for a stand-in)
    optimizer.addDirect(format, view, view.duplicate().order(view.order()));
    return new InPlaceParameter(optimizer, key, weight, format, view);
  }

  @Override
  public NDArray weight() {
    return weight;
  }

  @Override
  public Object optimizerParam() {
    return bound;
  }

  @Override
  public boolean writesThroughView() {
    return true;
  }

  /**
   * @throws IllegalStateException if the weight's memory no longer has a view that writes reach
   *     (it had one when registered); nothing changed then
   */
  @Override
  public void bind(NDArray gradient) {
    ByteBuffer view = EngineMemory.view(weight);
    long memory = EngineMemory.memory(view, bytes);
    if (memory != probedWeight) {
      if (!EngineMemory.writesReachTheTensor(weight, view, format, length)) {
        throw new IllegalStateException("parameter " + key + " was registered with a writable view of its memory"
            + " and has none now (its memory is no longer contiguous, or not on the CPU); it is not stepped");
      }
      probedWeight = memory;
    }
    // the gradient is only read: a view of a copy (a non-contiguous gradient) serves as well
    optimizer.rebindDirect(format, bound, view, EngineMemory.view(gradient));
    bound = view;
  }

  /**
   * Steps the bound memory. Where the gradient given is the weight's own (DJL's trainer passes
   * that), the step itself zeroes it, span by span while it is in cache
   * ({@link StepOptions#withGradientsZeroed}); otherwise the gradient given is only read, whatever
   * the optimizer's options say, and the weight's own gradient is zeroed after the step, in a pass
   * of its own.
   */
  @Override
  public void step(NDArray gradient) {
    StepOptions options = optimizer.stepOptions();
    boolean ownGradient = isOwnGradient(gradient);
    if (options.gradientsZeroed() == ownGradient) {
      optimizer.stepTensor(bound);
    } else {
      optimizer.setStepOptions(flipped(options));
      try {
        optimizer.stepTensor(bound);
      } finally {
        optimizer.setStepOptions(options);
      }
    }
    if (!ownGradient) {
      zeroOwnGradient();
    }
  }

  /** {@code options} with the gradient zeroing the other way, made once per options object (not per update). */
  private StepOptions flipped(StepOptions options) {
    if (options != flippedFrom) {
      flippedOptions = options.withGradientsZeroed(!options.gradientsZeroed());
      flippedFrom = options;
    }
    return flippedOptions;
  }

  /**
   * Whether {@code gradient}'s memory is the weight's own gradient's: a write through the own
   * gradient's view shows in {@code gradient}'s view at the same element (probed whenever either
   * fingerprint changes; the value is restored), so two tensors that merely look alike are never
   * taken for one.
   */
  private boolean isOwnGradient(NDArray gradient) {
    if (!weight.hasGradient() || length == 0) {
      return false;
    }
    try (NDArray own = weight.getGradient()) { // closes the handle getGradient made, not the gradient
      ByteBuffer ownView = EngineMemory.view(own);
      ByteBuffer givenView = EngineMemory.view(gradient);
      long ownMemory = EngineMemory.memory(ownView, bytes);
      long givenMemory = EngineMemory.memory(givenView, bytes);
      if (ownMemory == EngineMemory.NOT_MEMORY || ownMemory != givenMemory) {
        return false;
      }
      if (ownMemory != probedSame) {
        probedSame = EngineMemory.sameMemory(ownView, givenView) ? ownMemory : EngineMemory.NONE;
      }
      return ownMemory == probedSame;
    }
  }

  /**
   * Zeroes the weight's own gradient after the step has read it: through a view of its memory
   * where writes reach it (probed whenever its memory is not the one probed last), else with the
   * engine.
   */
  private void zeroOwnGradient() {
    if (!weight.hasGradient()) {
      return;
    }
    try (NDArray own = weight.getGradient()) { // closes the handle getGradient made, not the gradient
      ByteBuffer view = EngineMemory.view(own);
      long memory = EngineMemory.memory(view, bytes);
      if (memory != probedGradient && EngineMemory.writesReachTheTensor(own, view, format, length)) {
        probedGradient = memory;
      }
      if (memory == probedGradient) {
        for (long at = 0; at < bytes; at += ZEROS) {
          view.put((int) at, ZERO_BYTES, 0, (int) Math.min(ZEROS, bytes - at));
        }
      } else {
        own.set(new NDIndex("..."), 0);
      }
    }
  }
}
