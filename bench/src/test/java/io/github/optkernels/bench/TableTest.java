package io.github.optkernels.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.optkernels.bench.Table.Measured;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The floor every step is stated against: which probe, and how it is scaled to the step's bytes. */
class TableTest {
  private static Measured probe(String layout, long size, int threads, double nsPerElement) {
    return new Measured("BandwidthProbeBench", "probe", layout, size, threads, "probe", nsPerElement * size, 0);
  }

  private static Measured step(String variant, String precision, long size, int threads) {
    return new Measured("SingleTensorBench", variant, precision, size, threads, "generated", size, 0);
  }

  private static Map<String, Measured> probes(Measured... measured) {
    Map<String, Measured> map = new HashMap<>();
    for (Measured m : measured) {
      map.put(m.precision() + "|" + m.size() + "|" + m.threads(), m);
    }
    return map;
  }

  @Test
  void theFloorIsTheFastestProbeOfTheSameLayoutAndSizeOnAtMostTheStepsThreads() {
    Map<String, Measured> probes = probes(
        probe("fp32", 65_537, 1, 0.3),
        probe("fp32", 65_537, 2, 1.6),       // the hand-off just past the split threshold
        probe("fp32", 1_048_583, 1, 0.5),
        probe("fp32", 1_048_583, 2, 0.25),
        probe("fp64", 65_537, 1, 0.1));
    assertEquals(0.3, Table.floorNsPerElement(probes, step("adamw", "fp32", 65_537, 2)), 1e-12);
    assertEquals(0.25, Table.floorNsPerElement(probes, step("adamw", "fp32", 1_048_583, 2)), 1e-12);
    // a 2-thread probe is no floor for a 1-thread step
    assertEquals(0.5, Table.floorNsPerElement(probes, step("adamw", "fp32", 1_048_583, 1)), 1e-12);
    assertNull(Table.floorNsPerElement(probes, step("adamw", "fp32", 1_003, 1)), "no probe of that size");
  }

  @Test
  void amsgradsThirdArrayIsCountedAndBf16RowsUseTheirLayout() {
    Map<String, Measured> probes = probes(probe("fp32", 7, 1, 0.28), probe("fp64", 7, 1, 0.56),
        probe("bf16_kahan", 7, 1, 0.26), probe("bf16", 7, 1, 0.22));
    assertEquals(0.36, Table.floorNsPerElement(probes, step("amsgrad", "fp32", 7, 1)), 1e-12);
    assertEquals(0.72, Table.floorNsPerElement(probes, step("amsgrad", "fp64", 7, 1)), 1e-12);
    assertEquals(0.26, Table.floorNsPerElement(probes, step("adamw", "bf16+kahan, plain Java conversions", 7, 1)), 1e-12);
    assertEquals(0.22, Table.floorNsPerElement(probes, step("adamw", "bf16", 7, 1)), 1e-12);
  }

  @Test
  void handWrittenRowsWithoutAGeneratedRowAreListedOnTheirOwn() {
    Measured adamwGenerated = step("adamw", "fp32", 1_048_583, 1);
    Measured adamwHand = new Measured("SingleTensorBench", "adamw", "fp32", 1_048_583, 1, "handwritten", 2e6, 0);
    Measured lionHand = new Measured("RuleFamilyBench", "lion", "fp32", 1_048_583, 1, "handwritten", 1e6, 0);
    Measured adanHand = new Measured("RuleFamilyBf16Bench", "adan", "bf16+kahan", 1_048_583, 2, "handwritten", 3e6, 0);
    assertEquals(List.of(lionHand, adanHand), Table.handOnly(List.of(lionHand, adamwGenerated, adamwHand, adanHand)));
  }
}
