package io.github.optkernels.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A per-step scalar of a {@link Rule}: a {@code static} method of the spec interface returning
 * {@code double} (or {@code boolean}), computed once per step in double, before the element loop.
 * Its value reaches the rule (or another per-step method) through a parameter of the same name,
 * rounded once to the kernel's type.
 *
 * <pre>{@code
 * @PerStep
 * static double bc1(long t, double beta1) {
 *   return 1 - Math.pow(beta1, t);
 * }
 * }</pre>
 *
 * <p>Its parameters are bound by name: {@code t}, the tensor's step count ({@code long}, 1 on
 * the first step); {@code lr}, this step's scheduled learning rate; any hyperparameter (a
 * {@link Hyper} declared {@code int} is an {@code int}); any other per-step method; and, in a
 * {@link Carried} method, its own name for the value it had after the previous step. The body is
 * one {@code return} of an expression, with locals before it if wanted: arithmetic, comparisons,
 * {@code ?:}, {@code Math.pow}, {@code Math.sqrt}, {@code Math.abs}, {@code Math.min},
 * {@code Math.max}. Integer division is refused (cast one side to {@code double}).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface PerStep {}
