package io.github.optkernels.runtime;

import static io.github.optkernels.runtime.HalfBits.BF16_KEPT;
import static io.github.optkernels.runtime.HalfBits.BF16_ROUND;
import static io.github.optkernels.runtime.HalfBits.BF16_SHIFT;
import static io.github.optkernels.runtime.HalfBits.FP16_KEPT;
import static io.github.optkernels.runtime.HalfBits.FP16_NORMAL;
import static io.github.optkernels.runtime.HalfBits.FP16_ROUND;
import static io.github.optkernels.runtime.HalfBits.FP16_ROUNDS_TO_INFINITY;
import static io.github.optkernels.runtime.HalfBits.FP16_SHIFT;
import static io.github.optkernels.runtime.HalfBits.FP16_SUBNORMAL_ROUNDER;
import static io.github.optkernels.runtime.HalfBits.INFINITY;
import static io.github.optkernels.runtime.HalfBits.MAGNITUDE;
import static io.github.optkernels.runtime.HalfBits.SIGN;

/**
 * The plain-Java block conversions: one scalar loop per operation over {@link Bf16} and
 * {@link Fp16}. C2 does not vectorize these loops (they
 * reinterpret float bits and change lane width), but they are short, and the element loop between
 * them still vectorizes.
 */
final class ScalarHalfArrays implements HalfArrays.Impl {
  static final ScalarHalfArrays INSTANCE = new ScalarHalfArrays();

  private ScalarHalfArrays() {}

  @Override
  public String name() {
    return "plain Java";
  }

  @Override
  public void bf16ToFloat(short[] bits, int from, float[] block, int n) {
    for (int j = 0; j < n; j++) {
      block[j] = Bf16.toFloat(bits[from + j]);
    }
  }

  @Override
  public void fp16ToFloat(short[] bits, int from, float[] block, int n) {
    for (int j = 0; j < n; j++) {
      block[j] = Fp16.toFloat(bits[from + j]);
    }
  }

  @Override
  public void floatToBf16(float[] block, short[] bits, int from, int n) {
    for (int j = 0; j < n; j++) {
      bits[from + j] = Bf16.fromFloat(block[j]);
    }
  }

  @Override
  public void floatToFp16(float[] block, short[] bits, int from, int n) {
    for (int j = 0; j < n; j++) {
      bits[from + j] = Fp16.fromFloat(block[j]);
    }
  }

  @Override
  public void floatToBf16Stochastic(float[] block, short[] bits, int from, int n, int noiseKey) {
    for (int j = 0; j < n; j++) {
      bits[from + j] = Bf16.fromFloatStochastic(block[j], RoundingNoise.bits(noiseKey, from + j));
    }
  }

  @Override
  public void floatToFp16Stochastic(float[] block, short[] bits, int from, int n, int noiseKey) {
    for (int j = 0; j < n; j++) {
      bits[from + j] = Fp16.fromFloatStochastic(block[j], RoundingNoise.bits(noiseKey, from + j));
    }
  }

  /** {@code toFloat(fromFloat(x))} without the detour through 16 bits: round the float's mantissa. */
  @Override
  public void roundBf16(float[] block, int n) {
    for (int j = 0; j < n; j++) {
      int b = Float.floatToRawIntBits(block[j]);
      if ((b & MAGNITUDE) > INFINITY) {
        block[j] = Bf16.toFloat(Bf16.fromFloat(block[j])); // NaN, rare
        continue;
      }
      block[j] = Float.intBitsToFloat((b + BF16_ROUND + ((b >>> BF16_SHIFT) & 1)) & BF16_KEPT);
    }
  }

  /**
   * {@code toFloat(fromFloat(x))} without the detour through 16 bits: from 2^-14 up, round the
   * float's mantissa at bit 13; below, (|x| + 0.75) − 0.75 rounds to a multiple of 2^-24 (0.75's
   * ulp), ties to even; the sign is put back. 65520 and up (Inf in fp16) and NaN take the detour.
   */
  @Override
  public void roundFp16(float[] block, int n) {
    for (int j = 0; j < n; j++) {
      int b = Float.floatToRawIntBits(block[j]);
      int a = b & MAGNITUDE;
      if (a >= FP16_ROUNDS_TO_INFINITY) {
        block[j] = Fp16.toFloat(Fp16.fromFloat(block[j])); // rare
        continue;
      }
      int rounded = a >= FP16_NORMAL ? (a + ((a >>> FP16_SHIFT) & 1) + FP16_ROUND) & FP16_KEPT
          : Float.floatToRawIntBits(Float.intBitsToFloat(a) + FP16_SUBNORMAL_ROUNDER - FP16_SUBNORMAL_ROUNDER);
      block[j] = Float.intBitsToFloat((b & SIGN) | rounded);
    }
  }
}
