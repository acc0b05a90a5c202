package io.github.optkernels.djl;

import ai.djl.ndarray.NDArray;

/**
 * One DJL parameter registered with the generated optimizer, in one of two ways: its engine
 * memory stepped in place ({@link InPlaceParameter}), or heap copies of it stepped and written
 * back ({@link CopiedParameter}, for a tensor without a writable view of its memory).
 */
interface RegisteredParameter {
  /** The engine's array this parameter is (one parameter is one array). */
  NDArray weight();

  /**
   * Before the update changes anything (before a training step is finished): points the
   * optimizer at the weight's and the gradient's current memory, or refuses.
   *
   * @throws IllegalArgumentException if the gradient's memory cannot be stepped; nothing changed then
   */
  void bind(NDArray gradient);

  /**
   * Steps the weight with {@code gradient} (bound by {@link #bind}), its new values landing in
   * the weight's memory, and leaves the weight's own gradient zeroed, as DJL's optimizers do
   * (PyTorch accumulates gradients: without it the next batch would add to this one's).
   */
  void step(NDArray gradient);

  /**
   * The buffer the generated optimizer knows this parameter by now (for its {@code state},
   * {@code stepCount}, {@code group}): a heap array, or the direct view of the weight's memory
   * last bound, which the next update replaces.
   */
  Object optimizerParam();

  /** Whether the last update's new values reached the weight through a view of its memory (else by an indexed assignment). */
  boolean writesThroughView();
}
