package io.github.optkernels.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.NonFiniteGradientException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Exactly once, and bad input: a repeated gradient for a step a shard has taken changes nothing;
 * a gradient of the wrong length, a NaN gradient under REFUSE, a step out of order and workers
 * that disagree on hyperparameters each get a clear exception, and the cluster's stepped state
 * (parameters, moments, step counts, Π) is bit for bit what it was. Training then continues to
 * the single-process result.
 */
class StepRefusalTest {
  private final List<HazelcastInstance> cluster = TestClusters.three();
  private final String name = "refusal-" + UUID.randomUUID();

  private ShardedRun run(int workers) {
    return new ShardedRun(cluster, name, Workload.Spec.NADAM.factory, workers, 500, GradientReduction.SUM);
  }

  private IMap<Long, Shard> map() {
    return ClusterState.map(cluster.get(0), name);
  }

  private static double[] fieldsOfStep1() {
    KernelOptimizer o = Workload.Spec.NADAM.factory.get();
    return HyperparameterFields.nextStep(o.spec(), o.groups().get(0));
  }

  private static void assertSameAsReference(ShardedRun run, int workers, long steps) {
    ReferenceRun reference = new ReferenceRun(Workload.Spec.NADAM.factory, workers, GradientReduction.SUM);
    for (long t = 1; t <= steps; t++) {
      reference.step(t);
    }
    for (int r = 0; r < workers; r++) {
      for (int k = 0; k < Workload.TENSORS; k++) {
        Bits.assertSameBits(reference.params[k], run.params.get(r)[k], "worker " + r + " tensor " + k);
      }
    }
  }

  @Test
  void aRepeatedGradientForATakenStepChangesNothingAndReturnsThatStepsParameters() {
    try (ShardedRun run = run(1)) {
      run.step(1);
      run.step(2);
      Map<Long, String> before = ClusterState.snapshot(cluster.get(0), name);
      long key = ShardKeys.of(2, 1); // tensor 2 (1000 elements), elements [500, 1000)
      float[] other = new float[500];
      java.util.Arrays.fill(other, 123f);
      StepReply reply = map().executeOnKey(key,
          new ContributeGradient(2, 0, 1, GradientReduction.SUM, true, fieldsOfStep1(), other));
      assertEquals(StepReply.STEPPED, reply.status);
      assertEquals(2, reply.step);
      float[] expected = java.util.Arrays.copyOfRange((float[]) run.params.get(0)[2], 500, 1000);
      Bits.assertSameBits(expected, reply.param, "parameters returned for the repeated step");
      assertEquals(before, ClusterState.snapshot(cluster.get(0), name));
      run.step(3);
      assertSameAsReference(run, 1, 3);
    }
  }

  @Test
  void aGradientSentTwiceByOneWorkerCountsOnce() {
    try (ShardedRun run = run(2)) {
      run.step(1);
      // worker 0's gradients of step 2 arrive twice (as a retry after a member failure would)
      Future<?> first = run.startStep(0, 2);
      ClusterState.awaitPendingGradients(cluster.get(0), name, run.optimizers.get(0).shardCount());
      for (int k = 0; k < Workload.TENSORS; k++) {
        Object grad = Workload.newArray(k);
        Workload.fillGradient(grad, k, 2, 0);
        Object slice = grad instanceof float[] ? java.util.Arrays.copyOfRange((float[]) grad, 0, Math.min(500, Workload.LENGTHS[k]))
            : java.util.Arrays.copyOfRange((double[]) grad, 0, Math.min(500, Workload.LENGTHS[k]));
        double[] fields = HyperparameterFields.nextStep(run.optimizers.get(0).spec(),
            groupOfStep2(Workload.group(k)));
        StepReply reply = map().executeOnKey(ShardKeys.of(k, 0),
            new ContributeGradient(2, 0, 2, GradientReduction.SUM, true, fields, slice));
        assertEquals(StepReply.PENDING, reply.status);
      }
      Future<?> second = run.startStep(1, 2);
      ShardedRun.join(first);
      ShardedRun.join(second);
      run.step(3);
      assertSameAsReference(run, 2, 3);
    }
  }

  /** Group {@code g} of an optimizer configured as the workers' after one finished step. */
  private static io.github.optkernels.runtime.ParamGroup groupOfStep2(int g) {
    KernelOptimizer o = Workload.Spec.NADAM.factory.get();
    o.finishStep();
    return o.groups().get(g);
  }

