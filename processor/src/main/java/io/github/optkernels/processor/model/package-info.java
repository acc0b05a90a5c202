/**
 * Phase 3, model: the validated, immutable description of one optimizer — its structural
 * choices ({@link io.github.optkernels.processor.model.Structure}), hyperparameter defaults and
 * precisions. Generators read only this, never elements or annotation mirrors.
 */
package io.github.optkernels.processor.model;
