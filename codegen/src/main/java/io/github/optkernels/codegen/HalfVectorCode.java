package io.github.optkernels.codegen;

import static io.github.optkernels.codegen.VectorTypes.FLOAT_VECTOR;
import static io.github.optkernels.codegen.VectorTypes.HALF_BITS;
import static io.github.optkernels.codegen.VectorTypes.INT_VECTOR;
import static io.github.optkernels.codegen.VectorTypes.OPERATORS;
import static io.github.optkernels.codegen.VectorTypes.SHORT_VECTOR;
import static io.github.optkernels.codegen.VectorTypes.VECTOR_MASK;

import com.palantir.javapoet.CodeBlock;

/**
 * The Vector API code of 16-bit conversion and rounding, for one vector of lanes
 * {@code [index, index + F.length())}: the one place it is written. The runtime's Vector API block
 * conversions are generated from these templates when the runtime is built
 * ({@link BlockConversionsSource}), and the annotation processor prints the same templates into
 * every fused loop it generates, so a processor and a runtime of one version compute the same
 * bits by construction.
 *
 * <p>Each template writes statements over named locals; the enclosing class declares the species
 * {@code F}, {@code I}, {@code S} (and, for stochastic rounding, {@code LANES}): {@link VectorLanes}.
 * Every number is named from the runtime's {@code HalfBits} (javac folds them into the class it
 * compiles), so this module holds none of them. The operations are written out rather than called
 * as helpers over vectors: a fused loop is large enough that C2 stops inlining ordinary methods
 * into it ({@code NodeCountInliningCutoff}), and a vector passed to a method that is not inlined
 * is boxed on the heap (helpers over one vector, tried, allocated 15 to 158 kB per step).
 *
 * <p>Where the vector code would round a lane differently from plain Java (a NaN; for fp16 a
 * magnitude at or beyond 2^16, and for stochastic rounding one below fp16's normal range), a
 * store only marks the lane as unusual ({@link VectorStore}); the caller hands the whole vector to
 * plain Java.
 */
public final class HalfVectorCode {
  private HalfVectorCode() {}

  /** {@code FloatVector target = <lanes index.. of the short[] stored, widened to float32>}. */
  public static CodeBlock widen(HalfEncoding encoding, String stored, CodeBlock index, String target) {
    return widen(encoding, VectorAccess.ARRAYS, stored, index, target);
  }

  /** {@code FloatVector target = <lanes index.. of stored, widened to float32>}, {@code stored} where {@code access} says. */
  public static CodeBlock widen(HalfEncoding encoding, VectorAccess access, String stored, CodeBlock index,
      String target) {
    CodeBlock.Builder code = CodeBlock.builder();
    CodeBlock load = access.loadShorts(stored, index);
    if (encoding == HalfEncoding.BF16) {
      // bf16 → float32: the 16 bits become the upper half
      return code.addStatement("$T $N = (($T) $L.convertShape($T.S2I, I, 0))"
          + ".lanewise($T.LSHL, $L).reinterpretAsFloats()", FLOAT_VECTOR, target, INT_VECTOR, load,
          OPERATORS, OPERATORS, halfBits("BF16_SHIFT")).build();
    }
    // fp16 → float32 (Fp16.toFloat): normal halves rebiased with an integer add, subnormal ones
    // from their integer mantissa times 2^-24 (no float arithmetic on subnormal floats, which
    // microcode assists make 30x slower), Inf and NaN moved to float's top exponent
    String half = target + "Half";
    String magnitude = target + "Magnitude";
    return code
        .addStatement("$T $N = ($T) $L.convertShape($T.S2I, I, 0)", INT_VECTOR, half,
            INT_VECTOR, load, OPERATORS)
        .addStatement("$T $N = $N.and($L)", INT_VECTOR, magnitude, half, halfBits("FP16_MAGNITUDE"))
        .add("$T $N = $N.lanewise($T.LSHL, $L).add($L)\n", FLOAT_VECTOR, target, magnitude, OPERATORS,
            halfBits("FP16_SHIFT"), halfBits("FP16_REBIAS"))
        .indent().indent()
        .add(".blend((($T) $N.convert($T.I2F, 0)).mul($L).reinterpretAsInts(), $N.compare($T.LT, $L))\n",
            FLOAT_VECTOR, magnitude, OPERATORS, halfBits("FP16_SUBNORMAL_UNIT"), magnitude, OPERATORS,
            halfBits("FP16_MIN_NORMAL"))
        .add(".blend($N.and($L).lanewise($T.LSHL, $L).or($L), $N.compare($T.GE, $L))\n",
            magnitude, halfBits("FP16_MANTISSA"), OPERATORS, halfBits("FP16_SHIFT"), halfBits("INFINITY"), magnitude,
            OPERATORS, halfBits("FP16_INFINITY"))
        .add(".or($N.and($L).lanewise($T.LSHL, $L)).reinterpretAsFloats();\n", half, halfBits("FP16_SIGN"),
            OPERATORS, halfBits("FP16_SIGN_SHIFT"))
        .unindent().unindent()
        .build();
  }

