package io.github.optkernels.processor.generation.vector;

import static io.github.optkernels.processor.generation.vector.VectorTypes.FLOAT_VECTOR;
import static io.github.optkernels.processor.generation.vector.VectorTypes.HALF_BITS;
import static io.github.optkernels.processor.generation.vector.VectorTypes.INT_VECTOR;
import static io.github.optkernels.processor.generation.vector.VectorTypes.OPERATORS;
import static io.github.optkernels.processor.generation.vector.VectorTypes.SHORT_VECTOR;
import static io.github.optkernels.processor.generation.vector.VectorTypes.VECTOR_MASK;

import com.palantir.javapoet.CodeBlock;
import io.github.optkernels.processor.generation.kernel.KernelStorage.Encoding;

/**
 * The fused loops' loads and stores: one vector of lanes {@code [i, i + F.length())} widened from
 * or rounded into a buffer. Each is the Vector API block conversion of the runtime
 * ({@code VectorHalfArrays}) written out for one vector, the same integer operations lane for
 * lane, so the fused loops give the block loops' bits. Where that code sends a vector through
 * plain Java (a NaN lane; for fp16 a lane at or beyond 2^16, and for stochastic rounding one
 * below fp16's normal range), a store here only marks the lanes as unusual ({@link VectorStore}):
 * the fused loop then leaves the whole vector to the kernel's block loop.
 *
 * <p>Every number of the rounding is named from the runtime's {@code HalfBits} (javac folds them
 * into the generated class), so the processor holds none of them. The operations themselves are
 * written out here, not called: a fused loop is large enough that C2 stops inlining ordinary
 * methods into it ({@code NodeCountInliningCutoff}), and a vector passed to a method that is not
 * inlined is boxed on the heap. Calling the runtime's helpers over one vector, tried, allocated
 * 15 to 158 kB per step in four of five 16-bit optimizers.
 */
final class VectorConversions {
  private VectorConversions() {}

