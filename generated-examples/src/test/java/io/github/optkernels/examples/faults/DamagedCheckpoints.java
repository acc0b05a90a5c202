package io.github.optkernels.examples.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.optkernels.runtime.CheckpointException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One good checkpoint of a {@link HalfSubject} and a target optimizer of the same shape whose
 * state differs from the file's everywhere (other seed, other step count), so that a load which
 * copied anything before refusing would show. Each damaged copy is loaded into the target and
 * must be refused with {@link CheckpointException}, leaving the target bit-identical to how it
 * was; at the end the target must still step exactly like an untouched twin, and the good file
 * must load into it (so the refusals did not come from a loader that refuses everything).
 */
final class DamagedCheckpoints {
  private static final long SAVED_AT = 7;
  private static final long TARGET_AT = 4;
  private static final long STEP_ON_TO = 12;

  private final HalfSubject.Kind kind;
  private final HalfSubject saver;
  private final OptimizerState saved;
  private final HalfSubject target;
  private final OptimizerState before;
  private final Path good;
  private final Path damaged;
  private final byte[] bytes;
  private int refused;

  DamagedCheckpoints(HalfSubject.Kind kind, Path dir) throws IOException {
    this.kind = kind;
    saver = new HalfSubject(kind, 1).trainTo(SAVED_AT);
    saved = OptimizerState.of(saver);
    good = dir.resolve("good.ckpt");
    damaged = dir.resolve("damaged.ckpt");
    saver.optimizer.save(good);
    bytes = Files.readAllBytes(good);
    target = new HalfSubject(kind, 2).trainTo(TARGET_AT);
    before = OptimizerState.of(target);
    assertNotNull(before.firstDifference(saved), "the target must differ from the file");
  }

  /** The good file's bytes (a copy). */
  byte[] bytes() {
    return bytes.clone();
  }

  /**
   * Writes {@code content} and loads it into the target: asserts that the load is refused with a
   * {@link CheckpointException} and that the target is unchanged; returns the exception.
   */
  CheckpointException assertRefused(byte[] content, String what) throws IOException {
    writeDamaged(content);
    CheckpointException e = assertThrows(CheckpointException.class, () -> target.optimizer.load(damaged),
        () -> what + " was loaded");
    assertNull(before.firstDifference(OptimizerState.of(target)), () -> what + " changed the optimizer");
    refused++;
    return e;
  }

  /**
   * Overwrites the damaged file in place rather than replacing it: truncating a file to zero and
   * rewriting it makes ext4 flush it on close (its auto_da_alloc heuristic), 2-3 ms per file on
   * a busy machine, which thousands of files turn into most of the test's time.
   */
  private void writeDamaged(byte[] content) throws IOException {
    try (FileChannel channel = FileChannel.open(damaged, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer, buffer.position());
      }
      if (channel.size() > content.length) {
        channel.truncate(content.length);
      }
    }
  }

  /** How many damaged files were refused. */
  int refused() {
    return refused;
  }

  /**
   * After all the refusals: the target steps on exactly like a twin that never saw them (this is
   * what covers NAdam's Π, which has no accessor), and the good file then loads into it and
   * training continues exactly as the saver's does.
   */
  void assertTargetStepsLikeItsTwinAndTheGoodFileLoads() throws IOException {
    HalfSubject twin = new HalfSubject(kind, 2).trainTo(TARGET_AT);
    target.trainTo(STEP_ON_TO);
    twin.trainTo(STEP_ON_TO);
    assertNull(OptimizerState.of(twin).firstDifference(OptimizerState.of(target)),
        "after the refused loads the optimizer steps differently from its twin");

    HalfSubject restored = new HalfSubject(kind, 1);
    saved.copyParametersInto(restored);
    restored.optimizer.load(good);
    assertNull(saved.firstDifference(OptimizerState.of(restored)), "the good file loads to what was saved");
    saver.trainTo(STEP_ON_TO);
    restored.trainTo(STEP_ON_TO);
    assertNull(OptimizerState.of(saver).firstDifference(OptimizerState.of(restored)),
        "training continues from the good file exactly as from the saved optimizer");
    assertEquals(STEP_ON_TO, restored.optimizer.stepCount());
  }
}
