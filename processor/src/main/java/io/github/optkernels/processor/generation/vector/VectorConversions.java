package io.github.optkernels.processor.generation.vector;

import static io.github.optkernels.processor.generation.vector.VectorTypes.FLOAT_VECTOR;

import com.palantir.javapoet.CodeBlock;
import io.github.optkernels.codegen.HalfEncoding;
import io.github.optkernels.codegen.HalfVectorCode;
import io.github.optkernels.codegen.VectorStore;
import io.github.optkernels.processor.generation.kernel.KernelStorage.Encoding;

/**
 * The fused loops' loads and stores of one vector of lanes {@code [i, i + F.length())}: a float32
 * buffer's {@code fromArray}/{@code intoArray} (or, in loops over native memory,
 * {@code fromMemorySegment}/{@code intoMemorySegment} at the loop's byte offset, {@code i · 4}, in the
 * platform's byte order), and for a 16-bit buffer the templates of optkernels-codegen
 * ({@link HalfVectorCode}), from which the runtime's Vector API block conversions are generated
 * too. So the fused loops give the block loops' bits by construction; nothing here writes a
 * conversion or names a rounding constant.
 */
final class VectorConversions {
  /** The fused loops' element index. */
  private static final CodeBlock INDEX = CodeBlock.of("i");

  private VectorConversions() {}

  /** The platform's byte order, a constant of the loops over native memory ({@link VectorMemory#SEGMENTS}). */
  static final String NATIVE_ORDER = "NATIVE_ORDER";

  /** {@code FloatVector target = <lanes i.. of stored, widened to float32>}. */
  static CodeBlock widen(VectorMemory memory, Encoding encoding, String stored, String target) {
    if (memory == VectorMemory.SEGMENTS) {
      return CodeBlock.builder()
          .addStatement("$T $N = $T.fromMemorySegment(F, $N, $L, $N)", FLOAT_VECTOR, target, FLOAT_VECTOR, stored,
              floatOffset(encoding), NATIVE_ORDER)
          .build();
    }
    if (encoding == Encoding.PLAIN) {
      return CodeBlock.builder()
          .addStatement("$T $N = $T.fromArray(F, $N, $L)", FLOAT_VECTOR, target, FLOAT_VECTOR, stored, INDEX)
          .build();
    }
    return HalfVectorCode.widen(half(encoding), stored, INDEX, target);
  }

  /**
   * Stores {@code value} into {@code stored} at {@code i}: a float32 copy, or rounded to nearest
   * even ({@code noiseKey} null) or stochastically ({@link HalfVectorCode#narrow}).
   */
  static VectorStore store(VectorMemory memory, Encoding encoding, String value, String stored, String noiseKey) {
    if (memory == VectorMemory.SEGMENTS) {
      return new VectorStore(CodeBlock.of(""), null, CodeBlock.builder()
          .addStatement("$N.intoMemorySegment($N, $L, $N)", value, stored, floatOffset(encoding), NATIVE_ORDER).build());
    }
    if (encoding == Encoding.PLAIN) {
      return new VectorStore(CodeBlock.of(""), null, CodeBlock.builder()
          .addStatement("$N.intoArray($N, $L)", value, stored, INDEX).build());
    }
    return HalfVectorCode.narrow(half(encoding), value, stored, INDEX, noiseKey);
  }

  /** The Kahan-compensated parameter store ({@link HalfVectorCode#kahanStore}). */
  static VectorStore kahanStore(Encoding encoding, String value, String param, String compensation,
      String paramStored, String compStored) {
    return HalfVectorCode.kahanStore(half(encoding), value, param, compensation, paramStored, compStored, INDEX);
  }

  /** Element {@code i}'s byte offset in a float32 segment, the loop's {@code offset}; 16-bit segments have no loops yet. */
  private static CodeBlock floatOffset(Encoding encoding) {
    if (encoding != Encoding.PLAIN) {
      throw new IllegalArgumentException("loops over native memory are generated for float32 buffers only, not "
          + encoding);
    }
    return CodeBlock.of("offset");
  }

  private static HalfEncoding half(Encoding encoding) {
    switch (encoding) {
      case BF16:
        return HalfEncoding.BF16;
      case FP16:
        return HalfEncoding.FP16;
      default:
        throw new AssertionError(encoding + " is not a 16-bit encoding");
    }
  }
}
