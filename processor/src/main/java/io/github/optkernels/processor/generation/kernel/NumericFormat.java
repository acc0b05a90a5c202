package io.github.optkernels.processor.generation.kernel;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import io.github.optkernels.annotations.Precision;

/**
 * How one precision loads, computes and stores: the compute type, the buffer types, and the few
 * expressions that differ between float and double (rounding a per-step scalar, the square root).
 */
public enum NumericFormat {
  FLOAT(TypeName.FLOAT, "float"),
  DOUBLE(TypeName.DOUBLE, "double");

  private final TypeName compute;
  private final String javaName;

  NumericFormat(TypeName compute, String javaName) {
    this.compute = compute;
    this.javaName = javaName;
  }

  /** The format generated for {@code precision}. */
  public static NumericFormat of(Precision precision) {
    switch (precision) {
      case FLOAT:
        return FLOAT;
      case DOUBLE:
        return DOUBLE;
      default:
        throw new IllegalArgumentException("no kernel format for " + precision + " yet");
    }
  }

  /** The arithmetic type of the element loop. */
  public TypeName computeType() {
    return compute;
  }

  /** Parameter and gradient buffer type. */
  public TypeName bufferType() {
    return ArrayTypeName.of(compute);
  }

  /** State buffer type. */
  public TypeName stateType() {
    return ArrayTypeName.of(compute);
  }

  /** Java spelling of the compute type, for docs. */
  public String javaName() {
    return javaName;
  }

  /** A per-step scalar computed in double, rounded once to the compute type. */
  public CodeBlock fromDouble(CodeBlock doubleExpression) {
    if (this != FLOAT) {
      return doubleExpression;
    }
    // a cast binds tighter than any operator: parenthesise anything but a single term
    boolean singleTerm = !doubleExpression.toString().contains(" ");
    return CodeBlock.of(singleTerm ? "(float) $L" : "(float) ($L)", doubleExpression);
  }

  /**
   * The square root in the compute type. For float, C2 turns {@code (float) Math.sqrt(x)} into a
   * single-precision sqrt (and vectorizes it); the double detour is not taken at run time.
   */
  public CodeBlock sqrt(CodeBlock operand) {
    return this == FLOAT
        ? CodeBlock.of("(float) $T.sqrt($L)", Math.class, operand)
        : CodeBlock.of("$T.sqrt($L)", Math.class, operand);
  }
}
