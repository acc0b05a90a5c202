package io.github.optkernels.processor.generation;

import com.palantir.javapoet.CodeBlock;

/**
 * The only way numbers enter generated code. JavaPoet's {@code $L} would print a float as a
 * double literal and NaN/Infinity as bare words; these produce exact, compilable literals.
 */
public final class Literals {
  private Literals() {}

  /** An exact {@code double} literal ({@code Double.toString} round-trips), or the named constant. */
  public static CodeBlock ofDouble(double value) {
    if (Double.isNaN(value)) {
      return CodeBlock.of("$T.NaN", Double.class);
    }
    if (Double.isInfinite(value)) {
      return CodeBlock.of(value > 0 ? "$T.POSITIVE_INFINITY" : "$T.NEGATIVE_INFINITY", Double.class);
    }
    return CodeBlock.of("$L", Double.toString(value));
  }

  /** An exact {@code float} literal with its {@code f} suffix, or the named constant. */
  public static CodeBlock ofFloat(float value) {
    if (Float.isNaN(value)) {
      return CodeBlock.of("$T.NaN", Float.class);
    }
    if (Float.isInfinite(value)) {
      return CodeBlock.of(value > 0 ? "$T.POSITIVE_INFINITY" : "$T.NEGATIVE_INFINITY", Float.class);
    }
    return CodeBlock.of("$Lf", Float.toString(value));
  }

  /** An {@code int} literal. */
  public static CodeBlock ofInt(int value) {
    return CodeBlock.of("$L", Integer.toString(value));
  }
}
