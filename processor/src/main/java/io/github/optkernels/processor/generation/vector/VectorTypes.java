package io.github.optkernels.processor.generation.vector;

import com.palantir.javapoet.ClassName;

/**
 * The {@code jdk.incubator.vector} types the fused loops name, and the runtime's constants of
 * 16-bit rounding ({@code HalfBits}); the one place they are spelled.
 */
public final class VectorTypes {
  private static final String PACKAGE = "jdk.incubator.vector";

  public static final ClassName FLOAT_VECTOR = ClassName.get(PACKAGE, "FloatVector");
  public static final ClassName INT_VECTOR = ClassName.get(PACKAGE, "IntVector");
  public static final ClassName SHORT_VECTOR = ClassName.get(PACKAGE, "ShortVector");
  public static final ClassName VECTOR_MASK = ClassName.get(PACKAGE, "VectorMask");
  public static final ClassName OPERATORS = ClassName.get(PACKAGE, "VectorOperators");
  public static final ClassName SPECIES = ClassName.get(PACKAGE, "VectorSpecies");
  public static final ClassName SHAPE = ClassName.get(PACKAGE, "VectorShape");
  /** The runtime's bit patterns of 16-bit conversion and rounding, which the fused loops name. */
  public static final ClassName HALF_BITS = ClassName.get("io.github.optkernels.runtime", "HalfBits");

  private VectorTypes() {}
}
