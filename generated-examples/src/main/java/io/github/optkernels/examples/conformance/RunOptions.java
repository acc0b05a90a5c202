package io.github.optkernels.examples.conformance;

import io.github.optkernels.runtime.StepOptions;

/**
 * How the conformance command runs each case: the runtime's {@link StepOptions} (threads and
 * chunk size; {@code null} for the optimizer's defaults) and, if {@code checkpointAt > 0}, a
 * checkpoint round trip after that step: save, build a fresh optimizer, load, finish the case on
 * it. Neither may change a result: the command's output must be bit-identical to the default run.
 */
public record RunOptions(StepOptions stepOptions, int checkpointAt) {
  /** Each case on the optimizer's defaults, start to finish without a checkpoint. */
  public static final RunOptions DEFAULT = new RunOptions(null, 0);

  public RunOptions {
    if (checkpointAt < 0) {
      throw new IllegalArgumentException("checkpointAt must be >= 0, got " + checkpointAt);
    }
  }

  /**
   * The options of {@code --threads N --chunk K} (0 for "not given"). The cases are small (at
   * most 67 elements), so the serial threshold is set to 0: otherwise every case would run on
   * the calling thread and the options would test nothing.
   */
  public static StepOptions stepOptions(int threads, int chunk) {
    StepOptions options = StepOptions.defaults().withSerialThreshold(0);
    if (threads > 0) {
      options = options.withThreads(threads);
    }
    if (chunk > 0) {
      options = options.withChunkSize(chunk);
    }
    return options;
  }
}
