/**
 * Optimizer state sharded across a Hazelcast cluster (data-parallel training, ZeRO stage 1): each
 * tensor is cut into shards, each shard's parameters, state and clock live in a partitioned
 * {@code IMap} on one owner member with synchronous backups, and the owner steps the shard with
 * the spec's generated kernel. {@link io.github.optkernels.cluster.ShardedOptimizer} is what a
 * worker uses; {@link io.github.optkernels.cluster.ClusterSetup} configures members and clients.
 * See docs/CLUSTER.md.
 */
package io.github.optkernels.cluster;
