/**
 * The loops a competent Java user writes from the published formulas, the bar the generated
 * kernels must meet (the bench module's benchmarks, {@code loop-check} and the demo's speed
 * check compare against them): per-step scalars computed once in double and hoisted, then one plain pass
 * over the elements (two for LAMB, whose trust ratio needs the tensor's two norms before any
 * parameter moves). Nothing here knows about the generator; the runtime's
 * {@link io.github.optkernels.runtime.Hyperparameters} is only used to carry the numbers.
 *
 * <p>Each variant is one class with a {@code float[]} and a {@code double[]} loop over a range
 * {@code [from, to)} (so the all-cores rows can split a tensor over threads); bf16 parameters with
 * float32 state have their own classes (AdamW rounded to nearest and Kahan-compensated; Lion and
 * Adan Kahan-compensated). The numbers the later families add to the built-in hyperparameters
 * (Adan's β3, SGD's momentum and dampening, Schedule-Free's warm-up and weight powers) are declared
 * in {@link io.github.optkernels.examples.handwritten.HandHyperparameters}. {@code BaselineConformanceTest} runs every matching case
 * of the project's conformance set through each of them with the project's tolerances: a baseline
 * that computes something else would prove nothing.
 */
package io.github.optkernels.examples.handwritten;
