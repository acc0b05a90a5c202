/**
 * Phase 1, read: turns an {@code @Optimizer} annotation mirror into an {@link
 * io.github.optkernels.processor.reading.AnnotatedSpec} — plain values plus, for every member,
 * the annotation value a diagnostic should point at — and says where things sit in the source
 * ({@link io.github.optkernels.processor.reading.SourceLocations}: a type's file name, the offset
 * of a diagnostic). Nothing here judges the values.
 */
package io.github.optkernels.processor.reading;
