/**
 * One spec per named variant of the conformance set. The processor generates, next to each
 * {@code XSpec}, the optimizer class {@code X} and its kernels {@code XFloatKernel} and
 * {@code XDoubleKernel}. {@code docs/SEMANTICS.md} maps each variant to its options.
 */
package io.github.optkernels.examples.variants;
