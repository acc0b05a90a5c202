package io.github.optkernels.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hazelcast.core.HazelcastInstance;
import java.util.List;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With one backup per shard, killing a member (terminate: no graceful hand-over, as a crash)
 * between steps or in the middle of a step loses nothing: the backups take over, requests that
 * were in flight are retried by Hazelcast and applied exactly once, and the final parameters and
 * state are bit for bit those of an undisturbed run. The workers run on members 0 and 1; member 2
 * is killed.
 */
class MemberFailureTest {
  private static final int STEPS = 6;
  private List<HazelcastInstance> cluster;

  @AfterEach
  void shutdown() {
    if (cluster != null) {
      TestClusters.shutdown(cluster);
    }
  }

  private void assertUndisturbed(ShardedRun run) {
    ReferenceRun reference = new ReferenceRun(Workload.Spec.ADAMW.factory, 2, GradientReduction.SUM);
    for (long t = 1; t <= STEPS; t++) {
      reference.step(t);
    }
    for (int r = 0; r < 2; r++) {
      assertEquals(STEPS, run.optimizers.get(r).stepCount());
      for (int k = 0; k < Workload.TENSORS; k++) {
        Bits.assertSameBits(reference.params[k], run.params.get(r)[k], "worker " + r + " tensor " + k);
      }
    }
  }

  @Test
  void aMemberKilledBetweenStepsLosesNothing() throws Exception {
    cluster = TestClusters.start(3, 1);
    try (ShardedRun run = new ShardedRun(cluster.subList(0, 2), "kill-between", Workload.Spec.ADAMW.factory, 2, 300,
        GradientReduction.SUM)) {
      for (long t = 1; t <= 3; t++) {
        run.step(t);
      }
      cluster.get(2).getLifecycleService().terminate();
      for (long t = 4; t <= STEPS; t++) {
        run.step(t);
      }
      assertUndisturbed(run);
      assertEquals(2, cluster.get(0).getCluster().getMembers().size());
    }
  }

  @Test
  void aMemberKilledDuringAStepLosesNothing() throws Exception {
    cluster = TestClusters.start(3, 1);
    try (ShardedRun run = new ShardedRun(cluster.subList(0, 2), "kill-during", Workload.Spec.ADAMW.factory, 2, 300,
        GradientReduction.SUM)) {
      run.step(1);
      run.step(2);
      // step 3: worker 0's gradients wait on the owners (and their backups) for worker 1's
      Future<?> worker0 = run.startStep(0, 3);
      ClusterState.awaitPendingGradients(cluster.get(0), "kill-during", run.optimizers.get(0).shardCount());
      Future<?> worker1 = run.startStep(1, 3);
      cluster.get(2).getLifecycleService().terminate(); // while worker 1's gradients are on their way
      ShardedRun.join(worker0);
      ShardedRun.join(worker1);
      for (long t = 4; t <= STEPS; t++) {
        run.step(t);
      }
      assertUndisturbed(run);
    }
  }
}
