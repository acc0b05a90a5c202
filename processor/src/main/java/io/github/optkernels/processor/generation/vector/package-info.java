/**
 * The fused Vector API flavour of 16-bit kernel loops: the block loop's element statements parsed
 * back ({@link io.github.optkernels.processor.generation.vector.ElementParser}) and translated
 * operation by operation into {@code FloatVector} code, between vector loads and rounded stores.
 * Only generated when the compilation can see {@code jdk.incubator.vector}.
 */
package io.github.optkernels.processor.generation.vector;
