package io.github.optkernels.cluster;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A worker that is a client of the cluster (not a member: it holds no shards) trains with a worker
 * that is a member, bit for bit like the single-process optimizer; the owners' refusals reach it
 * with their type and message.
 */
class ClientModeTest {
  @Test
  void aClientWorkerTrainsLikeAMemberWorker() {
    List<HazelcastInstance> members = TestClusters.three();
    ClientConfig config = new ClientConfig();
    config.setClusterName(members.get(0).getConfig().getClusterName());
    config.setProperty("hazelcast.logging.type", "none");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    InetSocketAddress address = (InetSocketAddress) members.get(0).getLocalEndpoint().getSocketAddress();
    config.getNetworkConfig().addAddress("127.0.0.1:" + address.getPort());
    ClusterSetup.configureClient(config);
    HazelcastInstance client = HazelcastClient.newHazelcastClient(config);
    String name = "client-" + UUID.randomUUID();
    try (ShardedRun run = new ShardedRun(List.of(client, members.get(1)), name, Workload.Spec.RADAM.factory, 2, 400,
        GradientReduction.MEAN)) {
      ReferenceRun reference = new ReferenceRun(Workload.Spec.RADAM.factory, 2, GradientReduction.MEAN);
      for (long t = 1; t <= 7; t++) {
        run.step(t);
        reference.step(t);
      }
      for (int r = 0; r < 2; r++) {
        for (int k = 0; k < Workload.TENSORS; k++) {
          Bits.assertSameBits(reference.params[k], run.params.get(r)[k], "worker " + r + " tensor " + k);
        }
      }
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> ClusterState.map(client, name)
          .executeOnKey(ShardKeys.of(2, 0), new ContributeGradient(9, 0, 2, GradientReduction.MEAN, true,
              new double[HyperparameterFields.COUNT], new float[400])));
      assertTrue(e.getMessage().contains("sent step 9 for tensor 2 shard 0"), e.getMessage());
      run.optimizers.get(0).destroy();
    } finally {
      client.shutdown();
    }
  }
}
