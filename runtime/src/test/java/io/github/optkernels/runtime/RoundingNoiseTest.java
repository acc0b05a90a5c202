package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The counter-based noise: a bijection per step, different per step and tensor, and unbiased bits. */
class RoundingNoiseTest {

  @Test
  void distinctIndicesOfOneStepGetDistinctBits() {
    int key = RoundingNoise.stepKey(RoundingNoise.tensorSeed(42, 0), 7);
    int n = 1 << 20;
    int[] bits = new int[n];
    for (int i = 0; i < n; i++) {
      bits[i] = RoundingNoise.bits(key, i);
    }
    Arrays.sort(bits);
    for (int i = 1; i < n; i++) {
      assertNotEquals(bits[i - 1], bits[i]);
    }
  }

  @Test
  void stepsTensorsAndSeedsGetUnrelatedKeys() {
    long seed = RoundingNoise.tensorSeed(0, 0);
    assertNotEquals(seed, RoundingNoise.tensorSeed(0, 1));
    assertNotEquals(seed, RoundingNoise.tensorSeed(1, 0));
    assertNotEquals(RoundingNoise.stepKey(seed, 1), RoundingNoise.stepKey(seed, 2));
    // the same inputs always give the same bits: what replay relies on
    assertEquals(RoundingNoise.bits(RoundingNoise.stepKey(seed, 5), 123),
        RoundingNoise.bits(RoundingNoise.stepKey(RoundingNoise.tensorSeed(0, 0), 5), 123));
  }

  /**
   * Each of the low 16 bits (what bf16 rounding reads) is set about half the time over consecutive
   * indices, and neighbouring steps agree on about half of them: within 5 standard deviations.
   */
  @Test
  void theBitsRoundingReadsAreBalanced() {
    int n = 1 << 16;
    int key = RoundingNoise.stepKey(RoundingNoise.tensorSeed(3, 2), 11);
    int nextKey = RoundingNoise.stepKey(RoundingNoise.tensorSeed(3, 2), 12);
    int[] ones = new int[32];
    int agree = 0;
    for (int i = 0; i < n; i++) {
      int bits = RoundingNoise.bits(key, i);
      for (int b = 0; b < 32; b++) {
        ones[b] += (bits >>> b) & 1;
      }
      agree += 16 - Integer.bitCount((bits ^ RoundingNoise.bits(nextKey, i)) & 0xFFFF);
    }
    double sigma = Math.sqrt(n / 4.0);
    for (int b = 0; b < 32; b++) {
      assertTrue(Math.abs(ones[b] - n / 2.0) < 5 * sigma, "bit " + b + " set " + ones[b] + " of " + n);
    }
    assertTrue(Math.abs(agree - 8.0 * n) < 5 * Math.sqrt(16 * n / 4.0), "agreement " + agree);
  }
}
