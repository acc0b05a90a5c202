package io.github.optkernels.processor.generation.kernel;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;

/**
 * The arithmetic of a kernel's element loop: the compute type and the few expressions that differ
 * between float and double (rounding a per-step scalar, the square root). How a kernel's buffers
 * are stored (float[], double[], or 16-bit bits computed in float) is {@link KernelStorage}'s.
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

  /** The arithmetic type of the element loop. */
  public TypeName computeType() {
    return compute;
  }

  /** An array of the compute type: the buffer type of float and double kernels. */
  public TypeName bufferType() {
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
