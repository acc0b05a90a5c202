package io.github.optkernels.codegen;

import static io.github.optkernels.codegen.VectorTypes.SHORT_VECTOR;

import com.palantir.javapoet.CodeBlock;

/**
 * Where the templates' 16-bit lanes live: a {@code short[]} ({@code fromArray}/{@code intoArray}
 * at element {@code index}) or native memory, a {@code MemorySegment}
 * ({@code fromMemorySegment}/{@code intoMemorySegment} at byte {@code index · 2}, in the byte order
 * of the enclosing class's {@value #NATIVE_ORDER} constant, {@code ByteOrder.nativeOrder()}; the
 * index is then a {@code long}).
 *
 * <p>In native memory a template also counts as unusual every lane whose stored 16-bit value
 * would be NaN or infinite (a value that outgrew the format): over an array the caller scans what
 * was stored while it is in cache, over memory stepped in place it cannot without reading it
 * again, so such a vector is left to the caller's plain Java, which finds and reports it.
 */
public enum VectorAccess {
  ARRAYS,
  SEGMENTS;

  /** The constant a class using {@link #SEGMENTS} declares: {@code ByteOrder.nativeOrder()}. */
  public static final String NATIVE_ORDER = "NATIVE_ORDER";

  /** {@code ShortVector.fromArray(S, stored, index)} or its segment form. */
  CodeBlock loadShorts(String stored, CodeBlock index) {
    if (this == ARRAYS) {
      return CodeBlock.of("$T.fromArray(S, $N, $L)", SHORT_VECTOR, stored, index);
    }
    return CodeBlock.of("$T.fromMemorySegment(S, $N, $L * $T.BYTES, $N)", SHORT_VECTOR, stored, index, Short.class,
        NATIVE_ORDER);
  }

  /** {@code .intoArray(stored, index)} or its segment form, to follow a {@code ShortVector} expression. */
  CodeBlock storeShorts(String stored, CodeBlock index) {
    if (this == ARRAYS) {
      return CodeBlock.of(".intoArray($N, $L)", stored, index);
    }
    return CodeBlock.of(".intoMemorySegment($N, $L * $T.BYTES, $N)", stored, index, Short.class, NATIVE_ORDER);
  }
}
