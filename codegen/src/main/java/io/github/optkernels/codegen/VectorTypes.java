package io.github.optkernels.codegen;

import com.palantir.javapoet.ClassName;

/**
 * The {@code jdk.incubator.vector} types the templates name, and the runtime's classes they refer
 * to by name only (this module depends on neither the incubating module nor the runtime): the one
 * place they are spelled.
 */
public final class VectorTypes {
  private static final String PACKAGE = "jdk.incubator.vector";
  private static final String RUNTIME = "io.github.optkernels.runtime";

  public static final ClassName FLOAT_VECTOR = ClassName.get(PACKAGE, "FloatVector");
  public static final ClassName DOUBLE_VECTOR = ClassName.get(PACKAGE, "DoubleVector");
  public static final ClassName INT_VECTOR = ClassName.get(PACKAGE, "IntVector");
  public static final ClassName SHORT_VECTOR = ClassName.get(PACKAGE, "ShortVector");
  public static final ClassName VECTOR_MASK = ClassName.get(PACKAGE, "VectorMask");
  public static final ClassName OPERATORS = ClassName.get(PACKAGE, "VectorOperators");
  public static final ClassName SPECIES = ClassName.get(PACKAGE, "VectorSpecies");
  public static final ClassName SHAPE = ClassName.get(PACKAGE, "VectorShape");

  /**
   * The runtime's bit patterns of 16-bit conversion and rounding, and their revision: the
   * templates name every number as {@code HalfBits.<name>}, so this module holds none of them.
   */
  public static final ClassName HALF_BITS = ClassName.get(RUNTIME, "HalfBits");
  /** The runtime's plain-Java bf16 conversions: the runtime's block conversions' fallback lanes. */
  static final ClassName BF16 = ClassName.get(RUNTIME, "Bf16");
  /** As {@code BF16}, for fp16. */
  static final ClassName FP16 = ClassName.get(RUNTIME, "Fp16");
  /** Stochastic rounding's noise, in plain Java. */
  static final ClassName ROUNDING_NOISE = ClassName.get(RUNTIME, "RoundingNoise");

  private VectorTypes() {}
}
