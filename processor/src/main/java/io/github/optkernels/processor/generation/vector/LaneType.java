package io.github.optkernels.processor.generation.vector;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;

/**
 * What a vector loop's lanes compute in: float32 (float kernels, and 16-bit kernels, which widen
 * to float32) or float64 (double kernels' loops over native memory). It names the vector class,
 * the species constant the loop class declares ({@code F} or {@code D}), the type of the per-step
 * scalars the lanes combine with, and how a small literal of that type is written, so the printers
 * never spell {@code float} themselves.
 */
public enum LaneType {
  FLOAT(VectorTypes.FLOAT_VECTOR, "F", TypeName.FLOAT, ClassName.get(Float.class), "f"),
  DOUBLE(VectorTypes.DOUBLE_VECTOR, "D", TypeName.DOUBLE, ClassName.get(Double.class), ".0");

  private final ClassName vector;
  private final String species;
  private final TypeName scalar;
  private final ClassName boxed;
  private final String literalSuffix;

  LaneType(ClassName vector, String species, TypeName scalar, ClassName boxed, String literalSuffix) {
    this.vector = vector;
    this.species = species;
    this.scalar = scalar;
    this.boxed = boxed;
    this.literalSuffix = literalSuffix;
  }

  /** {@code FloatVector} or {@code DoubleVector}. */
  public ClassName vector() {
    return vector;
  }

  /** The name of the species constant a loop class declares: {@code F} or {@code D}. */
  public String species() {
    return species;
  }

  /** {@code float} or {@code double}: the per-step scalars and lane-independent values. */
  public TypeName scalar() {
    return scalar;
  }

  /** {@code Float} or {@code Double}: a mask's and a species' type argument, and {@code BYTES}. */
  public ClassName boxed() {
    return boxed;
  }

  /** {@code VectorMask<Float>} or {@code VectorMask<Double>}. */
  public TypeName mask() {
    return ParameterizedTypeName.get(VectorTypes.VECTOR_MASK, boxed);
  }

  /** {@code VectorSpecies<Float>} or {@code VectorSpecies<Double>}. */
  public TypeName speciesType() {
    return ParameterizedTypeName.get(VectorTypes.SPECIES, boxed);
  }

  /** A whole-number literal of the scalar type: {@code 1f}, {@code -1.0}. */
  public CodeBlock literal(int value) {
    return CodeBlock.of("$L$L", value, literalSuffix);
  }

  /** A human word for comments: {@code float32} or {@code float64}. */
  public String word() {
    return this == FLOAT ? "float32" : "float64";
  }
}
