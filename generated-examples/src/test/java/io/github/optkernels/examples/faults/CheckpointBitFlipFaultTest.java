package io.github.optkernels.examples.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.optkernels.runtime.CheckpointException;
import io.github.optkernels.runtime.CheckpointException.Problem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every single-bit flip of a checkpoint of a real generated bf16/fp16 Kahan optimizer (a few
 * thousand files per optimizer): each is refused and changes nothing. A flip is damage, never a
 * different optimizer or shape: the header is checked before any field in it is trusted, so no
 * flip may be reported as {@code WRONG_SPEC} or {@code SHAPE_MISMATCH}.
 */
@Tag("fault")
class CheckpointBitFlipFaultTest {
  private static final Set<Problem> DAMAGE = Set.of(Problem.NOT_A_CHECKPOINT, Problem.UNSUPPORTED_VERSION,
      Problem.TRUNCATED, Problem.CORRUPTED);

  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(HalfSubject.Kind.class)
  void everySingleBitFlipIsRefusedAndChangesNothing(HalfSubject.Kind kind) throws IOException {
    DamagedCheckpoints checkpoints = new DamagedCheckpoints(kind, dir);
    byte[] bytes = checkpoints.bytes();
    Map<Problem, Integer> problems = new EnumMap<>(Problem.class);
    for (int bit = 0; bit < 8 * bytes.length; bit++) {
      byte[] flipped = bytes.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      String what = "the file with bit " + (bit % 8) + " of byte " + (bit / 8) + " flipped";
      CheckpointException e = checkpoints.assertRefused(flipped, what);
      assertTrue(DAMAGE.contains(e.problem()), what + " is reported as " + e.getMessage());
      problems.merge(e.problem(), 1, Integer::sum);
    }
    assertEquals(8 * bytes.length, checkpoints.refused());
    // almost every flip lands in a checksummed part; a checksum that checked nothing would not say CORRUPTED
    assertTrue(problems.getOrDefault(Problem.CORRUPTED, 0) > 7 * bytes.length, problems::toString);
    checkpoints.assertTargetStepsLikeItsTwinAndTheGoodFileLoads();
  }
}