  @Test
  void aGradientOfTheWrongLengthIsRefusedAndNothingChanges() {
    try (ShardedRun run = run(1)) {
      run.step(1);
      Map<Long, String> before = ClusterState.snapshot(cluster.get(0), name);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> map().executeOnKey(
          ShardKeys.of(3, 0), new ContributeGradient(2, 0, 1, GradientReduction.SUM, true, fieldsOfStep1(),
              new float[499])));
      assertTrue(e.getMessage().contains("has 499 elements but the shard has 500; nothing changed"), e.getMessage());
      IllegalArgumentException type = assertThrows(IllegalArgumentException.class, () -> map().executeOnKey(
          ShardKeys.of(3, 0), new ContributeGradient(2, 0, 1, GradientReduction.SUM, true, fieldsOfStep1(),
              new double[500])));
      assertTrue(type.getMessage().contains("is double[] but the shard holds float[]"), type.getMessage());
      assertEquals(before, ClusterState.snapshot(cluster.get(0), name));
      assertEquals(0, ClusterState.pendingGradients(cluster.get(0), name));
      run.step(2);
      assertSameAsReference(run, 1, 2);
    }
  }

  @Test
  void aWorkerWhoseTensorHasAnotherLengthIsRefusedAtRegistration() {
    try (ShardedRun run = run(1)) {
      assertEquals(Workload.TENSORS, run.optimizers.get(0).tensorCount());
      ShardedOptimizer other = ShardedOptimizer.builder(cluster.get(1), name, Workload.Spec.NADAM.factory)
          .shardSize(500).build();
      other.add(0, Workload.initialParam(0), Workload.newArray(0));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> other.add(1, new float[8], new float[8]));
      assertTrue(e.getMessage().contains("holds elements [0, 7) of 7 elements, this worker's shard [0, 8) of 8"),
          e.getMessage());
      assertEquals(1, other.tensorCount());
    }
  }

  @Test
  void aNanGradientUnderRefuseIsRefusedBeforeAnythingIsSent() {
    try (ShardedRun run = run(2)) {
      run.step(1);
      run.step(2);
      Map<Long, String> before = ClusterState.snapshot(cluster.get(0), name);
      Future<?> worker0 = run.startStep(0, 3);
      ClusterState.awaitPendingGradients(cluster.get(0), name, run.optimizers.get(0).shardCount());
      int pending = ClusterState.pendingGradients(cluster.get(0), name);
      for (int k = 0; k < Workload.TENSORS; k++) {
        Workload.fillGradient(run.grads.get(1)[k], k, 3, 1);
      }
      ((float[]) run.grads.get(1)[3])[4000] = Float.NaN;
      NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class, () -> run.optimizers.get(1).step());
      assertEquals(3, e.tensor());
      assertEquals(4000, e.index());
      assertEquals(before, ClusterState.snapshot(cluster.get(0), name));
      assertEquals(pending, ClusterState.pendingGradients(cluster.get(0), name), "worker 1 sent nothing");
      assertEquals(2, run.optimizers.get(1).stepCount());
      // the worker recomputes its gradient and takes the step; worker 0's step completes with it
      ShardedRun.join(run.startStep(1, 3));
      ShardedRun.join(worker0);
      run.step(4);
      assertSameAsReference(run, 2, 4);
    }
  }

  @Test
  void aStepOutOfOrderIsRefusedAndNothingChanges() {
    try (ShardedRun run = run(1)) {
      run.step(1);
      run.step(2);
      Map<Long, String> before = ClusterState.snapshot(cluster.get(0), name);
      IllegalStateException ahead = assertThrows(IllegalStateException.class, () -> map().executeOnKey(
          ShardKeys.of(2, 0), new ContributeGradient(4, 0, 1, GradientReduction.SUM, true, fieldsOfStep1(),
              new float[500])));
      assertTrue(ahead.getMessage().contains("sent step 4 for tensor 2 shard 0 (elements [0, 500) of 1000),"
          + " which is at step 2 and takes step 3 next; nothing changed"), ahead.getMessage());
      IllegalStateException behind = assertThrows(IllegalStateException.class, () -> map().executeOnKey(
          ShardKeys.of(2, 0), new ContributeGradient(1, 0, 1, GradientReduction.SUM, true, fieldsOfStep1(),
              new float[500])));
      assertTrue(behind.getMessage().contains("which is already at step 2; the worker is behind the cluster"),
          behind.getMessage());
      assertEquals(before, ClusterState.snapshot(cluster.get(0), name));
      run.step(3);
      assertSameAsReference(run, 1, 3);
    }
  }

  @Test
  void workersThatDisagreeOnHyperparametersAreRefused() {
    try (ShardedRun run = run(2)) {
      run.step(1);
      Map<Long, String> before = ClusterState.snapshot(cluster.get(0), name);
      ShardedOptimizer worker1 = run.optimizers.get(1);
      var h = worker1.hyperparameters(1);
      worker1.setHyperparameters(1, h.withBeta2(0.99));
      Future<?> worker0 = run.startStep(0, 2);
      ClusterState.awaitPendingGradients(cluster.get(0), name, run.optimizers.get(0).shardCount());
      int pending = ClusterState.pendingGradients(cluster.get(0), name);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ShardedRun.join(run.startStep(1, 2)));
      assertTrue(e.getMessage().contains("worker 1 takes step 2 of group 1 with {lr=0.001, beta1=0.9, beta2=0.99,"),
          e.getMessage());
      assertTrue(e.getMessage().contains("every worker must configure the optimizer alike; nothing changed"),
          e.getMessage());
      assertEquals(before, ClusterState.snapshot(cluster.get(0), name));
      assertEquals(pending, ClusterState.pendingGradients(cluster.get(0), name), "worker 1 sent no gradient");
      worker1.setHyperparameters(1, h);
      ShardedRun.join(run.startStep(1, 2));
      ShardedRun.join(worker0);
      assertSameAsReference(run, 2, 2);
    }
  }
}
