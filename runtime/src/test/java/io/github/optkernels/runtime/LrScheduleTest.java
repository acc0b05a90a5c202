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

  /** Steps count from 1 and the base is a learning rate: anything else is refused by name, never evaluated. */
  @Test
  void outOfDomainArgumentsOfLrAreRefused() {
    LrSchedule[] all = {LrSchedule.constant(), LrSchedule.linearWarmup(10), LrSchedule.warmupCosine(2, 10, 0.1),
        LrSchedule.noam(4), LrSchedule.explicit(0.1)};
    for (LrSchedule s : all) {
      for (long step : new long[] {0, -5, Long.MIN_VALUE}) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.lr(step, BASE),
            s + " at " + step);
        assertTrue(e.getMessage().startsWith("step must be >= 1"), e.getMessage());
      }
      for (double base : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.lr(1, base),
            s + " with base " + base);
        assertTrue(e.getMessage().startsWith("baseLr must be finite and >= 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.peak(base));
      }
      double last = s.lr(Long.MAX_VALUE, BASE);
      assertTrue(last >= 0 && last <= BASE, s + ": " + last);
    }
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.warmupCosine(-1, 10, 0.1));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.warmupCosine(1, 10, -0.1));
    assertThrows(IllegalArgumentException.class, () -> LrSchedule.noam(-3));
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
