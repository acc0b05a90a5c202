package io.github.optkernels.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * CI's share of the benchmarks: one tiny benchmark through JMH's runner, in this JVM, for a
 * fraction of a second, so the module's wiring (the annotation processor's generated stubs, the
 * benchmark list, a setup that runs the generated optimizer) stays healthy without CI timing
 * anything. The measurements themselves are {@link Table}'s job.
 */
class BenchmarkSmokeTest {

  @Test
  void theSmallTensorStepRunsUnderJmhAndFormatsIntoTheTable() throws Exception {
    Collection<RunResult> results = new Runner(quick(SmallTensorBench.class)
        .param("path", "kernel", "runtime")
        .param("threads", "1")
        .build()).run();

    assertEquals(2, results.size(), "one result per path");
    for (RunResult r : results) {
      double nsPerStep = r.getPrimaryResult().getScore();
      // A 4K-element step is microseconds; zero or NaN would mean the benchmark did not run.
      assertTrue(nsPerStep > 0 && nsPerStep < 1e9, r.getParams().getParam("path") + ": " + nsPerStep + " ns");
    }
    String table = Table.format(new ArrayList<>(results), false);
    assertTrue(table.contains("| kernel |") && table.contains("| runtime |"), table);
    assertTrue(table.contains("4K-element step through the runtime: <= 1.2x the bare kernel call: **"), table);
  }

  /** The off-heap step benchmark's setup and step, heap and direct, each precision, on one 4,099-element tensor. */
  @Test
  void theOffHeapStepRunsUnderJmhOnHeapAndDirectTensors() throws Exception {
    Collection<RunResult> results = new Runner(quick(OffHeapStepBench.class)
        .param("shape", "t4099")
        .param("precision", "fp32", "fp64", "bf16_kahan")
        .param("threads", "1")
        .build()).run();

    assertEquals(6, results.size(), "heap and direct, fp32, fp64 and bf16");
    for (RunResult r : results) {
      double nsPerStep = r.getPrimaryResult().getScore();
      assertTrue(nsPerStep > 0 && nsPerStep < 1e9, r.getParams().getParam("storage") + ": " + nsPerStep + " ns");
    }
  }

  /** The bandwidth probe, plain and after the NaN/Inf scan, on a tensor past the split threshold on two threads. */
  @Test
  void theProbeRunsUnderJmhWithAndWithoutTheScan() throws Exception {
    Collection<RunResult> results = new Runner(quick(BandwidthProbeBench.class)
        .param("layout", "fp32", "fp32_scanned")
        .param("size", "65537")
        .param("threads", "1", "all")
        .build()).run();

    assertEquals(4, results.size(), "two layouts, two thread counts");
    for (RunResult r : results) {
      double nsPerStep = r.getPrimaryResult().getScore();
      assertTrue(nsPerStep > 0 && nsPerStep < 1e9, r.getParams().getParam("layout") + ": " + nsPerStep + " ns");
    }
  }

  /** The DJL step benchmark's seven rows on one 4,099-element tensor, with the real engine (offline). */
  @Test
  void theDjlStepRunsUnderJmhForDjlAndOptkernels() throws Exception {
    System.setProperty("ai.djl.offline", "true");
    Collection<RunResult> results = new Runner(quick(DjlStepBench.class)
        .param("shape", "t4099")
        .param("threads", "1")
        .build()).run();

    assertEquals(7, results.size(), "DJL's AdamW, optkernels through DJL unchecked and refusing NaN/Inf,"
        + " optkernels on arrays, libtorch's fused AdamW without and with zeroing the gradients, the probe");
    for (RunResult r : results) {
      double nsPerStep = r.getPrimaryResult().getScore();
      assertTrue(nsPerStep > 0 && nsPerStep < 1e9, r.getParams().getParam("impl") + ": " + nsPerStep + " ns");
    }
  }

  /**
   * The rule families' steps, generated and hand-written (fp32 and bf16 Kahan), on one small
   * tensor, split over two threads so LAMB's two passes and their sums go through the split too.
   */
  @Test
  void theRuleFamiliesStepsRunUnderJmh() throws Exception {
    Collection<RunResult> results = new ArrayList<>();
    for (Class<?> bench : List.of(RuleFamilyBench.class, RuleFamilyBf16Bench.class)) {
      results.addAll(new Runner(quick(bench)
          .param("size", String.valueOf(Split.MIN_SPLIT + 3))
          .param("threads", "2")
          .build()).run());
    }

    assertEquals(2 * (7 + 1 + 2), results.size(),
        "seven fp32 families and Adam as a rule, Lion and Adan in bf16, generated and hand-written");
    for (RunResult r : results) {
      double nsPerStep = r.getPrimaryResult().getScore();
      assertTrue(nsPerStep > 0 && nsPerStep < 1e9, r.getParams().getParam("variant") + ": " + nsPerStep + " ns");
    }
    String table = Table.format(new ArrayList<>(results), false);
    assertTrue(table.contains("| schedulefree_adamw | fp32 | 65,539 | 2 |") && table.contains("| adan | bf16+kahan |"), table);
  }

  /**
   * One benchmark's rows, in this JVM, for a fraction of a second each: enough to show a row runs
   * and gives a plausible time, never a measurement.
   */
  private static ChainedOptionsBuilder quick(Class<?> bench) {
    return new OptionsBuilder()
        .include("\\." + bench.getSimpleName() + "\\.")
        .forks(0)
        .warmupIterations(1).warmupTime(TimeValue.milliseconds(50))
        .measurementIterations(1).measurementTime(TimeValue.milliseconds(100))
        .verbosity(VerboseMode.SILENT)
        .shouldFailOnError(true);
  }
}
