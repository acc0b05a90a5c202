package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;

import org.junit.jupiter.api.Test;

/**
 * Each bit pattern of {@link HalfBits} against what its name says, derived from float values and
 * the formats' field widths; the conversions that use them are tested on every 16-bit pattern in
 * {@link HalfConversionTest}.
 */
class HalfBitsTest {
  private static int bits(float value) {
    return Float.floatToRawIntBits(value);
  }

  @Test
  void float32Fields() {
    assertEquals(bits(-0f), HalfBits.SIGN);
    assertEquals(bits(Float.POSITIVE_INFINITY), HalfBits.INFINITY);
    assertEquals(~HalfBits.SIGN, HalfBits.MAGNITUDE);
  }

  @Test
  void bf16IsTheUpperHalfOfAFloat() {
    assertEquals(32 - 16, HalfBits.BF16_SHIFT);
    assertEquals(bits(Float.POSITIVE_INFINITY) >>> 16, HalfBits.BF16_INFINITY);
    assertEquals(-1 << HalfBits.BF16_SHIFT, HalfBits.BF16_KEPT);
    // just under half of the lowest kept bit, and the whole discarded range as noise
    assertEquals((1 << (HalfBits.BF16_SHIFT - 1)) - 1, HalfBits.BF16_ROUND);
    assertEquals((1 << HalfBits.BF16_SHIFT) - 1, HalfBits.BF16_NOISE);
    // the highest mantissa bit: a quiet NaN
    assertEquals(1 << 6, HalfBits.BF16_QUIET_NAN);
  }

  @Test
  void fp16FieldsAndThresholds() {
    assertEquals(23 - 10, HalfBits.FP16_SHIFT);
    assertEquals((127 - 15) << 23, HalfBits.FP16_REBIAS);
    assertEquals(bits(0x1p-14f), HalfBits.FP16_NORMAL);
    assertEquals(bits(65536f), HalfBits.FP16_OVERFLOW);
    assertEquals(bits(65520f), HalfBits.FP16_ROUNDS_TO_INFINITY);
    assertEquals((1 << (HalfBits.FP16_SHIFT - 1)) - 1, HalfBits.FP16_ROUND);
    assertEquals(-1 << HalfBits.FP16_SHIFT, HalfBits.FP16_KEPT);
    assertEquals((1 << HalfBits.FP16_SHIFT) - 1, HalfBits.FP16_NOISE);
    assertEquals(1 << 15, HalfBits.FP16_SIGN);
    assertEquals(31 - 15, HalfBits.FP16_SIGN_SHIFT);
    assertEquals(HalfBits.FP16_SIGN - 1, HalfBits.FP16_MAGNITUDE);
    assertEquals(0x1F << 10, HalfBits.FP16_INFINITY);
    assertEquals(1 << 10, HalfBits.FP16_MIN_NORMAL);
    assertEquals((1 << 10) - 1, HalfBits.FP16_MANTISSA);
    assertEquals(HalfBits.FP16_INFINITY | (1 << 9), HalfBits.FP16_QUIET_NAN);
    assertEquals(0x1p-24f, HalfBits.FP16_SUBNORMAL_UNIT);
  }

  @Test
  void fp16SubnormalGridsHaveTheSubnormalStepAsTheirUlp() {
    assertEquals(bits(HalfBits.FP16_SUBNORMAL_BASE), HalfBits.FP16_SUBNORMAL_GRID);
    assertEquals(HalfBits.FP16_SUBNORMAL_UNIT, Math.ulp(HalfBits.FP16_SUBNORMAL_BASE));
    assertEquals(HalfBits.FP16_SUBNORMAL_UNIT, Math.ulp(HalfBits.FP16_SUBNORMAL_ROUNDER));
  }

  @Test
  void noiseStepsAreTwoToThe64And32DividedByTheGoldenRatio() {
    MathContext precise = new MathContext(40);
    BigDecimal phi = BigDecimal.ONE.add(BigDecimal.valueOf(5).sqrt(precise)).divide(BigDecimal.valueOf(2), precise);
    BigDecimal step64 = new BigDecimal(BigInteger.ONE.shiftLeft(64)).divide(phi, precise);
    BigDecimal golden64 = new BigDecimal(new BigInteger(Long.toUnsignedString(HalfBits.NOISE_GOLDEN_64)));
    assertTrue(golden64.subtract(step64).abs().compareTo(BigDecimal.ONE) < 0, step64 + " vs " + golden64);
    assertEquals((int) (HalfBits.NOISE_GOLDEN_64 >>> 32), HalfBits.NOISE_GOLDEN_32);
    // odd multipliers: multiplying by them is a bijection of 32-bit ints
    assertEquals(1, HalfBits.NOISE_GOLDEN_32 & 1);
    assertEquals(1, HalfBits.NOISE_MULTIPLIER_1 & 1);
    assertEquals(1, HalfBits.NOISE_MULTIPLIER_2 & 1);
  }
}