  /**
   * Rounds the float vector {@code value} into the short[] {@code stored} at {@code index}: to
   * nearest even ({@code noiseKey} null; {@code Bf16.fromFloat}, {@code Fp16.fromFloat}) or
   * stochastically with the noise of {@code RoundingNoise.bits(noiseKey, element index)}. The
   * unusual lanes, {@code <value>Unusual}, are NaN; for fp16 also a magnitude at or beyond 2^16,
   * and for stochastic rounding one below fp16's normal range (its variable shifts are plain
   * Java's).
   */
  public static VectorStore narrow(HalfEncoding encoding, String value, String stored, CodeBlock index,
      String noiseKey) {
    return narrow(encoding, VectorAccess.ARRAYS, value, stored, index, noiseKey);
  }

  /**
   * {@link #narrow(HalfEncoding, String, String, CodeBlock, String)} into {@code stored} where
   * {@code access} says; in native memory a lane that rounds to NaN or infinity is unusual too
   * ({@link VectorAccess}), and stochastic rounding is not offered (its noise hashes an int index).
   */
  public static VectorStore narrow(HalfEncoding encoding, VectorAccess access, String value, String stored,
      CodeBlock index, String noiseKey) {
    if (access == VectorAccess.SEGMENTS && noiseKey != null) {
      throw new IllegalArgumentException("stochastic rounding is not printed for native memory");
    }
    boolean bf16 = encoding == HalfEncoding.BF16;
    boolean stochastic = noiseKey != null;
    String bits = value + "Bits";
    String magnitude = value + "Magnitude";
    String unusual = value + "Unusual";
    CodeBlock.Builder check = CodeBlock.builder();
    check.addStatement("$T $N = $N.reinterpretAsInts()", INT_VECTOR, bits, value);
    if (bf16) {
      check.addStatement("$T<Integer> $N = $L", VECTOR_MASK, unusual,
          access == VectorAccess.SEGMENTS ? roundsToNonFiniteBf16(bits) : isNan(bits));
    } else {
      check.addStatement("$T $N = $N.and($L)", INT_VECTOR, magnitude, bits, halfBits("MAGNITUDE"));
      if (access == VectorAccess.SEGMENTS) {
        // NaN, infinity and what rounds to infinity
        check.addStatement("$T<Integer> $N = $N.compare($T.GE, $L)", VECTOR_MASK, unusual, magnitude, OPERATORS,
            halfBits("FP16_ROUNDS_TO_INFINITY"));
      } else if (stochastic) {
        check.addStatement("$T<Integer> $N = $N.compare($T.LT, $L).or($N.compare($T.GE, $L))", VECTOR_MASK,
            unusual, magnitude, OPERATORS, halfBits("FP16_NORMAL"), magnitude, OPERATORS, halfBits("FP16_OVERFLOW"));
      } else {
        // NaN and infinity included
        check.addStatement("$T<Integer> $N = $N.compare($T.GE, $L)", VECTOR_MASK, unusual, magnitude, OPERATORS,
            halfBits("FP16_OVERFLOW"));
      }
    }
    CodeBlock.Builder write = CodeBlock.builder();
    String half = value + "Half";
    if (stochastic) {
      String noise = value + "Noise";
      write.add("// RoundingNoise.bits(noiseKey, index) on int lanes\n")
          .addStatement("$T $N = LANES.add($L).mul($L).add($N)", INT_VECTOR, noise, index,
              halfBits("NOISE_GOLDEN_32"), noiseKey)
          .addStatement("$N = $N.lanewise($T.XOR, $N.lanewise($T.LSHR, $L)).mul($L)", noise, noise,
              OPERATORS, noise, OPERATORS, halfBits("NOISE_SHIFT_1"), halfBits("NOISE_MULTIPLIER_1"))
          .addStatement("$N = $N.lanewise($T.XOR, $N.lanewise($T.LSHR, $L)).mul($L)", noise, noise,
              OPERATORS, noise, OPERATORS, halfBits("NOISE_SHIFT_2"), halfBits("NOISE_MULTIPLIER_2"))
          .addStatement("$N = $N.lanewise($T.XOR, $N.lanewise($T.LSHR, $L))", noise, noise, OPERATORS, noise,
              OPERATORS, halfBits("NOISE_SHIFT_3"));
      if (bf16) {
        write.addStatement("$T $N = $N.add($N.and($L)).lanewise($T.LSHR, $L)", INT_VECTOR, half, bits, noise,
            halfBits("BF16_NOISE"), OPERATORS, halfBits("BF16_SHIFT"));
      } else {
        write.addStatement("$T $N = $N.sub($L).add($N.and($L)).lanewise($T.LSHR, $L)\n"
            + ".or($N.lanewise($T.LSHR, $L).and($L))", INT_VECTOR, half, magnitude, halfBits("FP16_REBIAS"),
            noise, halfBits("FP16_NOISE"), OPERATORS, halfBits("FP16_SHIFT"), bits, OPERATORS, halfBits("FP16_SIGN_SHIFT"),
            halfBits("FP16_SIGN"));
      }
    } else {
      write.add(nearestBits(bf16, bits, magnitude, half));
    }
    write.add(intoShorts(access, half, stored, index));
    return new VectorStore(check.build(), unusual, write.build());
  }

