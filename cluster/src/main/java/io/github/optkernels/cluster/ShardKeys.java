package io.github.optkernels.cluster;

/**
 * The key of a shard in the optimizer's map: tensor index and shard index in one {@code long}
 * (Hazelcast serializes and hashes it without an object of ours), so the shards of a tensor spread
 * over the partitions and thus over the members.
 */
final class ShardKeys {
  private ShardKeys() {}

  static long of(int tensor, int shard) {
    return ((long) tensor << 32) | (shard & 0xFFFF_FFFFL);
  }

  static String describe(long key) {
    return "tensor " + (int) (key >>> 32) + " shard " + (int) key;
  }
}
