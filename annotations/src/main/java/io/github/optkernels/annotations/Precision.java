package io.github.optkernels.annotations;

/** A storage precision of parameter and gradient buffers; one kernel class is generated per precision. */
public enum Precision {
  /** {@code float[]} buffers, arithmetic in float32. */
  FLOAT,
  /** {@code double[]} buffers, arithmetic in float64. */
  DOUBLE,
  /**
   * bfloat16 raw bits in {@code short[]} buffers (the upper half of a float32), arithmetic in
   * float32; the parameter is stored as {@link Optimizer#kahan()} and {@link Optimizer#rounding()}
   * say, the state as {@link Optimizer#statePrecision()} says. Registered with the generated
   * optimizer's {@code addBf16}.
   */
  BFLOAT16,
  /** IEEE binary16 raw bits in {@code short[]} buffers, otherwise as {@link #BFLOAT16}; {@code addFp16}. */
  FLOAT16
}
