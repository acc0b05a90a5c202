package io.github.optkernels.examples.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.github.optkernels.cluster.ClusterSetup;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hazelcast members started in this JVM, joined over TCP on 127.0.0.1 (no multicast, a random
 * cluster name and port range, so they never meet another cluster), configured for sharded
 * optimizers with {@link ClusterSetup#configureMember}: what the cluster demo and the cluster
 * speed check run on. A real deployment runs one member per machine (docs/CLUSTER.md).
 */
public final class LocalMembers implements AutoCloseable {
  private final List<HazelcastInstance> members;

  private LocalMembers(List<HazelcastInstance> members) {
    this.members = members;
  }

  /** Starts {@code count} members (in parallel) with {@code backups} backups of every shard. */
  public static LocalMembers start(int count, int backups) {
    String name = "optkernels-" + UUID.randomUUID();
    int base = 30_000 + ThreadLocalRandom.current().nextInt(1_000) * 10;
    HazelcastInstance[] started = new HazelcastInstance[count];
    RuntimeException[] failure = new RuntimeException[1];
    List<Thread> threads = new ArrayList<>();
    for (int m = 0; m < count; m++) {
      int index = m;
      Thread thread = new Thread(() -> {
        try {
          started[index] = Hazelcast.newHazelcastInstance(config(name, base, count, backups));
        } catch (RuntimeException e) {
          failure[0] = e;
        }
      }, "member-start-" + m);
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting members", e);
      }
    }
    if (failure[0] != null) {
      for (HazelcastInstance member : started) {
        if (member != null) {
          member.getLifecycleService().terminate();
        }
      }
      throw failure[0];
    }
    LocalMembers members = new LocalMembers(List.of(started));
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (started[0].getCluster().getMembers().size() < count) {
      if (System.nanoTime() > deadline) {
        members.close();
        throw new IllegalStateException(count + " members did not form one cluster within a minute");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        members.close();
        throw new IllegalStateException("interrupted while the members joined", e);
      }
    }
    return members;
  }

  private static Config config(String name, int base, int count, int backups) {
    Config config = new Config();
    config.setClusterName(name);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "none");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
    config.getJetConfig().setEnabled(false);
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(base).setPortAutoIncrement(true).setPortCount(count + 2);
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1);
    for (int p = 0; p < count + 2; p++) {
      join.getTcpIpConfig().addMember("127.0.0.1:" + (base + p));
    }
    return ClusterSetup.configureMember(config, backups);
  }

  /** Member {@code index}. */
  public HazelcastInstance get(int index) {
    return members.get(index);
  }

  public int size() {
    return members.size();
  }

  @Override
  public void close() {
    for (HazelcastInstance member : members) {
      member.getLifecycleService().terminate();
    }
  }
}
