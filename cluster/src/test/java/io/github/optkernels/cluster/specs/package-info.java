/**
 * Specs the cluster tests train with, copies of generated-examples' variants (compiled here by the
 * processor, so this module does not depend on generated-examples, which depends on it).
 */
package io.github.optkernels.cluster.specs;
