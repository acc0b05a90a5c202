package io.github.optkernels.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The per-element rule of an optimizer the user writes: a {@code static} method of the spec
 * interface, in plain Java over {@code float}s, that the processor reads from source and turns
 * into the same kernels the built-in family gets (float, double, bf16/fp16 with Kahan or
 * stochastic rounding, fused Vector API loops, all cores, checkpoints).
 *
 * <pre>{@code
 * @Optimizer(name = "Lion", decay = WeightDecay.DECOUPLED, lr = 1e-4, beta1 = 0.9, beta2 = 0.99)
 * interface LionSpec {
 *   @Rule
 *   static float update(float g, @State("exp_avg") float m, float lr, float beta1, float beta2) {
 *     float c = beta1 * m + (1 - beta1) * g;      // with the old m
 *     m = beta2 * m + (1 - beta2) * g;            // writes the state slot
 *     return -lr * Math.signum(c);                // the additive update of the parameter
 *   }
 * }
 * }</pre>
 *
 * <p><b>Parameters</b> are bound by name (and checked): {@code g} the gradient (after
 * {@code maximize} and L2 decay), {@code p} the parameter before this step, a hyperparameter
 * ({@code lr} is this step's scheduled rate; {@code beta1}, {@code beta2}, {@code eps},
 * {@code weightDecay}, or one the spec declares with {@link Hyper}), a {@link PerStep} method's
 * name, or a state slot annotated {@link State}. Every value is rounded once to the kernel's
 * type: in the float kernel a {@code float}, in the double kernel the same rule runs in double.
 *
 * <p><b>The body</b> may declare {@code float} (and {@code boolean}) locals, assign locals and
 * state slots, and use {@code + - * /}, unary minus, comparisons, the ternary
 * {@code ?:}, {@code Math.sqrt} (cast back: {@code (float) Math.sqrt(x)}), {@code Math.abs},
 * {@code Math.min}, {@code Math.max}, {@code Math.signum}, {@code Math.fma} and
 * {@link Tensor#norm}. A state slot read after it is written reads the new value. The method
 * returns the step's additive update {@code u} ({@code p ← p + u}: Kahan compensation and the
 * weight-decay modes apply to it), or is {@code void} and assigns {@code p} itself (a rule that
 * computes the new parameter from its state, as schedule-free AdamW does; no Kahan).
 * Anything else (loops, {@code if}, calls, fields, {@code new}, {@code double} arithmetic) is a
 * compile error on that expression that says what to write instead.
 *
 * <p>Kept in class files so that a spec extending a compiled interface with a rule is told that
 * the rule's source is needed, rather than silently getting no rule.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Rule {}
