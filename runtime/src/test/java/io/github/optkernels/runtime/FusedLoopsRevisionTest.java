package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandles;
import org.junit.jupiter.api.Test;

/**
 * Fused loops carry the rounding revision they were compiled against (javac inlines
 * {@link HalfBits#REVISION} into them), and a runtime of another revision does not run them: a
 * kernel compiled against one version of the library never rounds differently under another.
 */
class FusedLoopsRevisionTest {

  /** What a generated fused-loops class compiled against this runtime answers. */
  static final class CurrentLoops {
    public int roundingRevision() {
      return HalfBits.REVISION;
    }
  }

  /** ... and one compiled against another. */
  static final class StaleLoops {
    public int roundingRevision() {
      return HalfBits.REVISION + 1;
    }
  }

  /** Generated before loops said their revision. */
  static final class UnrevisionedLoops {}

  @Test
  void loopsOfThisRevisionRun() throws Throwable {
    assertNull(FusedVectorLoops.staleRounding(MethodHandles.lookup(), CurrentLoops.class, new CurrentLoops()));
  }

  @Test
  void loopsOfAnotherRevisionAreRefusedWithBothRevisions() throws Throwable {
    String why = FusedVectorLoops.staleRounding(MethodHandles.lookup(), StaleLoops.class, new StaleLoops());
    assertTrue(why.contains("revision " + (HalfBits.REVISION + 1) + " and this runtime has revision "
        + HalfBits.REVISION), why);
  }

  @Test
  void loopsThatDoNotSayTheirRevisionAreNotRun() {
    // load() catches this and runs the block loops
    assertThrows(NoSuchMethodException.class, () -> FusedVectorLoops.staleRounding(MethodHandles.lookup(),
        UnrevisionedLoops.class, new UnrevisionedLoops()));
  }
}
