package io.github.optkernels.processor.generation.ir;

import io.github.optkernels.processor.model.Phase;

/** A statement of {@code prepare}: per-step arithmetic in double, run once per step. */
public sealed interface StepStatement permits StepStatement.Let, StepStatement.SetScalar,
    StepStatement.SetField, StepStatement.ChoosePhase, StepStatement.SetPhase, StepStatement.Comment {

  /** Declares the double (or long) local {@code var}. */
  record Let(Var var, Expr value) implements StepStatement {}

  /** Sets a per-step scalar: {@code value}, computed in double, rounded once to the loop's type. */
  record SetScalar(StepScalar scalar, Expr value) implements StepStatement {}

  /** Sets a double field of the kernel (kept for inspection or for the runtime), unrounded. */
  record SetField(String field, Expr value) implements StepStatement {}

  /** Picks the loop of this step: {@code whenTrue} if {@code condition} holds, else {@code whenFalse}. */
  record ChoosePhase(Expr condition, Phase whenTrue, Phase whenFalse) implements StepStatement {}

  /** The step runs {@code phase}'s loop. */
  record SetPhase(Phase phase) implements StepStatement {}

  /** A comment in the generated {@code prepare}, saying why. */
  record Comment(String text) implements StepStatement {}
}
