/**
 * Phase 4, generate: JavaPoet generators that turn an {@link
 * io.github.optkernels.processor.model.OptimizerModel} into source. {@link
 * io.github.optkernels.processor.generation.KernelGenerator} holds the one kernel skeleton; the
 * {@code kernel} subpackage holds the features that fill it, one file per feature.
 */
package io.github.optkernels.processor.generation;
