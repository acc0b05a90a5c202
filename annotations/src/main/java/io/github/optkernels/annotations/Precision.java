package io.github.optkernels.annotations;

/** A storage precision of parameter and gradient buffers; one kernel class is generated per precision. */
public enum Precision {
  /** {@code float[]} buffers, arithmetic in float32. */
  FLOAT,
  /** {@code double[]} buffers, arithmetic in float64. */
  DOUBLE,
  /** bfloat16 raw bits in {@code short[]} buffers, arithmetic in float32, stores rounded to nearest even. */
  BFLOAT16,
  /** IEEE fp16 raw bits in {@code short[]} buffers, arithmetic in float32, stores rounded to nearest even. */
  FLOAT16
}
