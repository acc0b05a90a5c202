package io.github.optkernels.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hazelcast.core.HazelcastInstance;
import io.github.optkernels.runtime.KernelOptimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A sharded run equals the single-process optimizer fed the reduced gradient, bit for bit, in
 * parameters (on every worker), state, step counts and NAdam's Π, for several specs, member
 * counts, worker counts, shard sizes and both reductions. Eight steps: RAdam changes phase at
 * step 6, the warm-up schedule of group 0 ends at step 3.
 */
class ShardedBitIdentityTest {
  static final int STEPS = 8;

  @TempDir
  Path directory;

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(Workload.Spec.ADAMW, 3, 2, 1000, GradientReduction.SUM),
        Arguments.of(Workload.Spec.NADAM, 3, 2, 1000, GradientReduction.SUM),
        Arguments.of(Workload.Spec.RADAM, 3, 2, 1000, GradientReduction.SUM),
        Arguments.of(Workload.Spec.AMSGRAD, 3, 2, 1000, GradientReduction.SUM),
        Arguments.of(Workload.Spec.RADAMW_FULLY_DECOUPLED, 3, 2, 1000, GradientReduction.SUM),
        // a rule's own hyperparameters travel with the step (its second group sets other values)
        Arguments.of(Workload.Spec.SCALED_MOMENTUM, 3, 2, 1000, GradientReduction.SUM),
        Arguments.of(Workload.Spec.ADAMW, 1, 1, 1 << 20, GradientReduction.SUM),
        Arguments.of(Workload.Spec.NADAM, 3, 3, 61, GradientReduction.MEAN),
        Arguments.of(Workload.Spec.RADAM, 1, 2, 64, GradientReduction.MEAN),
        Arguments.of(Workload.Spec.AMSGRAD, 3, 1, 17, GradientReduction.SUM));
  }

  @ParameterizedTest(name = "{0}, {1} member(s), {2} worker(s), shards of {3}, {4}")
  @MethodSource("cases")
  void sameBitsAsTheSingleProcessOptimizer(Workload.Spec spec, int members, int workers, int shardSize,
      GradientReduction reduction) throws IOException {
    List<HazelcastInstance> cluster = members == 3 ? TestClusters.three() : TestClusters.one();
    ReferenceRun reference = new ReferenceRun(spec.factory, workers, reduction);
    try (ShardedRun run = new ShardedRun(cluster, "bits-" + UUID.randomUUID(), spec.factory, workers, shardSize,
        reduction)) {
      for (long t = 1; t <= STEPS; t++) {
        reference.step(t);
        run.step(t);
      }
      for (int r = 0; r < workers; r++) {
        assertEquals(STEPS, run.optimizers.get(r).stepCount());
        for (int k = 0; k < Workload.TENSORS; k++) {
          Bits.assertSameBits(reference.params[k], run.params.get(r)[k], "worker " + r + " tensor " + k);
        }
      }
      Path file = directory.resolve("sharded.ckpt");
      run.optimizers.get(0).save(file);
      assertSameState(reference, file);
      run.optimizers.get(0).destroy();
    }
  }

  /** Loads {@code file} into a single-process optimizer and holds its state to the reference's. */
  static void assertSameState(ReferenceRun reference, Path file) throws IOException {
    KernelOptimizer expected = reference.optimizer;
    ReferenceRun loaded = new ReferenceRun(() -> freshLike(expected), 1, GradientReduction.SUM);
    loaded.optimizer.load(file);
    assertEquals(expected.stepCount(), loaded.optimizer.stepCount());
    for (int g = 0; g < expected.groups().size(); g++) {
      assertEquals(expected.groups().get(g).schedulePosition(), loaded.optimizer.groups().get(g).schedulePosition());
    }
    for (int k = 0; k < Workload.TENSORS; k++) {
      Object p = reference.params[k];
      Object q = loaded.params[k];
      assertEquals(expected.stepCount(p), loaded.optimizer.stepCount(q), "step count of tensor " + k);
      assertEquals(expected.carriedNames(p), loaded.optimizer.carriedNames(q));
      double[] carried = expected.carriedValues(p);
      double[] loadedCarried = loaded.optimizer.carriedValues(q);
      assertEquals(carried.length, loadedCarried.length, "carried values of tensor " + k);
      for (int c = 0; c < carried.length; c++) {
        assertEquals(Double.doubleToRawLongBits(carried[c]), Double.doubleToRawLongBits(loadedCarried[c]),
            expected.carriedNames(p).get(c) + " of tensor " + k);
      }
      for (String name : expected.stateNames(p)) {
        Bits.assertSameBits(expected.state(p, name), loaded.optimizer.state(q, name), name + " of tensor " + k);
      }
    }
  }

  private static KernelOptimizer freshLike(KernelOptimizer optimizer) {
    for (Workload.Spec spec : Workload.Spec.values()) {
      KernelOptimizer fresh = spec.factory.get();
      if (fresh.getClass() == optimizer.getClass()) {
        return fresh;
      }
    }
    throw new AssertionError("no spec builds " + optimizer.getClass());
  }
}