  /** {@code FloatVector target = <lanes i.. of stored, widened to float32>}. */
  static CodeBlock widen(Encoding encoding, String stored, String target) {
    CodeBlock.Builder code = CodeBlock.builder();
    switch (encoding) {
      case PLAIN:
        return code.addStatement("$T $N = $T.fromArray(F, $N, i)", FLOAT_VECTOR, target, FLOAT_VECTOR, stored).build();
      case BF16:
        // bf16 → float32: the 16 bits become the upper half
        return code.addStatement("$T $N = (($T) $T.fromArray(S, $N, i).convertShape($T.S2I, I, 0))"
            + ".lanewise($T.LSHL, $L).reinterpretAsFloats()", FLOAT_VECTOR, target, INT_VECTOR, SHORT_VECTOR,
            stored, OPERATORS, OPERATORS, halfBits("BF16_SHIFT")).build();
      case FP16: {
        // fp16 → float32 (Fp16.toFloat): normal halves rebiased with an integer add, subnormal ones
        // from their integer mantissa times 2^-24, Inf and NaN moved to float's top exponent
        String half = target + "Half";
        String magnitude = target + "Magnitude";
        return code
            .addStatement("$T $N = ($T) $T.fromArray(S, $N, i).convertShape($T.S2I, I, 0)", INT_VECTOR, half,
                INT_VECTOR, SHORT_VECTOR, stored, OPERATORS)
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
      default:
        throw new AssertionError(encoding);
    }
  }

  /**
   * Stores {@code value} into {@code stored} at {@code i}: a float32 copy, or rounded to nearest
   * even ({@code noiseKey} null) or stochastically with the noise of {@code RoundingNoise.bits}.
   * The unusual lanes, {@code <value>Unusual}, are those the runtime's block conversion
   * ({@code VectorHalfArrays}) hands to plain Java: NaN; for fp16 also a magnitude at or beyond
   * 2^16, and for stochastic rounding one below fp16's normal range.
   */
  static VectorStore store(Encoding encoding, String value, String stored, String noiseKey) {
    if (encoding == Encoding.PLAIN) {
      return new VectorStore(CodeBlock.of(""), null, CodeBlock.builder()
          .addStatement("$N.intoArray($N, i)", value, stored).build());
    }
    boolean bf16 = encoding == Encoding.BF16;
    boolean stochastic = noiseKey != null;
    String bits = value + "Bits";
    String magnitude = value + "Magnitude";
    String unusual = value + "Unusual";
    CodeBlock.Builder check = CodeBlock.builder();
    check.addStatement("$T $N = $N.reinterpretAsInts()", INT_VECTOR, bits, value);
    if (bf16) {
      check.addStatement("$T<Integer> $N = $L", VECTOR_MASK, unusual, isNan(bits));
    } else {
      check.addStatement("$T $N = $N.and($L)", INT_VECTOR, magnitude, bits, halfBits("MAGNITUDE"));
      if (stochastic) {
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
          .addStatement("$T $N = LANES.add(i).mul($L).add($N)", INT_VECTOR, noise, halfBits("NOISE_GOLDEN_32"), noiseKey)
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
    write.addStatement("(($T) $N.convertShape($T.I2S, S, 0)).intoArray($N, i)", SHORT_VECTOR, half, OPERATORS,
        stored);
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

  /**
   * The Kahan-compensated parameter store (HalfArrays.kahanBf16/kahanFp16): with {@code param}
   * the widened stored parameter, {@code compensation} the widened compensation and
   * {@code value} the updated parameter in float32, {@code c ← round(c + (value − p));
   * p' ← round(p + c); c ← round(c + round(p − p'))}, each round to the 16-bit type, nearest even.
   */
  static VectorStore kahanStore(Encoding encoding, String value, String param, String compensation,
      String paramStored, String compStored) {
    boolean bf16 = encoding == Encoding.BF16;
    String unusual = value + "Unusual";
    CodeBlock.Builder check = CodeBlock.builder();
    check.add("// Kahan: c ← round(c + u); p' ← round(p + c); c ← round(c + round(p − p'))\n")
        .addStatement("$T kahanSum = $N.add($N.sub($N))", FLOAT_VECTOR, compensation, value, param);
    check.add(round(bf16, "kahanSum", "kahanC"));
    check.addStatement("$T kahanParam = $N.add(kahanC)", FLOAT_VECTOR, param);
    check.add(round(bf16, "kahanParam", "kahanRounded"));
    check.addStatement("$T kahanLost = $N.sub(kahanRounded)", FLOAT_VECTOR, param);
    check.add(round(bf16, "kahanLost", "kahanLostRounded"));
    check.addStatement("$T kahanNext = kahanC.add(kahanLostRounded)", FLOAT_VECTOR);
    check.addStatement("$T kahanNextBits = kahanNext.reinterpretAsInts()", INT_VECTOR);
    if (!bf16) {
      check.addStatement("$T kahanNextMagnitude = kahanNextBits.and($L)", INT_VECTOR, halfBits("MAGNITUDE"));
    }
    // a lane the runtime's vector code would hand to plain Java anywhere in the chain
    if (bf16) {
      check.addStatement("$T<Integer> $N = $L\n.or($L)\n.or($L)\n.or($L)", VECTOR_MASK, unusual, isNan("kahanSumBits"),
          isNan("kahanParamBits"), isNan("kahanLostBits"), isNan("kahanNextBits"));
    } else {
      check.addStatement("$T<Integer> $N = kahanSumUnusual.or(kahanParamUnusual).or(kahanLostUnusual)\n"
          + ".or(kahanNextMagnitude.compare($T.GE, $L))", VECTOR_MASK, unusual, OPERATORS, halfBits("FP16_OVERFLOW"));
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
    write.addStatement("(($T) kahanParamHalf.convertShape($T.I2S, S, 0)).intoArray($N, i)", SHORT_VECTOR, OPERATORS,
            paramStored)
        .addStatement("(($T) kahanCompHalf.convertShape($T.I2S, S, 0)).intoArray($N, i)", SHORT_VECTOR, OPERATORS,
            compStored);
    return new VectorStore(check.build(), unusual, write.build());
  }

  /**
   * {@code FloatVector target = <operand rounded to the 16-bit type, nearest even, as float32>}
   * (HalfArrays' roundBf16/roundFp16); for fp16 also {@code VectorMask<Integer> operandUnusual},
   * the lanes at or beyond 65520, which round to infinity and go through plain Java there.
   */
  private static CodeBlock round(boolean bf16, String operand, String target) {
    CodeBlock.Builder code = CodeBlock.builder();
    String bits = operand + "Bits";
    code.addStatement("$T $N = $N.reinterpretAsInts()", INT_VECTOR, bits, operand);
    if (bf16) {
      return code.addStatement("$T $N = $N.add($N.lanewise($T.LSHR, $L).and(1)).add($L).and($L)"
          + ".reinterpretAsFloats()", FLOAT_VECTOR, target, bits, bits, OPERATORS, halfBits("BF16_SHIFT"),
          halfBits("BF16_ROUND"), halfBits("BF16_KEPT")).build();
    }
    String magnitude = operand + "Magnitude";
    return code
        .addStatement("$T $N = $N.and($L)", INT_VECTOR, magnitude, bits, halfBits("MAGNITUDE"))
        .addStatement("$T<Integer> $NUnusual = $N.compare($T.GE, $L)", VECTOR_MASK, operand, magnitude,
            OPERATORS, halfBits("FP16_ROUNDS_TO_INFINITY"))
        // normal: round the mantissa at bit 13; below 2^-14: (x + 0.75) − 0.75 rounds to 2^-24
        .add("$T $N = $N.add($N.lanewise($T.LSHR, $L).and(1)).add($L).and($L)\n", FLOAT_VECTOR, target,
            magnitude, magnitude, OPERATORS, halfBits("FP16_SHIFT"), halfBits("FP16_ROUND"), halfBits("FP16_KEPT"))
        .indent().indent()
        .add(".blend($N.reinterpretAsFloats().add($L).sub($L).reinterpretAsInts(), $N.compare($T.LT, $L))\n",
            magnitude, halfBits("FP16_SUBNORMAL_ROUNDER"), halfBits("FP16_SUBNORMAL_ROUNDER"), magnitude, OPERATORS,
            halfBits("FP16_NORMAL"))
        .add(".or($N.and($L)).reinterpretAsFloats();\n", bits, halfBits("SIGN"))
        .unindent().unindent()
        .build();
  }

  /** The runtime's constant {@code name}, as {@code HalfBits.<name>}. */
  private static CodeBlock halfBits(String name) {
    return CodeBlock.of("$T.$N", HALF_BITS, name);
  }
}
