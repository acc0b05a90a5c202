/**
 * The optimizer sharded across a Hazelcast cluster, shown: local members for the demo's
 * data-parallel part and the {@code cluster-speed} command, which measures a sharded step on
 * GPT-2 small's shapes against the single-process step.
 */
package io.github.optkernels.examples.cluster;
