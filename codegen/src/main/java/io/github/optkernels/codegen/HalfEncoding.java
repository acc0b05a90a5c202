package io.github.optkernels.codegen;

/** The two 16-bit formats a {@code short} can hold: which conversion a template writes. */
public enum HalfEncoding {
  /** bfloat16: the upper half of a float32. */
  BF16,
  /** IEEE binary16: sign, 5 exponent bits, 10 mantissa bits. */
  FP16
}
