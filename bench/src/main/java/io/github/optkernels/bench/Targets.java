package io.github.optkernels.bench;

import io.github.optkernels.bench.Table.Measured;
import io.github.optkernels.examples.speed.Gpt2Shapes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The targets, each decided from the run's own figures: hit, missed, or not measured in
 * this run (a short run measures every one of them). A miss is printed with its numbers; why it
 * missed is for the README to say.
 */
final class Targets {
  private Targets() {}

  static String report(List<Measured> all, Map<String, Measured> probes, Map<String, Measured> hand) {
    int cores = all.stream().mapToInt(Measured::threads).max().orElse(1);
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%n## Targets%n%n"));

    List<String> slower = new ArrayList<>();
    int compared = 0;
    double maxBytes = 0;
    int allocationRows = 0;
    for (Measured g : all) {
      if (!g.impl().equals("generated")) {
        continue;
      }
      if (!Double.isNaN(g.bytesPerOp())) {
        allocationRows++;
        maxBytes = Math.max(maxBytes, g.bytesPerOp());
      }
      Measured h = hand.get(g.key());
      if (h != null) {
        compared++;
        double speedup = h.nsPerOp() / g.nsPerOp();
        if (speedup < 1) {
          slower.add(String.format(Locale.ROOT, "%s %s %,d el %d thr: %.2f", g.variant(), g.precision(),
              g.size(), g.threads(), speedup));
        }
      }
    }
    line(s, "generated >= hand-written on every row", compared > 0 && slower.isEmpty(), compared == 0,
        compared + " rows" + (slower.isEmpty() ? "" : "; slower: " + String.join("; ", slower)));

    Optional<Measured> adamw64 = find(all, "SingleTensorBench", "adamw", "fp32", 67_108_879, cores, "generated");
    Double floor64 = adamw64.map(m -> Table.floorNsPerElement(probes, m)).orElse(null);
    boolean measured = floor64 != null;
    double share = measured ? floor64 / adamw64.get().nsPerElement() : Double.NaN;
    line(s, "fp32 AdamW, 64M elements, all cores: >= 90% of the probe's speed", share >= 0.9, !measured,
        String.format(Locale.ROOT, "%.0f%%", 100 * share));

    Optional<Measured> gpt = find(all, "Gpt2StepBench", "adamw, GPT-2 small", "fp32", Gpt2Shapes.PARAMETERS, cores, "generated");
    Double gptFloor = gpt.map(m -> Table.floorNsPerElement(probes, m)).orElse(null);
    measured = gptFloor != null;
    double overFloor = measured ? gpt.get().nsPerElement() / gptFloor : Double.NaN;
    line(s, "GPT-2 small fp32 step, all cores: within 1.1x of its floor", overFloor <= 1.1, !measured,
        String.format(Locale.ROOT, "%.2fx the probe", overFloor));
    Optional<Measured> gptHand1 = find(all, "Gpt2StepBench", "adamw, GPT-2 small", "fp32", Gpt2Shapes.PARAMETERS, 1, "handwritten");
    measured = gpt.isPresent() && gptHand1.isPresent();
    double gptSpeedup = measured ? gptHand1.get().nsPerOp() / gpt.get().nsPerOp() : Double.NaN;
    line(s, "GPT-2 small fp32 step, all cores: >= 1.3x faster than hand-written on one thread",
        gptSpeedup >= 1.3, !measured, String.format(Locale.ROOT, "%.2fx", gptSpeedup));

    for (int threads : new int[] {1, cores}) {
      Optional<Measured> bf = find(all, "Gpt2StepBench", "adamw, GPT-2 small", "bf16+kahan", Gpt2Shapes.PARAMETERS, threads, "generated");
      Optional<Measured> bfHand = find(all, "Gpt2StepBench", "adamw, GPT-2 small", "bf16+kahan", Gpt2Shapes.PARAMETERS, threads, "handwritten");
      Double bfFloor = bf.map(m -> Table.floorNsPerElement(probes, m)).orElse(null);
      measured = bf.isPresent() && bfHand.isPresent();
      double speedup = measured ? bfHand.get().nsPerOp() / bf.get().nsPerOp() : Double.NaN;
      line(s, "GPT-2 small bf16+Kahan step, " + threads + " thread(s): >= 5x faster than the hand-written bf16 loop",
          speedup >= 5, !measured, String.format(Locale.ROOT, "%.2fx", speedup));
      measured = bfFloor != null;
      double over = measured ? bf.get().nsPerElement() / bfFloor : Double.NaN;
      line(s, "GPT-2 small bf16+Kahan step, " + threads + " thread(s): within 1.25x of its probe",
          over <= 1.25, !measured, String.format(Locale.ROOT, "%.2fx the probe", over));
    }

    Optional<Measured> kernel = find(all, "SmallTensorBench", "adamw", "fp32", 4099, 1, "kernel");
    Optional<Measured> runtime = find(all, "SmallTensorBench", "adamw", "fp32", 4099, 1, "runtime");
    measured = kernel.isPresent() && runtime.isPresent();
    double overhead = measured ? runtime.get().nsPerOp() / kernel.get().nsPerOp() : Double.NaN;
    line(s, "4K-element step through the runtime: <= 1.2x the bare kernel call", overhead <= 1.2, !measured,
        String.format(Locale.ROOT, "%.2fx", overhead));

    for (int threads : new int[] {1, cores}) {
      scanLine(s, all, "Gpt2StepBench", "adamw, GPT-2 small", Gpt2Shapes.PARAMETERS, threads, "generated", 1.15,
          "GPT-2 small fp32 step, " + threads + " thread(s): REFUSE (the default) <= 1.15x UNCHECKED");
      scanLine(s, all, "SmallTensorBench", "adamw", 4099, threads, "runtime", 1.2,
          "4K-element step, " + threads + " thread(s): REFUSE (the default) <= 1.2x UNCHECKED");
    }

    // JMH's own allocation spread over the operations keeps the figure just above 0: under 1 B/op
    // is no allocation in the step (one object would be 16 bytes or more).
    line(s, "allocation: 0 B/op (below 1) for every generated step short enough to measure it",
        allocationRows > 0 && maxBytes < 1, allocationRows == 0,
        String.format(Locale.ROOT, "at most %.3f B/op over %d rows of at least %,d steps per iteration",
            maxBytes, allocationRows, Table.MIN_OPS_FOR_ALLOCATION));
    return s.toString();
  }

