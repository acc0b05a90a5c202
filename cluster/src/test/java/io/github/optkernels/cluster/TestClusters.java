package io.github.optkernels.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real Hazelcast members in this JVM, joined over TCP on 127.0.0.1 (no multicast), each cluster
 * under its own name and ports so that concurrent test runs never meet. Timeouts are short so that
 * a killed member is noticed in seconds. The shared clusters are started once per test JVM.
 */
final class TestClusters {
  /** Port slots of 10, taken in turn from a random start, so clusters of one test JVM never share ports. */
  private static final AtomicInteger SLOT = new AtomicInteger(ThreadLocalRandom.current().nextInt(2_000));
  private static List<HazelcastInstance> three;
  private static List<HazelcastInstance> one;

  private TestClusters() {}

  /** A shared cluster of three members, one backup per shard. Do not kill its members. */
  static synchronized List<HazelcastInstance> three() {
    if (three == null) {
      three = start(3, 1);
    }
    return three;
  }

  /** A shared cluster of one member (no backup possible). */
  static synchronized List<HazelcastInstance> one() {
    if (one == null) {
      one = start(1, 0);
    }
    return one;
  }

  /** A new cluster of {@code members} members with {@code backups} backups; the caller shuts it down. */
  static List<HazelcastInstance> start(int members, int backups) {
    String name = "optk-test-" + UUID.randomUUID();
    int base = 20_000 + SLOT.getAndIncrement() % 2_000 * 10;
    List<HazelcastInstance> instances = new ArrayList<>();
    List<Thread> starting = new ArrayList<>();
    HazelcastInstance[] started = new HazelcastInstance[members];
    RuntimeException[] failed = new RuntimeException[1];
    for (int m = 0; m < members; m++) {
      int index = m;
      Thread t = new Thread(() -> {
        try {
          started[index] = Hazelcast.newHazelcastInstance(config(name, base, members, backups));
        } catch (RuntimeException e) {
          failed[0] = e;
        }
      });
      t.start();
      starting.add(t);
    }
    for (Thread t : starting) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    if (failed[0] != null) {
      throw failed[0];
    }
    for (HazelcastInstance h : started) {
      instances.add(h);
    }
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (instances.get(0).getCluster().getMembers().size() < members) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the members did not form one cluster");
      }
      sleep(20);
    }
    return instances;
  }

  static Config config(String clusterName, int basePort, int members, int backups) {
    Config config = new Config();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.partition.count", "31");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.max.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "4");
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "3600");
    config.setProperty("hazelcast.merge.next.run.delay.seconds", "3600");
    config.setProperty("hazelcast.invocation.retry.pause.millis", "50");
    config.setProperty("hazelcast.graceful.shutdown.max.wait", "10");
    config.setProperty("hazelcast.logging.type", "none");
    config.getJetConfig().setEnabled(false);
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(basePort).setPortAutoIncrement(true).setPortCount(members + 2);
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2);
    for (int p = 0; p < members + 2; p++) {
      join.getTcpIpConfig().addMember("127.0.0.1:" + (basePort + p));
    }
    ClusterSetup.configureMember(config, backups);
    return config;
  }

  static void shutdown(List<HazelcastInstance> members) {
    for (HazelcastInstance h : members) {
      if (h.getLifecycleService().isRunning()) {
        h.getLifecycleService().terminate();
      }
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
