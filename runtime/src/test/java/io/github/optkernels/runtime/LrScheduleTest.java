package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Each schedule's values at the steps that define it, its peak, and its validation. */
class LrScheduleTest {
  private static final double BASE = 0.1;

  @Test
  void constantIsTheBase() {
    assertEquals(BASE, LrSchedule.constant().lr(1, BASE));
    assertEquals(BASE, LrSchedule.constant().lr(1_000_000, BASE));
    assertEquals(BASE, LrSchedule.constant().peak(BASE));
  }

  @Test
  void linearWarmupRisesFromBaseOverWToBase() {
    LrSchedule s = LrSchedule.linearWarmup(4);
    assertEquals(0.025, s.lr(1, BASE), 1e-17);
    assertEquals(0.05, s.lr(2, BASE), 1e-17);
    assertEquals(BASE, s.lr(4, BASE));
    assertEquals(BASE, s.lr(5, BASE));
    assertEquals(BASE, s.peak(BASE));
    assertEquals(BASE, LrSchedule.linearWarmup(0).lr(1, BASE));
  }

  @Test
  void warmupCosineWarmsUpThenFallsToItsFloorAtT() {
    LrSchedule s = LrSchedule.warmupCosine(2, 6, 0.1);
    assertEquals(0.05, s.lr(1, BASE), 1e-17);
    assertEquals(BASE, s.lr(2, BASE));
    assertEquals(BASE * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI / 4))), s.lr(3, BASE));
    assertEquals(BASE * 0.55, s.lr(4, BASE), 1e-15); // halfway down
    assertEquals(BASE * 0.1, s.lr(6, BASE));
    assertEquals(BASE * 0.1, s.lr(600, BASE));
    for (long t = 2; t < 8; t++) {
      assertTrue(s.lr(t + 1, BASE) <= s.lr(t, BASE), "non-increasing after the warm-up at " + t);
    }
    assertEquals(BASE, s.peak(BASE));
  }

  @Test
  void noamPeaksAtWAndThenDecaysAsOneOverSqrtT() {
    LrSchedule s = LrSchedule.noam(4);
    assertEquals(BASE / 4, s.lr(1, BASE), 1e-17); // t/W on the way up
    assertEquals(BASE, s.lr(4, BASE), 1e-17);
    assertEquals(BASE / 2, s.lr(16, BASE), 1e-17);
    assertEquals(BASE, s.peak(BASE));
  }

  @Test
  void explicitIsAbsoluteAndHoldsItsLastEntry() {
    double[] table = {0.1, 0.3, 0.2};
    LrSchedule s = LrSchedule.explicit(table);
    table[1] = 9; // the schedule keeps its own copy
    assertEquals(0.1, s.lr(1, 5.0));
    assertEquals(0.3, s.lr(2, 5.0));
    assertEquals(0.2, s.lr(3, 5.0));
    assertEquals(0.2, s.lr(Long.MAX_VALUE, 5.0));
    assertEquals(0.3, s.peak(5.0));
  }

  @Test
  void invalidSchedulesAreRefusedByName() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LrSchedule.linearWarmup(-1))
        .getMessage().startsWith("warmupSteps"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LrSchedule.warmupCosine(10, 10, 0))
        .getMessage().startsWith("totalSteps"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LrSchedule.warmupCosine(1, 10, 1.5))
        .getMessage().startsWith("minFactor"));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.warmupCosine(1, 10, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.noam(0));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.explicit());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> LrSchedule.explicit(0.1, -1))
        .getMessage().startsWith("lrs[1]"));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.explicit(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.explicit(Double.POSITIVE_INFINITY));
  }

  @Test
  void aScheduleRebuiltFromItsFieldsIsEqual() {
    for (LrSchedule s : new LrSchedule[] {LrSchedule.constant(), LrSchedule.linearWarmup(7),
        LrSchedule.warmupCosine(3, 90, 0.05), LrSchedule.noam(4000), LrSchedule.explicit(1e-3, 2e-3)}) {
      LrSchedule copy = LrSchedule.of(s.kind(), s.warmupSteps(), s.totalSteps(), s.minFactor(), s.lrs());
      assertEquals(s, copy);
      assertEquals(s.hashCode(), copy.hashCode());
      assertEquals(s.kind(), LrSchedule.Kind.ofCode(s.kind().code()));
    }
    assertNotEquals(LrSchedule.noam(4), LrSchedule.noam(5));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.Kind.ofCode(99));
  }
}
