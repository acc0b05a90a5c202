package io.github.optkernels.runtime;

import java.io.IOException;
import java.util.Objects;

/**
 * A checkpoint could not be loaded; {@link #problem()} says why and the message says where. The
 * optimizer that tried to load it is unchanged.
 */
public final class CheckpointException extends IOException {
  private static final long serialVersionUID = 1L;

  /** What is wrong with the file. */
  public enum Problem {
    /** The file does not start with the checkpoint magic bytes. */
    NOT_A_CHECKPOINT,
    /** The file ends before the checkpoint it starts is complete. */
    TRUNCATED,
    /** A checksum does not match, or the content cannot be what a writer wrote. */
    CORRUPTED,
    /** The file is a checkpoint of a format version this runtime does not read. */
    UNSUPPORTED_VERSION,
    /** The checkpoint was saved by an optimizer of another spec (name or structure). */
    WRONG_SPEC,
    /** The checkpoint's groups or tensors (count, order, group, precision, length, state) differ from the optimizer's. */
    SHAPE_MISMATCH
  }

  private final Problem problem;

  CheckpointException(Problem problem, String message) {
    super(problem + ": " + message);
    this.problem = Objects.requireNonNull(problem);
  }

  /** What is wrong with the file. */
  public Problem problem() {
    return problem;
  }
}
