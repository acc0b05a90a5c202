package io.github.optkernels.processor.generation.vector;

import com.palantir.javapoet.ClassName;

/** The {@code jdk.incubator.vector} types the fused loops use, and the loops' species constants. */
final class VectorTypes {
  private static final String PACKAGE = "jdk.incubator.vector";

  static final ClassName FLOAT_VECTOR = ClassName.get(PACKAGE, "FloatVector");
  static final ClassName INT_VECTOR = ClassName.get(PACKAGE, "IntVector");
  static final ClassName SHORT_VECTOR = ClassName.get(PACKAGE, "ShortVector");
  static final ClassName VECTOR_MASK = ClassName.get(PACKAGE, "VectorMask");
  static final ClassName OPERATORS = ClassName.get(PACKAGE, "VectorOperators");
  static final ClassName SPECIES = ClassName.get(PACKAGE, "VectorSpecies");
  static final ClassName SHAPE = ClassName.get(PACKAGE, "VectorShape");

  /** The float lanes' species constant: the preferred width (8 lanes with AVX2, 16 with AVX-512). */
  static final String FLOATS = "F";
  /** Int lanes of the same width, for the bit operations. */
  static final String INTS = "I";
  /** Short lanes of half that width: the same number of lanes, for 16-bit loads and stores. */
  static final String SHORTS = "S";
  /** Lane numbers 0, 1, 2, ...: the element index of each lane is {@code i + LANES}. */
  static final String LANES = "LANES";

  private VectorTypes() {}
}
