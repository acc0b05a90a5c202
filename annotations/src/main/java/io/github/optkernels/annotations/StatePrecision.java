package io.github.optkernels.annotations;

/**
 * Storage of the per-element state (moments, AMSGrad maximum) for 16-bit parameters.
 * {@code float} and {@code double} parameters always keep state in their own precision.
 */
public enum StatePrecision {
  /** float32 state next to bf16/fp16 parameters (mixed precision; the usual choice). */
  FLOAT32,
  /** State in the parameter's own 16-bit type (pure bf16/fp16 training; half the state memory). */
  PARAMETER
}