  /**
   * {@code FloatVector target = <operand rounded to the 16-bit type, nearest even, as float32>}
   * ({@code Bf16.toFloat(Bf16.fromFloat(x))}, and the same for fp16): for bf16 the rounded bits
   * stay in the upper half; for fp16 a normal result rounds the float's mantissa at bit 13 (the
   * exponent stays the float's), and below 2^-14 {@code (x + 0.75) − 0.75} rounds to a multiple
   * of 2^-24, 0.75's ulp, ties to even, with the sign put back (so −0 stays −0). Its unusual
   * lanes: NaN, and for fp16 a magnitude at or beyond 65520, which rounds to infinity in fp16,
   * not to 2^16 as the mantissa rounding would give (declared as {@code <operand>Unusual}).
   */
  public static RoundedVector round(HalfEncoding encoding, String operand, String target) {
    CodeBlock.Builder code = CodeBlock.builder();
    String bits = operand + "Bits";
    code.addStatement("$T $N = $N.reinterpretAsInts()", INT_VECTOR, bits, operand);
    if (encoding == HalfEncoding.BF16) {
      code.addStatement("$T $N = $N.add($N.lanewise($T.LSHR, $L).and(1)).add($L).and($L)"
          + ".reinterpretAsFloats()", FLOAT_VECTOR, target, bits, bits, OPERATORS, halfBits("BF16_SHIFT"),
          halfBits("BF16_ROUND"), halfBits("BF16_KEPT"));
      return new RoundedVector(code.build(), isNan(bits));
    }
    String magnitude = operand + "Magnitude";
    String unusual = operand + "Unusual";
    code.addStatement("$T $N = $N.and($L)", INT_VECTOR, magnitude, bits, halfBits("MAGNITUDE"))
        .addStatement("$T<Integer> $N = $N.compare($T.GE, $L)", VECTOR_MASK, unusual, magnitude,
            OPERATORS, halfBits("FP16_ROUNDS_TO_INFINITY"))
        // normal: round the mantissa at bit 13; below 2^-14: (x + 0.75) − 0.75 rounds to 2^-24
        .add("$T $N = $N.add($N.lanewise($T.LSHR, $L).and(1)).add($L).and($L)\n", FLOAT_VECTOR, target,
            magnitude, magnitude, OPERATORS, halfBits("FP16_SHIFT"), halfBits("FP16_ROUND"), halfBits("FP16_KEPT"))
        .indent().indent()
        .add(".blend($N.reinterpretAsFloats().add($L).sub($L).reinterpretAsInts(), $N.compare($T.LT, $L))\n",
            magnitude, halfBits("FP16_SUBNORMAL_ROUNDER"), halfBits("FP16_SUBNORMAL_ROUNDER"), magnitude, OPERATORS,
            halfBits("FP16_NORMAL"))
        .add(".or($N.and($L)).reinterpretAsFloats();\n", bits, halfBits("SIGN"))
        .unindent().unindent();
    return new RoundedVector(code.build(), CodeBlock.of("$N", unusual));
  }

