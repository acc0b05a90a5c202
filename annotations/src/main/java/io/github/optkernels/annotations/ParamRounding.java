package io.github.optkernels.annotations;

/** How an updated bf16/fp16 parameter is rounded to its storage type. */
public enum ParamRounding {
  /** Round to nearest, ties to even. */
  NEAREST_EVEN,
  /**
   * Stochastic rounding: round up with probability equal to the remainder's fraction of an ulp,
   * so the rounding is unbiased. The random bits are a counter-based hash of (seed, step,
   * element index), so a run is reproducible bit for bit whatever the thread count or chunking.
   * The seed is the generated builder's {@code seed(long)} (default 0), decorrelated per tensor by
   * its registration order. Requires at least one 16-bit precision and {@code kahan} other than
   * {@code ON} ({@code AUTO} is then off).
   */
  STOCHASTIC
}
