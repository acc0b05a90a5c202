package io.github.optkernels.annotations;

/**
 * Kahan-compensated parameter updates for bf16/fp16 parameters (optimi's scheme): with {@code u}
 * the step's additive update and {@code c} a compensation buffer in the parameter type,
 * {@code c ← round(c + u); p_old ← p; p ← round(p + c); c ← round(c + round(p_old − p))}.
 * The buffer is a state slot named {@code kahan_comp}; {@code u} includes the decoupled weight
 * decay, which is therefore compensated too.
 */
public enum Kahan {
  /**
   * On for bf16/fp16 parameters, off for float and double (optimi's default); off when the spec
   * rounds {@link ParamRounding#STOCHASTIC stochastically}, which corrects the same error.
   */
  AUTO,
  /** On for bf16/fp16 parameters; requires at least one 16-bit precision in the spec. */
  ON,
  /** Off: each update is rounded once into the parameter. */
  OFF
}