  /**
   * The Kahan-compensated parameter store ({@code HalfArrays.kahanBf16}/{@code kahanFp16}): with
   * {@code param} the widened stored parameter, {@code compensation} the widened compensation
   * and {@code value} the updated parameter in float32, {@code c ← round(c + (value − p));
   * p' ← round(p + c); c ← round(c + round(p − p'))}, each round to the 16-bit type, nearest even
   * ({@link #round}), both stored at {@code index}. Unusual: a lane any of the roundings, or the
   * compensation's narrowing, leaves to plain Java.
   */
  public static VectorStore kahanStore(HalfEncoding encoding, String value, String param, String compensation,
      String paramStored, String compStored, CodeBlock index) {
    return kahanStore(encoding, VectorAccess.ARRAYS, value, param, compensation, paramStored, compStored, index);
  }

  /**
   * {@link #kahanStore(HalfEncoding, String, String, String, String, String, CodeBlock)} into
   * buffers where {@code access} says; in native memory a lane whose new parameter is NaN or
   * infinite is unusual too ({@link VectorAccess}).
   */
  public static VectorStore kahanStore(HalfEncoding encoding, VectorAccess access, String value, String param,
      String compensation, String paramStored, String compStored, CodeBlock index) {
    boolean bf16 = encoding == HalfEncoding.BF16;
    String unusual = value + "Unusual";
    CodeBlock.Builder check = CodeBlock.builder();
    check.add("// Kahan: c ← round(c + u); p' ← round(p + c); c ← round(c + round(p − p'))\n")
        .addStatement("$T kahanSum = $N.add($N.sub($N))", FLOAT_VECTOR, compensation, value, param);
    RoundedVector sum = round(encoding, "kahanSum", "kahanC");
    check.add(sum.code());
    check.addStatement("$T kahanParam = $N.add(kahanC)", FLOAT_VECTOR, param);
    RoundedVector newParam = round(encoding, "kahanParam", "kahanRounded");
    check.add(newParam.code());
    check.addStatement("$T kahanLost = $N.sub(kahanRounded)", FLOAT_VECTOR, param);
    RoundedVector lost = round(encoding, "kahanLost", "kahanLostRounded");
    check.add(lost.code());
    check.addStatement("$T kahanNext = kahanC.add(kahanLostRounded)", FLOAT_VECTOR);
    check.addStatement("$T kahanNextBits = kahanNext.reinterpretAsInts()", INT_VECTOR);
    if (!bf16) {
      check.addStatement("$T kahanNextMagnitude = kahanNextBits.and($L)", INT_VECTOR, halfBits("MAGNITUDE"));
    }
    // a lane the runtime's vector code would hand to plain Java anywhere in the chain
    if (bf16) {
      check.addStatement("$T<Integer> $N = $L\n.or($L)\n.or($L)\n.or($L)", VECTOR_MASK, unusual, sum.unusual(),
          newParam.unusual(), lost.unusual(), isNan("kahanNextBits"));
    } else {
      check.addStatement("$T<Integer> $N = $L.or($L).or($L)\n.or(kahanNextMagnitude.compare($T.GE, $L))",
          VECTOR_MASK, unusual, sum.unusual(), newParam.unusual(), lost.unusual(), OPERATORS,
          halfBits("FP16_OVERFLOW"));
    }
    if (access == VectorAccess.SEGMENTS) {
      // the new parameter, already a 16-bit value, is infinite (fp16's round() leaves those lanes already)
      check.addStatement("$N = $N.or(kahanRounded.reinterpretAsInts().and($L).compare($T.GE, $L))", unusual, unusual,
          halfBits("MAGNITUDE"), OPERATORS, halfBits("INFINITY"));
    }
    CodeBlock.Builder write = CodeBlock.builder();
    // p' is already a 16-bit value: its narrowing is exact
    write.addStatement("$T kahanRoundedBits = kahanRounded.reinterpretAsInts()", INT_VECTOR);
    if (bf16) {
      write.addStatement("$T kahanParamHalf = kahanRoundedBits.lanewise($T.LSHR, $L)", INT_VECTOR, OPERATORS,
          halfBits("BF16_SHIFT"));
    } else {
      write.addStatement("$T kahanRoundedMagnitude = kahanRoundedBits.and($L)", INT_VECTOR, halfBits("MAGNITUDE"));
      write.add(nearestBits(false, "kahanRoundedBits", "kahanRoundedMagnitude", "kahanParamHalf"));
    }
    write.add(nearestBits(bf16, "kahanNextBits", "kahanNextMagnitude", "kahanCompHalf"));
    write.add(intoShorts(access, "kahanParamHalf", paramStored, index))
        .add(intoShorts(access, "kahanCompHalf", compStored, index));
    return new VectorStore(check.build(), unusual, write.build());
  }

