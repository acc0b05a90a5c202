package io.github.optkernels.processor.generation.vector;

import static io.github.optkernels.processor.generation.vector.VectorTypes.SHORT_VECTOR;

import com.palantir.javapoet.CodeBlock;
import io.github.optkernels.codegen.HalfEncoding;
import io.github.optkernels.codegen.HalfVectorCode;
import io.github.optkernels.codegen.VectorAccess;
import io.github.optkernels.codegen.VectorStore;
import io.github.optkernels.processor.generation.kernel.KernelStorage.Encoding;

/**
 * The fused loops' loads and stores of one vector of lanes {@code [i, i + F.length())}: a float32
 * buffer's {@code fromArray}/{@code intoArray} (or, in loops over native memory,
 * {@code fromMemorySegment}/{@code intoMemorySegment} at byte {@code i · 4} in the platform's byte
 * order; {@link VectorAccess}), and for a 16-bit buffer the templates of optkernels-codegen
 * ({@link HalfVectorCode}), from which the runtime's Vector API block conversions are generated
 * too. So the fused loops give the block loops' bits by construction; nothing here writes a
 * conversion or names a rounding constant.
 */
final class VectorConversions {
  /** The fused loops' element index. */
  private static final CodeBlock INDEX = CodeBlock.of("i");

  private VectorConversions() {}

  /**
   * {@code FloatVector target = <lanes i.. of stored, widened to float32>} ({@code DoubleVector}
   * for float64 lanes, whose buffers are all plain), {@code stored} where {@code access} says.
   */
  static CodeBlock widen(LaneType lanes, VectorAccess access, Encoding encoding, String stored, String target) {
    if (encoding != Encoding.PLAIN) {
      return HalfVectorCode.widen(half(encoding), access, stored, INDEX, target);
    }
    if (access == VectorAccess.SEGMENTS) {
      return CodeBlock.builder()
          .addStatement("$T $N = $T.fromMemorySegment($N, $N, $L * $T.BYTES, $N)", lanes.vector(), target,
              lanes.vector(), lanes.species(), stored, INDEX, lanes.boxed(), VectorAccess.NATIVE_ORDER)
          .build();
    }
    return CodeBlock.builder()
        .addStatement("$T $N = $T.fromArray($N, $N, $L)", lanes.vector(), target, lanes.vector(), lanes.species(),
            stored, INDEX)
        .build();
  }

  /**
   * Stores {@code value} into {@code stored} at {@code i}: a float32 copy, or rounded to nearest
   * even ({@code noiseKey} null) or stochastically ({@link HalfVectorCode#narrow}).
   */
  static VectorStore store(LaneType lanes, VectorAccess access, Encoding encoding, String value, String stored,
      String noiseKey) {
    if (encoding != Encoding.PLAIN) {
      return HalfVectorCode.narrow(half(encoding), access, value, stored, INDEX, noiseKey);
    }
    CodeBlock write = access == VectorAccess.SEGMENTS
        ? CodeBlock.builder().addStatement("$N.intoMemorySegment($N, $L * $T.BYTES, $N)", value, stored, INDEX,
            lanes.boxed(), VectorAccess.NATIVE_ORDER).build()
        : CodeBlock.builder().addStatement("$N.intoArray($N, $L)", value, stored, INDEX).build();
    return new VectorStore(CodeBlock.of(""), null, write);
  }

  /**
   * Stores zeros into the lanes {@code [i, i + F.length())} of a gradient in native memory, in its
   * encoding: float32 or float64 {@code +0}, or 16-bit all bits clear (+0 in both 16-bit formats).
   */
  static CodeBlock zeroSegment(LaneType lanes, Encoding encoding, String stored) {
    if (encoding == Encoding.PLAIN) {
      return CodeBlock.builder().addStatement("$T.zero($N).intoMemorySegment($N, $L * $T.BYTES, $N)", lanes.vector(),
          lanes.species(), stored, INDEX, lanes.boxed(), VectorAccess.NATIVE_ORDER).build();
    }
    return CodeBlock.builder().addStatement("$T.zero(S).intoMemorySegment($N, $L * $T.BYTES, $N)", SHORT_VECTOR,
        stored, INDEX, Short.class, VectorAccess.NATIVE_ORDER).build();
  }

  /** The Kahan-compensated parameter store ({@link HalfVectorCode#kahanStore}). */
  static VectorStore kahanStore(VectorAccess access, Encoding encoding, String value, String param,
      String compensation, String paramStored, String compStored) {
    return HalfVectorCode.kahanStore(half(encoding), access, value, param, compensation, paramStored, compStored,
        INDEX);
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
