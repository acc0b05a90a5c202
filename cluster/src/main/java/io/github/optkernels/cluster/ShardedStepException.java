package io.github.optkernels.cluster;

/**
 * A sharded step did not complete: other workers' gradients did not arrive in time, or the owner
 * of a shard refused the step because the reduced gradient was not finite. The message says which
 * shard, which step and which worker ranks it still waits for. Shards are stepped independently,
 * so shards that had every gradient may have taken the step (each exactly once: calling
 * {@link ShardedOptimizer#step()} again resends this worker's gradients for the same step, which
 * the stepped shards ignore).
 */
public final class ShardedStepException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  ShardedStepException(String message) {
    super(message);
  }

  ShardedStepException(String message, Throwable cause) {
    super(message, cause);
  }
}
