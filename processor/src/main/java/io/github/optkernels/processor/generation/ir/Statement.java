package io.github.optkernels.processor.generation.ir;

/** A statement of an element loop's body, run once per element (per vector in the fused loop). */
public sealed interface Statement permits Statement.Let, Statement.Store {

  /** Declares {@code var} with {@code value}. */
  record Let(Var var, Expr value) implements Statement {}

  /** {@code buffer[i] = value}. At most one store per buffer in a loop. */
  record Store(Buffer buffer, Expr value) implements Statement {}
}
