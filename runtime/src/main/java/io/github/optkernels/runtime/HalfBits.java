package io.github.optkernels.runtime;

/**
 * The bit patterns of 16-bit conversion and rounding, and of stochastic rounding's noise: the one
 * place in the library they are written. The runtime's scalar conversions ({@link Bf16},
 * {@link Fp16}, {@link RoundingNoise}, the plain-Java block conversions), its Vector API block
 * conversions and the fused Vector API loops the annotation processor generates all name them from
 * here (generated code as {@code HalfBits.FP16_REBIAS}, ...), so none of them can hold a different
 * number.
 *
 * <p>For the runtime and generated code; there is nothing here for users to call. All are ints
 * on float32 bits unless the name says fp16 or bf16 bits.
 */
public final class HalfBits {
  /**
   * The revision of the numbers below and of the order of operations the conversions apply them
   * in. The fused loops generated against this runtime are compiled with the constants inlined
   * (javac substitutes them), so each carries the revision it was compiled against, and
   * {@link FusedVectorLoops#load} uses them only when it equals this one; otherwise the kernel runs
   * its block loops, which call this runtime's conversions. Raise it with any change here or in
   * the rounding sequence (the Vector API one is optkernels-codegen's {@code HalfVectorCode}, from
   * which both the fused loops and this runtime's Vector API block conversions are printed).
   */
  public static final int REVISION = 1;

  // ---- float32 ----

  /** The sign bit. */
  public static final int SIGN = 0x80000000;
  /** Everything but the sign: a float's magnitude as bits, ordered as the magnitudes are. */
  public static final int MAGNITUDE = 0x7FFFFFFF;
  /** +Inf; a magnitude above it is a NaN. */
  public static final int INFINITY = 0x7F800000;

  // ---- bf16: the upper half of a float32 ----

  /** How far a float's bits move to become bf16 bits. */
  public static final int BF16_SHIFT = 16;
  /**
   * Just under half a bf16 ulp at bit 16: added with the kept part's lowest bit, then truncated,
   * it rounds half to even.
   */
  public static final int BF16_ROUND = 0x7FFF;
  /** The bf16 bits a float's upper half keeps, in place. */
  public static final int BF16_KEPT = 0xFFFF0000;
  /** The quiet bit of a bf16 NaN. */
  public static final int BF16_QUIET_NAN = 0x0040;
  /** The bf16 exponent field all ones: a bf16 magnitude at or above it is Inf or NaN. */
  public static final int BF16_INFINITY = 0x7F80;
  /** The noise bits stochastic rounding to bf16 adds below bit 16: a uniform fraction of an ulp. */
  public static final int BF16_NOISE = 0xFFFF;

  // ---- fp16: sign, 5 exponent bits, 10 mantissa bits ----

  /** How far a normal float's bits move to become fp16 bits, once rebiased. */
  public static final int FP16_SHIFT = 13;
  /** Turns a float32 exponent into an fp16 one: 127 − 15 = 112 fewer, at bit 23. */
  public static final int FP16_REBIAS = 112 << 23;
  /** Float bits of 2^-14, the smallest normal fp16. */
  public static final int FP16_NORMAL = 0x38800000;
  /** Float bits of 2^16: the first magnitude that is ±Inf (or NaN) in fp16 whatever the rounding. */
  public static final int FP16_OVERFLOW = 0x47800000;
  /** Float bits of 65520: the first magnitude that rounds to Inf in fp16, nearest even. */
  public static final int FP16_ROUNDS_TO_INFINITY = 0x477FF000;
  /** Just under half an fp16 ulp at bit 13 (see {@link #BF16_ROUND}). */
  public static final int FP16_ROUND = 0xFFF;
  /** The float bits a normal fp16 keeps, in place. */
  public static final int FP16_KEPT = 0xFFFFE000;
  /** The noise bits stochastic rounding to fp16 adds below bit 13. */
  public static final int FP16_NOISE = 0x1FFF;
  /**
   * 0.5f, whose ulp is 2^-24, fp16's subnormal step: {@code |x| + 0.5f} rounds to that grid in
   * float arithmetic, and its bits above 0.5f's ({@link #FP16_SUBNORMAL_GRID}) are the fp16
   * subnormal; the other way, {@code 0.5f} with an fp16 subnormal's bits below its own, minus
   * {@code 0.5f}, is the subnormal's value.
   */
  public static final float FP16_SUBNORMAL_BASE = 0.5f;
  /** The float bits of {@link #FP16_SUBNORMAL_BASE}. */
  public static final int FP16_SUBNORMAL_GRID = 0x3F000000;
  /**
   * 0.75f, also of ulp 2^-24: {@code (|x| + 0.75f) − 0.75f} rounds a magnitude below 2^-14 to
   * fp16's subnormal grid and stays a float.
   */
  public static final float FP16_SUBNORMAL_ROUNDER = 0.75f;
  /** The fp16 sign bit. */
  public static final int FP16_SIGN = 0x8000;
  /** How far the sign bit moves between float32 and fp16 bits. */
  public static final int FP16_SIGN_SHIFT = 16;
  /** An fp16 magnitude's bits. */
  public static final int FP16_MAGNITUDE = 0x7FFF;
  /** The fp16 exponent field all ones: a magnitude at or above it is Inf or NaN. */
  public static final int FP16_INFINITY = 0x7C00;
  /** The smallest normal fp16 magnitude's bits. */
  public static final int FP16_MIN_NORMAL = 0x0400;
  /** The fp16 mantissa (and NaN payload) bits. */
  public static final int FP16_MANTISSA = 0x3FF;
  /** A quiet fp16 NaN, before its payload. */
  public static final int FP16_QUIET_NAN = 0x7E00;
  /** The value of the lowest fp16 subnormal, 2^-24: the integer mantissa's unit below 2^-14. */
  public static final float FP16_SUBNORMAL_UNIT = 0x1p-24f;

  // ---- the noise of stochastic rounding (RoundingNoise) ----

  /** 2^64 / φ, SplitMix64's increment: spreads tensor indices over the seed space. */
  public static final long NOISE_GOLDEN_64 = 0x9E3779B97F4A7C15L;
  /** 2^32 / φ: the per-element counter's step. */
  public static final int NOISE_GOLDEN_32 = 0x9E3779B9;
  /** Chris Wellons' lowbias32: multipliers and shifts, applied as xor-shift 1, ×1, xor-shift 2, ×2, xor-shift 3. */
  public static final int NOISE_MULTIPLIER_1 = 0x7FEB352D;
  public static final int NOISE_MULTIPLIER_2 = 0x846CA68B;
  public static final int NOISE_SHIFT_1 = 16;
  public static final int NOISE_SHIFT_2 = 15;
  public static final int NOISE_SHIFT_3 = 16;
  /** SplitMix64's finaliser (Stafford's variant 13): multipliers, and shifts 30, 27, 31. */
  public static final long MIX64_MULTIPLIER_1 = 0xBF58476D1CE4E5B9L;
  public static final long MIX64_MULTIPLIER_2 = 0x94D049BB133111EBL;

  private HalfBits() {}
}
