package io.github.optkernels.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kernel that sums over its whole tensor before it updates ({@link NormScaled}) runs sharded:
 * each such tensor is one shard whatever the shard size, so its owner's sums are the tensor's,
 * and a run on three members equals the single-process optimizer bit for bit, carried values
 * included, through a checkpoint and back.
 */
class ShardedSumsTest {
  @TempDir
  Path directory;

  @Test
  void aTensorWithSumsIsOneShardAndStepsAsTheSingleProcessOptimizer() throws IOException {
    List<HazelcastInstance> cluster = TestClusters.three();
    ReferenceRun reference = new ReferenceRun(Workload.Spec.NORM_SCALED.factory, 2, GradientReduction.MEAN);
    String name = "sums-" + UUID.randomUUID();
    try (ShardedRun run = new ShardedRun(cluster, name, Workload.Spec.NORM_SCALED.factory, 2, 61,
        GradientReduction.MEAN)) {
      // 4099 elements in shards of 61 would be 68 shards; with sums every tensor is one
      assertEquals(Workload.TENSORS, run.optimizers.get(0).shardCount());
      for (long t = 1; t <= ShardedBitIdentityTest.STEPS; t++) {
        reference.step(t);
        run.step(t);
      }
      for (int r = 0; r < 2; r++) {
        for (int k = 0; k < Workload.TENSORS; k++) {
          Bits.assertSameBits(reference.params[k], run.params.get(r)[k], "worker " + r + " tensor " + k);
        }
      }
      double[] carried = reference.optimizer.carriedValues(reference.params[0]);
      assertTrue(carried[0] > 0 && carried[1] > carried[0], "lr_max and weight_sum advanced");
      Path file = directory.resolve("sums.ckpt");
      run.optimizers.get(0).save(file);
      ShardedBitIdentityTest.assertSameState(reference, file);

      // and back into the cluster: the loaded shards carry the saved values and step on alike
      try (ShardedRun resumed = new ShardedRun(cluster, name + "-resumed", Workload.Spec.NORM_SCALED.factory, 2, 61,
          GradientReduction.MEAN, run.params.get(0))) {
        for (ShardedOptimizer optimizer : resumed.optimizers) {
          optimizer.load(file);
        }
        long next = ShardedBitIdentityTest.STEPS + 1;
        reference.step(next);
        resumed.step(next);
        for (int k = 0; k < Workload.TENSORS; k++) {
          Bits.assertSameBits(reference.params[k], resumed.params.get(1)[k], "resumed tensor " + k);
        }
        Path after = directory.resolve("after.ckpt");
        resumed.optimizers.get(0).save(after);
        ShardedBitIdentityTest.assertSameState(reference, after);
        assertArrayEquals(reference.optimizer.carriedValues(reference.params[0]),
            ClusterState.map(cluster.get(0), name + "-resumed").get(ShardKeys.of(0, 0)).carried);
        resumed.optimizers.get(0).destroy();
      }
      run.optimizers.get(0).destroy();
    }
  }
}
