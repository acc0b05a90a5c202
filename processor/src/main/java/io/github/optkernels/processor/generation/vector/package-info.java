/**
 * The fused Vector API flavour of 16-bit kernel loops: the phase's element loop of the kernel IR,
 * printed by {@link io.github.optkernels.processor.generation.ir.VectorPrinter} between vector
 * loads and rounded stores ({@link io.github.optkernels.processor.generation.vector.FusedLoopWriter}).
 * The loads and stores of 16-bit buffers are optkernels-codegen's templates
 * ({@link io.github.optkernels.codegen.HalfVectorCode}), which the runtime's Vector API block
 * conversions are generated from too.
 * Only generated when the compilation can see {@code jdk.incubator.vector}.
 */
package io.github.optkernels.processor.generation.vector;
