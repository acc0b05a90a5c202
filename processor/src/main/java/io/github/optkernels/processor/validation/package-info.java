/**
 * Phase 2, validate: every rule a spec must satisfy, reported as compile errors on the smallest
 * culprit (the annotation member when there is one). All problems are reported before anything
 * is generated; a spec with errors generates nothing.
 */
package io.github.optkernels.processor.validation;
