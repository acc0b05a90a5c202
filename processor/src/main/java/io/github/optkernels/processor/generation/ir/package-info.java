/**
 * The kernel IR: what a kernel computes, once, as data. Per-step scalars are {@link StepStatement}s
 * over double {@link Expr}essions (computed in {@code prepare}, rounded once to the loop's type);
 * each phase's loop body is an {@link ElementLoop} of {@link Statement}s over the loop's buffers.
 * The features under {@code generation/kernel} build it; the printers here read it: Java for the
 * scalar and block loops and for {@code prepare} ({@link JavaPrinter}), the fused Vector API loop
 * ({@link VectorPrinter}), and the math in the Javadoc ({@link MathPrinter}). What a loop reads and
 * writes is derived from its loads and stores ({@link ElementLoop#reads()}).
 */
package io.github.optkernels.processor.generation.ir;
