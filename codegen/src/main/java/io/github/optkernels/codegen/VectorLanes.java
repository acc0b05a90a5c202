package io.github.optkernels.codegen;

import static io.github.optkernels.codegen.VectorTypes.FLOAT_VECTOR;
import static io.github.optkernels.codegen.VectorTypes.INT_VECTOR;
import static io.github.optkernels.codegen.VectorTypes.SHAPE;
import static io.github.optkernels.codegen.VectorTypes.SPECIES;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The static fields a class using {@link HalfVectorCode} declares: the species the templates
 * name ({@code F}, {@code I}, {@code S}) and the lane numbers of stochastic rounding's noise
 * ({@code LANES}). Written once, so the runtime's block conversions and the fused loops use the
 * same lane layout.
 */
public final class VectorLanes {
  private VectorLanes() {}

  /**
   * {@code F}: float lanes at the preferred width; {@code I}: int lanes of the same width;
   * {@code S}: 16-bit lanes of half the width, as many lanes, so the widening and narrowing are
   * {@code S2I}/{@code I2S} conversions.
   */
  public static List<FieldSpec> species() {
    return List.of(
        FieldSpec.builder(ParameterizedTypeName.get(SPECIES, ClassName.get(Float.class)), "F",
                Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("Float lanes at the preferred width: 8 with AVX2, 16 with AVX-512.\n")
            .initializer("$T.SPECIES_PREFERRED", FLOAT_VECTOR).build(),
        FieldSpec.builder(ParameterizedTypeName.get(SPECIES, ClassName.get(Integer.class)), "I",
                Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("Int lanes of the same width, for the bit operations.\n")
            .initializer("$T.SPECIES_PREFERRED", INT_VECTOR).build(),
        FieldSpec.builder(ParameterizedTypeName.get(SPECIES, ClassName.get(Short.class)), "S",
                Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("16-bit lanes of half the width: as many lanes, for the loads and stores.\n")
            .initializer("$T.of(short.class, $T.forBitSize(F.vectorBitSize() / 2))", SPECIES, SHAPE).build());
  }

  /** {@code LANES}: 0, 1, 2, ..., added to a vector's first element index for the noise counter. */
  public static FieldSpec noiseLanes() {
    return FieldSpec.builder(INT_VECTOR, "LANES", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("0, 1, 2, ...: lane k holds element i + k, whose index the rounding noise hashes.\n")
        .initializer("$T.zero(I).addIndex(1)", INT_VECTOR).build();
  }
}
