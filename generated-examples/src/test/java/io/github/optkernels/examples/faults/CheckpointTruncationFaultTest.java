package io.github.optkernels.examples.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.optkernels.runtime.CheckpointException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A checkpoint of a real generated bf16/fp16 Kahan optimizer cut at every length from 0 to one
 * byte short: each is refused as {@code TRUNCATED} and changes nothing (a save interrupted by a
 * crash, a full disk or a partial copy must never load as something).
 */
@Tag("fault")
class CheckpointTruncationFaultTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(HalfSubject.Kind.class)
  void everyTruncationIsRefusedAndChangesNothing(HalfSubject.Kind kind) throws IOException {
    DamagedCheckpoints checkpoints = new DamagedCheckpoints(kind, dir);
    byte[] bytes = checkpoints.bytes();
    for (int length = 0; length < bytes.length; length++) {
      String what = "the file cut to " + length + " of " + bytes.length + " bytes";
      CheckpointException e = checkpoints.assertRefused(Arrays.copyOf(bytes, length), what);
      assertEquals(CheckpointException.Problem.TRUNCATED, e.problem(), what + ": " + e.getMessage());
    }
    assertEquals(bytes.length, checkpoints.refused());
    checkpoints.assertTargetStepsLikeItsTwinAndTheGoodFileLoads();
  }
}
