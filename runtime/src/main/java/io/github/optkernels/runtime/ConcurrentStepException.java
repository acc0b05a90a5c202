package io.github.optkernels.runtime;

/**
 * Two threads used one optimizer at once: a step, a registration, a hyperparameter change, a
 * save or a load was called while another of them was running. The second call is refused
 * before it changes anything; the first one finishes normally.
 */
public final class ConcurrentStepException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  ConcurrentStepException(String operation) {
    super(operation + " refused: another thread is using this optimizer (stepping, registering,"
        + " saving or loading); one thread at a time may step or change it");
  }
}
