package io.github.optkernels.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.optkernels.runtime.CheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sharded state saves in the single-process checkpoint format and resumes, bit-identically,
 * in a single-process optimizer, in a cluster of another member count and shard size, and the
 * other way round. NAdam, so Π travels too; group 0's warm-up ends at step 3, so the schedule
 * position matters.
 */
class ShardedCheckpointTest {
  private static final Workload.Spec SPEC = Workload.Spec.NADAM;
  private static final int SAVED_AT = 4;
  private static final int STEPS = 8;

  @TempDir
  Path directory;

  private static ReferenceRun undisturbed(int workers) {
    ReferenceRun reference = new ReferenceRun(SPEC.factory, workers, GradientReduction.SUM);
    for (long t = 1; t <= STEPS; t++) {
      reference.step(t);
    }
    return reference;
  }

  private Path savedByACluster(Object[] params) throws IOException {
    Path file = directory.resolve("sharded.ckpt");
    try (ShardedRun run = new ShardedRun(TestClusters.three(), "save-" + UUID.randomUUID(), SPEC.factory, 2, 300,
        GradientReduction.SUM)) {
      for (long t = 1; t <= SAVED_AT; t++) {
        run.step(t);
      }
      run.optimizers.get(0).save(file);
      for (int k = 0; k < Workload.TENSORS; k++) {
        params[k] = Workload.copy(run.params.get(0)[k]);
      }
      run.optimizers.get(0).destroy();
    }
    return file;
  }

  @Test
  void aClusterCheckpointResumesInASingleProcessOptimizer() throws IOException {
    Object[] params = new Object[Workload.TENSORS];
    Path file = savedByACluster(params);
    ReferenceRun resumed = new ReferenceRun(SPEC.factory, 2, GradientReduction.SUM);
    for (int k = 0; k < Workload.TENSORS; k++) {
      System.arraycopy(params[k], 0, resumed.params[k], 0, Workload.LENGTHS[k]);
    }
    resumed.optimizer.load(file);
    assertEquals(SAVED_AT, resumed.optimizer.stepCount());
    for (long t = SAVED_AT + 1; t <= STEPS; t++) {
      resumed.step(t);
    }
    ReferenceRun reference = undisturbed(2);
    for (int k = 0; k < Workload.TENSORS; k++) {
      Bits.assertSameBits(reference.params[k], resumed.params[k], "tensor " + k);
    }
    Path end = directory.resolve("end.ckpt");
    resumed.optimizer.save(end);
    ShardedBitIdentityTest.assertSameState(reference, end);
  }

  @Test
  void aClusterCheckpointResumesOnOneMemberWithAnotherShardSize() throws IOException {
    Object[] params = new Object[Workload.TENSORS];
    Path file = savedByACluster(params);
    try (ShardedRun run = new ShardedRun(TestClusters.one(), "resume-" + UUID.randomUUID(), SPEC.factory, 2, 1000,
        GradientReduction.SUM, params)) {
      for (ShardedOptimizer optimizer : run.optimizers) {
        optimizer.load(file);
        assertEquals(SAVED_AT, optimizer.stepCount());
      }
      for (long t = SAVED_AT + 1; t <= STEPS; t++) {
        run.step(t);
      }
      ReferenceRun reference = undisturbed(2);
      for (int r = 0; r < 2; r++) {
        for (int k = 0; k < Workload.TENSORS; k++) {
          Bits.assertSameBits(reference.params[k], run.params.get(r)[k], "worker " + r + " tensor " + k);
        }
      }
      Path end = directory.resolve("end.ckpt");
      run.optimizers.get(1).save(end);
      ShardedBitIdentityTest.assertSameState(reference, end);
      run.optimizers.get(0).destroy();
    }
  }

  @Test
  void aSingleProcessCheckpointResumesInAClusterOfThreeWorkers() throws IOException {
    ReferenceRun single = new ReferenceRun(SPEC.factory, 3, GradientReduction.SUM);
    for (long t = 1; t <= SAVED_AT; t++) {
      single.step(t);
    }
    Path file = directory.resolve("single.ckpt");
    single.optimizer.save(file);
    String name = "from-single-" + UUID.randomUUID();
    try (ShardedRun run = new ShardedRun(TestClusters.three(), name, SPEC.factory, 3, 111, GradientReduction.SUM,
        single.params)) {
      for (ShardedOptimizer optimizer : run.optimizers) {
        optimizer.load(file);
      }
      for (long t = SAVED_AT + 1; t <= STEPS; t++) {
        run.step(t);
      }
      ReferenceRun reference = undisturbed(3);
      for (int k = 0; k < Workload.TENSORS; k++) {
        Bits.assertSameBits(reference.params[k], run.params.get(2)[k], "worker 2 tensor " + k);
      }
      run.optimizers.get(0).destroy();
    }
  }

  @Test
  void aDamagedCheckpointIsRefusedAndTheClusterKeepsItsState() throws IOException {
    Object[] params = new Object[Workload.TENSORS];
    Path file = savedByACluster(params);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 10] ^= 1; // a bit of the last state array
    Path damaged = directory.resolve("damaged.ckpt");
    Files.write(damaged, bytes);
    String name = "damaged-" + UUID.randomUUID();
    try (ShardedRun run = new ShardedRun(TestClusters.three(), name, SPEC.factory, 1, 300, GradientReduction.SUM,
        params)) {
      run.step(1);
      Map<Long, String> before = ClusterState.snapshot(TestClusters.three().get(0), name);
      CheckpointException e = assertThrows(CheckpointException.class, () -> run.optimizers.get(0).load(damaged));
      assertEquals(CheckpointException.Problem.CORRUPTED, e.problem());
      assertEquals(before, ClusterState.snapshot(TestClusters.three().get(0), name));
      assertEquals(1, run.optimizers.get(0).stepCount());
      run.optimizers.get(0).destroy();
    }
  }
}
