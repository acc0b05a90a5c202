/**
 * The optimizer spec vocabulary.
 *
 * <p>A user annotates an empty interface with {@link io.github.optkernels.annotations.Optimizer};
 * the optkernels annotation processor turns it into step kernels and an optimizer class. Every
 * structural choice (which moment rule, where eps sits, which weight decay, ...) is an enum or
 * boolean member resolved at compile time; every number is a run-time hyperparameter whose
 * default the annotation sets.
 *
 * <p>Notation used throughout: {@code t} is the step count (incremented before the step, so the
 * first step has {@code t = 1}), {@code g} the gradient, {@code p} the parameter, {@code m} and
 * {@code v} the first and second moments, {@code β1, β2, ε, λ (weight decay), lr} the
 * hyperparameters, {@code bc1 = 1 − β1^t} and {@code bc2 = 1 − β2^t} the bias corrections.
 * The complete semantics, option by option, are in {@code docs/SEMANTICS.md}.
 */
package io.github.optkernels.annotations;
