package io.github.optkernels.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/** What the cluster holds for an optimizer, read through the map, for "nothing changed" assertions. */
final class ClusterState {
  private ClusterState() {}

  static IMap<Long, Shard> map(HazelcastInstance hazelcast, String name) {
    return hazelcast.getMap(ClusterSetup.MAP_PREFIX + name);
  }

  /**
   * Per shard: its step count, carried values (NAdam's Π) and a checksum of the bits of its parameters and every state
   * array (the stepped state, not the gradients waiting for the next step).
   */
  static Map<Long, String> snapshot(HazelcastInstance hazelcast, String name) {
    Map<Long, String> snapshot = new TreeMap<>();
    for (Map.Entry<Long, Shard> e : map(hazelcast, name).entrySet()) {
      Shard s = e.getValue();
      StringBuilder b = new StringBuilder();
      b.append("step ").append(s.step).append(", carried ").append(java.util.Arrays.toString(s.carried))
          .append(", param ").append(crc(s.param));
      for (Object state : s.state) {
        b.append(", state ").append(crc(state));
      }
      snapshot.put(e.getKey(), b.toString());
    }
    return snapshot;
  }

  /** Gradients recorded for the steps in progress, over all shards. */
  static int pendingGradients(HazelcastInstance hazelcast, String name) {
    int n = 0;
    for (Shard s : map(hazelcast, name).values()) {
      n += s.contributionCount();
    }
    return n;
  }

  static void awaitPendingGradients(HazelcastInstance hazelcast, String name, int atLeast) {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (pendingGradients(hazelcast, name) < atLeast) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("fewer than " + atLeast + " gradients arrived");
      }
      TestClusters.sleep(5);
    }
  }

  private static long crc(Object array) {
    CRC32C crc = new CRC32C();
    if (array instanceof float[]) {
      float[] a = (float[]) array;
      ByteBuffer b = ByteBuffer.allocate(a.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(a);
      crc.update(b);
      return crc.getValue() ^ ((long) a.length << 32);
    }
    double[] a = (double[]) array;
    ByteBuffer b = ByteBuffer.allocate(a.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asDoubleBuffer().put(a);
    crc.update(b);
    return crc.getValue() ^ ((long) a.length << 32);
  }
}
