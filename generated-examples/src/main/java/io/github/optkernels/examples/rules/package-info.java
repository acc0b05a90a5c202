/**
 * Optimizers written as rules ({@code @Rule}): each {@code XSpec} is the whole optimizer in a few
 * lines of Java, the way a user writes their own, and a starting point to copy. The processor
 * generates, next to each, the optimizer class {@code X} and its kernels; the nested specs of
 * {@code XHalf} reuse the same rule (a spec may take its rule from the interface it extends) in
 * the four 16-bit storage configurations the conformance set runs. {@code docs/WRITING_A_RULE.md}
 * explains the form.
 */
package io.github.optkernels.examples.rules;