  /** The NaN lanes of float bits, as an int mask: a magnitude above infinity's. */
  private static CodeBlock isNan(String bits) {
    return CodeBlock.of("$N.and($L).compare($T.GT, $L)", bits, halfBits("MAGNITUDE"), OPERATORS, halfBits("INFINITY"));
  }

  /** {@code IntVector half = <bits rounded to nearest even, as 16-bit values in int lanes>}. */
  private static CodeBlock nearestBits(boolean bf16, String bits, String magnitude, String half) {
    CodeBlock.Builder code = CodeBlock.builder();
    if (bf16) {
      return code.addStatement("$T $N = $N.add($N.lanewise($T.LSHR, $L).and(1)).add($L).lanewise($T.LSHR, $L)",
          INT_VECTOR, half, bits, bits, OPERATORS, halfBits("BF16_SHIFT"), halfBits("BF16_ROUND"), OPERATORS,
          halfBits("BF16_SHIFT")).build();
    }
    // normal results: round the mantissa at bit 13 after rebiasing; subnormal ones: x + 0.5
    // rounds to a multiple of 2^-24 in 0.5's mantissa
    return code
        .add("$T $N = $N.sub($L).add($L).add($N.lanewise($T.LSHR, $L).and(1)).lanewise($T.LSHR, $L)\n",
            INT_VECTOR, half, magnitude, halfBits("FP16_REBIAS"), halfBits("FP16_ROUND"), magnitude, OPERATORS,
            halfBits("FP16_SHIFT"), OPERATORS, halfBits("FP16_SHIFT"))
        .indent().indent()
        .add(".blend($N.reinterpretAsFloats().add($L).reinterpretAsInts().sub($L), $N.compare($T.LT, $L))\n",
            magnitude, halfBits("FP16_SUBNORMAL_BASE"), halfBits("FP16_SUBNORMAL_GRID"), magnitude, OPERATORS,
            halfBits("FP16_NORMAL"))
        .add(".or($N.lanewise($T.LSHR, $L).and($L));\n", bits, OPERATORS, halfBits("FP16_SIGN_SHIFT"),
            halfBits("FP16_SIGN"))
        .unindent().unindent()
        .build();
  }

  /** {@code ((ShortVector) half.convertShape(I2S, S, 0)).intoArray(stored, index)}, or its segment form. */
  private static CodeBlock intoShorts(VectorAccess access, String half, String stored, CodeBlock index) {
    return CodeBlock.builder()
        .addStatement("(($T) $N.convertShape($T.I2S, S, 0))$L", SHORT_VECTOR, half, OPERATORS,
            access.storeShorts(stored, index))
        .build();
  }

  /**
   * The lanes of float bits that round to a bf16 NaN or infinity, as an int mask: NaN, infinity,
   * and a magnitude at or above the largest bf16's upper half-ulp, {@code 0x7F7F8000}, which rounds
   * (ties to even) to infinity: {@code INFINITY − BF16_ROUND − 1}.
   */
  private static CodeBlock roundsToNonFiniteBf16(String bits) {
    return CodeBlock.of("$N.and($L).compare($T.GE, $L - $L - 1)", bits, halfBits("MAGNITUDE"), OPERATORS,
        halfBits("INFINITY"), halfBits("BF16_ROUND"));
  }

  /** The runtime's constant {@code name}, as {@code HalfBits.<name>}. */
  private static CodeBlock halfBits(String name) {
    return CodeBlock.of("$T.$N", HALF_BITS, name);
  }
}
