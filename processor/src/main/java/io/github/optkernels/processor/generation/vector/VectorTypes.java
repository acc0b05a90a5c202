package io.github.optkernels.processor.generation.vector;

import com.palantir.javapoet.ClassName;

/**
 * The {@code jdk.incubator.vector} types the fused loops name, and the runtime's constants of
 * 16-bit rounding ({@code HalfBits}): those of optkernels-codegen
 * ({@link io.github.optkernels.codegen.VectorTypes}), the one place they are spelled, under the
 * names the processor's printers use.
 */
public final class VectorTypes {
  public static final ClassName FLOAT_VECTOR = io.github.optkernels.codegen.VectorTypes.FLOAT_VECTOR;
  public static final ClassName DOUBLE_VECTOR = io.github.optkernels.codegen.VectorTypes.DOUBLE_VECTOR;
  public static final ClassName INT_VECTOR = io.github.optkernels.codegen.VectorTypes.INT_VECTOR;
  public static final ClassName SHORT_VECTOR = io.github.optkernels.codegen.VectorTypes.SHORT_VECTOR;
  public static final ClassName VECTOR_MASK = io.github.optkernels.codegen.VectorTypes.VECTOR_MASK;
  public static final ClassName OPERATORS = io.github.optkernels.codegen.VectorTypes.OPERATORS;
  public static final ClassName SPECIES = io.github.optkernels.codegen.VectorTypes.SPECIES;
  public static final ClassName SHAPE = io.github.optkernels.codegen.VectorTypes.SHAPE;
  /** The runtime's bit patterns of 16-bit conversion and rounding, which the fused loops name. */
  public static final ClassName HALF_BITS = io.github.optkernels.codegen.VectorTypes.HALF_BITS;

  private VectorTypes() {}
}