  private static void scanLine(StringBuilder s, List<Measured> all, String bench, String variant, long size,
      int threads, String unchecked, double limit, String target) {
    Optional<Measured> u = find(all, bench, variant, "fp32", size, threads, unchecked);
    Optional<Measured> r = find(all, bench, variant, "fp32", size, threads, unchecked + "_refuse");
    boolean measured = u.isPresent() && r.isPresent();
    double ratio = measured ? r.get().nsPerOp() / u.get().nsPerOp() : Double.NaN;
    line(s, target, ratio <= limit, !measured, String.format(Locale.ROOT, "%.2fx", ratio));
  }

  private static Optional<Measured> find(List<Measured> all, String bench, String variant, String precision,
      long size, int threads, String impl) {
    return all.stream().filter(m -> m.bench().equals(bench) && m.variant().equals(variant)
        && m.precision().equals(precision) && m.size() == size && m.threads() == threads
        && m.impl().equals(impl)).findFirst();
  }

  private static void line(StringBuilder s, String target, boolean hit, boolean notMeasured, String figure) {
    s.append(String.format(Locale.ROOT, "- %s: **%s** (%s)%n", target,
        notMeasured ? "not measured" : hit ? "hit" : "missed", notMeasured ? "not in this run" : figure));
  }
}
