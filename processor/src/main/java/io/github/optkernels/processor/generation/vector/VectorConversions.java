package io.github.optkernels.processor.generation.vector;

import static io.github.optkernels.processor.generation.vector.VectorTypes.FLOAT_VECTOR;
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
 */
final class VectorConversions {
  private static final int FP16_REBIAS = 112 << 23;
  private static final String FP16_NORMAL = "0x38800000";
  private static final String FP16_OVERFLOW = "0x47800000";
  private static final String FP16_ROUNDS_TO_INFINITY = "0x477FF000";

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
            + ".lanewise($T.LSHL, 16).reinterpretAsFloats()", FLOAT_VECTOR, target, INT_VECTOR, SHORT_VECTOR,
            stored, OPERATORS, OPERATORS).build();
      case FP16: {
        // fp16 → float32 (Fp16.toFloat): normal halves rebiased with an integer add, subnormal ones
        // from their integer mantissa times 2^-24, Inf and NaN moved to float's top exponent
        String half = target + "Half";
        String magnitude = target + "Magnitude";
        return code
            .addStatement("$T $N = ($T) $T.fromArray(S, $N, i).convertShape($T.S2I, I, 0)", INT_VECTOR, half,
                INT_VECTOR, SHORT_VECTOR, stored, OPERATORS)
            .addStatement("$T $N = $N.and(0x7FFF)", INT_VECTOR, magnitude, half)
            .add("$T $N = $N.lanewise($T.LSHL, 13).add($L)\n", FLOAT_VECTOR, target, magnitude, OPERATORS,
                hex(FP16_REBIAS))
            .indent().indent()
            .add(".blend((($T) $N.convert($T.I2F, 0)).mul(0x1p-24f).reinterpretAsInts(), $N.compare($T.LT, 0x400))\n",
                FLOAT_VECTOR, magnitude, OPERATORS, magnitude, OPERATORS)
            .add(".blend($N.and(0x3FF).lanewise($T.LSHL, 13).or(0x7F800000), $N.compare($T.GE, 0x7C00))\n",
                magnitude, OPERATORS, magnitude, OPERATORS)
            .add(".or($N.and(0x8000).lanewise($T.LSHL, 16)).reinterpretAsFloats();\n", half, OPERATORS)
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
      check.addStatement("$T $N = $N.and(0x7FFFFFFF)", INT_VECTOR, magnitude, bits);
      if (stochastic) {
        check.addStatement("$T<Integer> $N = $N.compare($T.LT, $L).or($N.compare($T.GE, $L))", VECTOR_MASK,
            unusual, magnitude, OPERATORS, FP16_NORMAL, magnitude, OPERATORS, FP16_OVERFLOW);
      } else {
        // NaN and infinity included
        check.addStatement("$T<Integer> $N = $N.compare($T.GE, $L)", VECTOR_MASK, unusual, magnitude, OPERATORS,
            FP16_OVERFLOW);
      }
    }
    CodeBlock.Builder write = CodeBlock.builder();
    String half = value + "Half";
    if (stochastic) {
      String noise = value + "Noise";
      write.add("// RoundingNoise.bits(noiseKey, index) on int lanes\n")
          .addStatement("$T $N = LANES.add(i).mul(0x9E3779B9).add($N)", INT_VECTOR, noise, noiseKey)
          .addStatement("$N = $N.lanewise($T.XOR, $N.lanewise($T.LSHR, 16)).mul(0x7FEB352D)", noise, noise,
              OPERATORS, noise, OPERATORS)
          .addStatement("$N = $N.lanewise($T.XOR, $N.lanewise($T.LSHR, 15)).mul(0x846CA68B)", noise, noise,
              OPERATORS, noise, OPERATORS)
          .addStatement("$N = $N.lanewise($T.XOR, $N.lanewise($T.LSHR, 16))", noise, noise, OPERATORS, noise,
              OPERATORS);
      if (bf16) {
        write.addStatement("$T $N = $N.add($N.and(0xFFFF)).lanewise($T.LSHR, 16)", INT_VECTOR, half, bits, noise,
            OPERATORS);
      } else {
        write.addStatement("$T $N = $N.sub($L).add($N.and(0x1FFF)).lanewise($T.LSHR, 13)\n"
            + ".or($N.lanewise($T.LSHR, 16).and(0x8000))", INT_VECTOR, half, magnitude, hex(FP16_REBIAS),
            noise, OPERATORS, bits, OPERATORS);
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
    return CodeBlock.of("$N.and(0x7FFFFFFF).compare($T.GT, 0x7F800000)", bits, OPERATORS);
  }

  /** {@code IntVector half = <bits rounded to nearest even, as 16-bit values in int lanes>}. */
  private static CodeBlock nearestBits(boolean bf16, String bits, String magnitude, String half) {
    CodeBlock.Builder code = CodeBlock.builder();
    if (bf16) {
      return code.addStatement("$T $N = $N.add($N.lanewise($T.LSHR, 16).and(1)).add(0x7FFF).lanewise($T.LSHR, 16)",
          INT_VECTOR, half, bits, bits, OPERATORS, OPERATORS).build();
    }
    // normal results: round the mantissa at bit 13 after rebiasing; subnormal ones: x + 0.5
    // rounds to a multiple of 2^-24 in 0.5's mantissa
    return code
        .add("$T $N = $N.sub($L).add(0xFFF).add($N.lanewise($T.LSHR, 13).and(1)).lanewise($T.LSHR, 13)\n",
            INT_VECTOR, half, magnitude, hex(FP16_REBIAS), magnitude, OPERATORS, OPERATORS)
        .indent().indent()
        .add(".blend($N.reinterpretAsFloats().add(0.5f).reinterpretAsInts().sub(0x3F000000), $N.compare($T.LT, $L))\n",
            magnitude, magnitude, OPERATORS, FP16_NORMAL)
        .add(".or($N.lanewise($T.LSHR, 16).and(0x8000));\n", bits, OPERATORS)
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
      check.addStatement("$T kahanNextMagnitude = kahanNextBits.and(0x7FFFFFFF)", INT_VECTOR);
    }
    // a lane the runtime's vector code would hand to plain Java anywhere in the chain
    if (bf16) {
      check.addStatement("$T<Integer> $N = $L\n.or($L)\n.or($L)\n.or($L)", VECTOR_MASK, unusual, isNan("kahanSumBits"),
          isNan("kahanParamBits"), isNan("kahanLostBits"), isNan("kahanNextBits"));
    } else {
      check.addStatement("$T<Integer> $N = kahanSumUnusual.or(kahanParamUnusual).or(kahanLostUnusual)\n"
          + ".or(kahanNextMagnitude.compare($T.GE, $L))", VECTOR_MASK, unusual, OPERATORS, FP16_OVERFLOW);
    }
    CodeBlock.Builder write = CodeBlock.builder();
    // p' is already a 16-bit value: its narrowing is exact
    write.addStatement("$T kahanRoundedBits = kahanRounded.reinterpretAsInts()", INT_VECTOR);
    if (bf16) {
      write.addStatement("$T kahanParamHalf = kahanRoundedBits.lanewise($T.LSHR, 16)", INT_VECTOR, OPERATORS);
    } else {
      write.addStatement("$T kahanRoundedMagnitude = kahanRoundedBits.and(0x7FFFFFFF)", INT_VECTOR);
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
      return code.addStatement("$T $N = $N.add($N.lanewise($T.LSHR, 16).and(1)).add(0x7FFF).and(0xFFFF0000)"
          + ".reinterpretAsFloats()", FLOAT_VECTOR, target, bits, bits, OPERATORS).build();
    }
    String magnitude = operand + "Magnitude";
    return code
        .addStatement("$T $N = $N.and(0x7FFFFFFF)", INT_VECTOR, magnitude, bits)
        .addStatement("$T<Integer> $NUnusual = $N.compare($T.GE, $L)", VECTOR_MASK, operand, magnitude,
            OPERATORS, FP16_ROUNDS_TO_INFINITY)
        // normal: round the mantissa at bit 13; below 2^-14: (x + 0.75) − 0.75 rounds to 2^-24
        .add("$T $N = $N.add($N.lanewise($T.LSHR, 13).and(1)).add(0xFFF).and(0xFFFFE000)\n", FLOAT_VECTOR, target,
            magnitude, magnitude, OPERATORS)
        .indent().indent()
        .add(".blend($N.reinterpretAsFloats().add(0.75f).sub(0.75f).reinterpretAsInts(), $N.compare($T.LT, $L))\n",
            magnitude, magnitude, OPERATORS, FP16_NORMAL)
        .add(".or($N.and(0x80000000)).reinterpretAsFloats();\n", bits)
        .unindent().unindent()
        .build();
  }

  private static String hex(int value) {
    return String.format("0x%08X", value);
  }
}
