package io.github.optkernels.runtime;

import static io.github.optkernels.runtime.HalfBits.MIX64_MULTIPLIER_1;
import static io.github.optkernels.runtime.HalfBits.MIX64_MULTIPLIER_2;
import static io.github.optkernels.runtime.HalfBits.NOISE_GOLDEN_32;
import static io.github.optkernels.runtime.HalfBits.NOISE_GOLDEN_64;
import static io.github.optkernels.runtime.HalfBits.NOISE_MULTIPLIER_1;
import static io.github.optkernels.runtime.HalfBits.NOISE_MULTIPLIER_2;
import static io.github.optkernels.runtime.HalfBits.NOISE_SHIFT_1;
import static io.github.optkernels.runtime.HalfBits.NOISE_SHIFT_2;
import static io.github.optkernels.runtime.HalfBits.NOISE_SHIFT_3;

/**
 * The random bits of stochastic rounding: a counter-based hash of (seed, step, element index),
 * not a stateful generator. The bits of an element depend only on those three numbers, so a run
 * is reproducible bit for bit, whatever the thread count or however a tensor is split into
 * ranges, and a step can be replayed on its own.
 *
 * <p>Three levels, each computed where it changes: {@link #tensorSeed} once per tensor (so
 * tensors registered with the same optimizer seed get unrelated bits), {@link #stepKey} once per
 * step (in a kernel's {@code prepare}), and {@link #bits} once per element, with 32-bit integer
 * arithmetic only (multiplies, xors and shifts on int lanes).
 */
public final class RoundingNoise {
  private RoundingNoise() {}

  /** The seed of the {@code tensorIndex}-th tensor registered with an optimizer seeded {@code seed}. */
  public static long tensorSeed(long seed, int tensorIndex) {
    return mix64(seed + NOISE_GOLDEN_64 * (tensorIndex + 1L));
  }

  /** The per-step key of a tensor seeded {@code tensorSeed} at step {@code step}. */
  public static int stepKey(long tensorSeed, long step) {
    return (int) (mix64(tensorSeed ^ mix64(step)) >>> 32);
  }

  /**
   * 32 uniformly distributed bits for element {@code index} under {@code stepKey}. Distinct
   * indices of one step get distinct values (the map from index to bits is a bijection).
   */
  public static int bits(int stepKey, int index) {
    // Chris Wellons' lowbias32 finaliser over a bijective, key-dependent sequence
    int x = index * NOISE_GOLDEN_32 + stepKey;
    x ^= x >>> NOISE_SHIFT_1;
    x *= NOISE_MULTIPLIER_1;
    x ^= x >>> NOISE_SHIFT_2;
    x *= NOISE_MULTIPLIER_2;
    x ^= x >>> NOISE_SHIFT_3;
    return x;
  }

  /** SplitMix64's finaliser (Stafford's variant 13). */
  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * MIX64_MULTIPLIER_1;
    z = (z ^ (z >>> 27)) * MIX64_MULTIPLIER_2;
    return z ^ (z >>> 31);
  }
}
