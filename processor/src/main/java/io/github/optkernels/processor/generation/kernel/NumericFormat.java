package io.github.optkernels.processor.generation.kernel;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.TypeName;

/**
 * The arithmetic type of a kernel's element loop. How a kernel's buffers are stored (float[],
 * double[], or 16-bit bits computed in float) is {@link KernelStorage}'s; how an expression is
 * spelled in that type is the IR printers'.
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
}
