package io.github.optkernels.processor.model;

/**
 * The element loops a kernel can run, chosen once per step. Constant names equal the runtime's
 * {@code io.github.optkernels.runtime.StepPhase} (a test keeps them in sync), so generated code
 * can refer to them by name without the processor depending on the runtime.
 */
public enum Phase {
  /** Adam-2k warm-up: second moment (and its maximum) only. */
  VARIANCE_WARMUP("varianceWarmup"),
  /** Before rectification, without SGD fallback: moments only, parameter untouched. */
  MOMENTS_ONLY("momentsOnly"),
  /** Before rectification, with SGD fallback: un-adapted momentum step. */
  UNADAPTED("unadapted"),
  /** The adaptive (possibly rectified) step. */
  ADAPTIVE("adaptive");

  private final String methodName;

  Phase(String methodName) {
    this.methodName = methodName;
  }

  /** Name of the generated loop method for this phase. */
  public String methodName() {
    return methodName;
  }

  /** Whether the first moment changes in this phase. */
  public boolean updatesFirstMoment() {
    return this != VARIANCE_WARMUP;
  }

  /** Whether the parameter changes (decoupled decay and update) in this phase. */
  public boolean changesParameter() {
    return this == UNADAPTED || this == ADAPTIVE;
  }
}
