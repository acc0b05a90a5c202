package io.github.optkernels.bench;

import io.github.optkernels.examples.speed.Gpt2Shapes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * One command, one table: runs the benchmarks through JMH's {@link Runner} (with {@code -prof gc}),
 * keeps each pass's JMH JSON, and prints every step as nanoseconds per element, generated ÷
 * hand-written speed, and percentage of the bandwidth floor measured in the same run, then the
 * issue's targets as hit or missed.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.github.optkernels.bench.Table            # short: a few minutes
 * java -cp bench/target/benchmarks.jar io.github.optkernels.bench.Table --full     # every parameter, the annotated counts
 * </pre>
 *
 * <p>The short run picks a subset of each grid (the passes below) and times 2 warm-up and 3
 * measured iterations of 0.4 s: enough for the loops to be compiled and for ratios within one run,
 * not for absolute figures. The table shows each configuration's fastest measured iteration. {@code --out DIR} (default {@code bench-out}) receives
 * {@code table.md} and, in {@code jmh/}, JMH's JSON of each pass.
 */
public final class Table {
  private static final String ALL = StepBenchmark.ALL_CORES;
  private static final String NO_VECTOR = "plain Java conversions";
  /** Fewer operations per iteration than this and JMH's own allocation dominates -prof gc's B/op. */
  static final long MIN_OPS_FOR_ALLOCATION = 10_000;

  /** One JMH run: which benchmark, which parameter values; null values keep the annotation's. */
  private record Pass(String name, String benchmark, Map<String, String[]> params, String[] jvmArgs) {}

  private Table() {}

  public static void main(String[] args) throws RunnerException, IOException {
    boolean full = false;
    Path out = Path.of("bench-out");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--full":
          full = true;
          break;
        case "--out":
          out = Path.of(args[++i]);
          break;
        default:
          System.err.println("usage: Table [--full] [--out DIR]");
          System.exit(2);
      }
    }
    Files.createDirectories(out.resolve("jmh"));
    List<RunResult> results = new ArrayList<>();
    List<Pass> passes = full ? fullPasses() : shortPasses();
    long start = System.nanoTime();
    for (int k = 0; k < passes.size(); k++) {
      Pass pass = passes.get(k);
      System.out.printf(Locale.ROOT, "[%d/%d] %s (%.0f s so far)%n", k + 1, passes.size(), pass.name(),
          (System.nanoTime() - start) / 1e9);
      results.addAll(run(pass, full, out));
    }
    String table = format(results, full);
    System.out.println();
    System.out.print(table);
    Files.writeString(out.resolve("table.md"), table, StandardCharsets.UTF_8);
    System.out.println("(JMH JSON and table.md in " + out.toAbsolutePath() + ")");
  }

  static Collection<RunResult> run(Pass pass, boolean full, Path out) throws RunnerException {
    ChainedOptionsBuilder options = new OptionsBuilder()
        .include("\\." + pass.benchmark() + "\\.")
        .addProfiler(GCProfiler.class)
        .shouldFailOnError(true)
        .verbosity(VerboseMode.SILENT)
        .result(out.resolve("jmh").resolve(pass.name() + ".json").toString())
        .resultFormat(ResultFormatType.JSON);
    if (!full) {
      options.warmupIterations(2).warmupTime(TimeValue.milliseconds(400))
          .measurementIterations(3).measurementTime(TimeValue.milliseconds(400));
    }
    pass.params().forEach(options::param);
    if (pass.jvmArgs() != null) {
      options.jvmArgsAppend(pass.jvmArgs());
    }
    return new Runner(options.build()).run();
  }

  private static Map<String, String[]> params(String... keyValues) {
    Map<String, String[]> map = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      map.put(keyValues[i], keyValues[i + 1].split(","));
    }
    return map;
  }

  private static final String[] PLAIN_JAVA_HALF = {"-Xmx8g", "--add-modules", "jdk.incubator.vector",
      "-Doptkernels.vector=false"};

  /**
   * A few minutes on 2 cores: each grid at the sizes and thread counts the targets name. One pass
   * per configuration, so that its generated and hand-written forks run back to back and a busy
   * moment of the shared machine hits both rather than one side of a ratio.
   */
  static List<Pass> shortPasses() {
    List<Pass> passes = new ArrayList<>();
    for (String variant : List.of("adam", "adamw", "amsgrad", "radam", "nadam", "adabelief")) {
      for (String precision : List.of("fp32", "fp64")) {
        passes.add(new Pass("tensor-" + variant + "-" + precision, "SingleTensorBench",
            params("variant", variant, "precision", precision, "size", "1048583", "threads", "1"), null));
      }
    }
    for (String size : List.of("1003", "65537", "67108879")) {
      for (String threads : List.of("1", ALL)) {
        passes.add(new Pass("tensor-adamw-fp32-" + size + "-" + threads, "SingleTensorBench",
            params("variant", "adamw", "precision", "fp32", "size", size, "threads", threads), null));
      }
    }
    // In cache, where memory is no limit: what the 16-bit conversions cost by themselves.
    passes.add(new Pass("bf16-kahan-65537-1", "Bf16TensorBench", params("rounding", "kahan", "size", "65537", "threads", "1"), null));
    passes.add(new Pass("bf16-nearest-1048583-1", "Bf16TensorBench", params("rounding", "nearest", "size", "1048583", "threads", "1"), null));
    passes.add(new Pass("bf16-kahan-1048583-1", "Bf16TensorBench", params("rounding", "kahan", "size", "1048583", "threads", "1"), null));
    for (String threads : List.of("1", ALL)) {
      passes.add(new Pass("bf16-kahan-67108879-" + threads, "Bf16TensorBench",
          params("rounding", "kahan", "size", "67108879", "threads", threads), null));
    }
    passes.add(new Pass("bf16-kahan-plain-java", "Bf16TensorBench",
        params("rounding", "kahan", "impl", "generated", "size", "1048583,67108879", "threads", "1"), PLAIN_JAVA_HALF));
    for (String precision : List.of("fp32", "bf16_kahan")) {
      for (String threads : List.of("1", ALL)) {
        passes.add(new Pass("gpt2-" + precision + "-" + threads, "Gpt2StepBench",
            params("precision", precision, "threads", threads), null));
      }
    }
    passes.add(new Pass("probe-fp32", "BandwidthProbeBench",
        params("layout", "fp32", "size", "1003,65537,1048583,67108879,124439808", "threads", "1," + ALL), null));
    passes.add(new Pass("probe-bf16-kahan", "BandwidthProbeBench",
        params("layout", "bf16_kahan", "size", "65537,1048583,67108879,124439808", "threads", "1," + ALL), null));
    passes.add(new Pass("probe-other", "BandwidthProbeBench", params("layout", "fp64,bf16", "size", "1048583", "threads", "1"), null));
    passes.add(new Pass("small", "SmallTensorBench", params(), null));
    // The families written as rules, generated against their hand-written loops.
    passes.add(new Pass("rules-fp32", "RuleFamilyBench", params("threads", "1"), null));
    passes.add(new Pass("rules-bf16-kahan", "RuleFamilyBf16Bench", params("threads", "1"), null));
    return passes;
  }

  /** Every parameter of every grid, with the annotated fork, warm-up and measurement counts. */
  static List<Pass> fullPasses() {
    return List.of(
        new Pass("tensor", "SingleTensorBench", params(), null),
        new Pass("bf16", "Bf16TensorBench", params(), null),
        new Pass("bf16-plain-java", "Bf16TensorBench", params("impl", "generated"), PLAIN_JAVA_HALF),
        new Pass("gpt2", "Gpt2StepBench", params(), null),
        new Pass("probe", "BandwidthProbeBench", params(), null),
        new Pass("small", "SmallTensorBench", params(), null),
        new Pass("rules", "RuleFamilyBench", params(), null),
        new Pass("rules-bf16", "RuleFamilyBf16Bench", params(), null));
  }

  // ---------------------------------------------------------------------------------------------
  // Formatting

  /** A measured step: what it is, and its nanoseconds per operation and allocation per operation. */
  record Measured(String bench, String variant, String precision, long size, int threads,
      String impl, double nsPerOp, double bytesPerOp) {
    double nsPerElement() {
      return nsPerOp / size;
    }

    String key() {
      return String.join("|", bench, variant, precision, Long.toString(size), Integer.toString(threads));
    }
  }

  static Measured measured(RunResult r) {
    var p = r.getParams();
    String bench = p.getBenchmark().replaceAll(".*\\.(\\w+)\\.\\w+$", "$1");
    // The fastest measured iteration, not JMH's mean: on a machine shared with other builds, other
    // processes only ever add time, so the best iteration is the closest to the step's own cost
    // (the mean and its error are in the JSON).
    double score = Double.POSITIVE_INFINITY;
    long opsPerIteration = Long.MAX_VALUE;
    for (BenchmarkResult fork : r.getBenchmarkResults()) {
      for (IterationResult iteration : fork.getIterationResults()) {
        score = Math.min(score, iteration.getPrimaryResult().getScore());
        opsPerIteration = Math.min(opsPerIteration, iteration.getMetadata().getMeasuredOps());
      }
    }
    // -prof gc divides everything the JVM allocated in an iteration, JMH's own bookkeeping (a few
    // KB) included, by the operations: for steps of tens of milliseconds that is kilobytes per
    // step whatever the step does (the hand-written loops show the same), so it says nothing below
    // MIN_OPS_FOR_ALLOCATION operations per iteration.
    double bytes = Double.NaN;
    for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
      if (e.getKey().endsWith("gc.alloc.rate.norm") && opsPerIteration >= MIN_OPS_FOR_ALLOCATION) {
        bytes = e.getValue().getScore();
      }
    }
    boolean plainJava = p.getJvmArgs().contains("-Doptkernels.vector=false");
    String threads = p.getParam("threads");
    int threadCount = threads == null ? 1 : StepBenchmark.threadCount(threads);
    switch (bench) {
      case "SingleTensorBench":
        return new Measured(bench, p.getParam("variant"), p.getParam("precision"),
            Long.parseLong(p.getParam("size")), threadCount, p.getParam("impl"), score, bytes);
      case "Bf16TensorBench": {
        String precision = (p.getParam("rounding").equals("kahan") ? "bf16+kahan" : "bf16")
            + (plainJava ? ", " + NO_VECTOR : "");
        return new Measured(bench, "adamw", precision, Long.parseLong(p.getParam("size")), threadCount,
            p.getParam("impl"), score, bytes);
      }
      case "Gpt2StepBench":
        return new Measured(bench, "adamw, GPT-2 small",
            p.getParam("precision").equals("fp32") ? "fp32" : "bf16+kahan", Gpt2Shapes.PARAMETERS,
            threadCount, p.getParam("impl"), score, bytes);
      case "BandwidthProbeBench":
        return new Measured(bench, "probe", p.getParam("layout"), Long.parseLong(p.getParam("size")),
            threadCount, "probe", score, bytes);
      case "RuleFamilyBench":
        return new Measured(bench, p.getParam("variant"), p.getParam("precision"),
            Long.parseLong(p.getParam("size")), threadCount, p.getParam("impl"), score, bytes);
      case "RuleFamilyBf16Bench":
        return new Measured(bench, p.getParam("variant"), "bf16+kahan", Long.parseLong(p.getParam("size")),
            threadCount, p.getParam("impl"), score, bytes);
      case "SmallTensorBench":
        return new Measured(bench, "adamw", "fp32", Long.parseLong(p.getParam("size")), threadCount,
            p.getParam("path"), score, bytes);
      default:
        throw new IllegalStateException("unknown benchmark " + bench);
    }
  }

  /** The probe layout whose traffic a step of {@code precision} has (plain Java bf16: the same bytes). */
  static String layoutOf(String precision) {
    if (precision.startsWith("bf16+kahan")) {
      return "bf16_kahan";
    }
    return precision.startsWith("bf16") ? "bf16" : precision;
  }

  /**
   * Bytes per element of a step of {@code variant} in a layout: AMSGrad also reads and writes its
   * maximum, the only variant here with a third state array.
   */
  static double stepBytes(String variant, String layout) {
    double probe = BandwidthProbeBench.bytesPerElement(layout);
    if (!variant.equals("amsgrad")) {
      return probe;
    }
    return probe + (layout.equals("fp64") ? 16 : 8);
  }

  static String format(List<RunResult> results, boolean full) {
    List<Measured> all = new ArrayList<>();
    for (RunResult r : results) {
      all.add(measured(r));
    }
    Map<String, Measured> probes = new HashMap<>();
    Map<String, Measured> hand = new HashMap<>();
    for (Measured m : all) {
      if (m.impl().equals("probe")) {
        probes.put(m.precision() + "|" + m.size() + "|" + m.threads(), m);
      } else if (m.impl().equals("handwritten")) {
        hand.put(m.key(), m);
      }
    }
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "## Steps (%s run; %d cores; ns per element, lower is better)%n%n",
        full ? "full" : "short", Runtime.getRuntime().availableProcessors()));
    s.append("| variant | precision | size | threads | generated ns/el | hand-written ns/el | generated ÷ hand-written speed | % of bandwidth floor | generated B/op |\n");
    s.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    List<Measured> steps = new ArrayList<>();
    for (Measured m : all) {
      if (m.impl().equals("generated")) {
        steps.add(m);
      }
    }
    steps.sort((a, b) -> {
      int c = a.bench().compareTo(b.bench());
      c = c != 0 ? c : a.variant().compareTo(b.variant());
      c = c != 0 ? c : a.precision().compareTo(b.precision());
      c = c != 0 ? c : Long.compare(a.size(), b.size());
      return c != 0 ? c : Integer.compare(a.threads(), b.threads());
    });
    for (Measured g : steps) {
      Measured h = hand.get(g.key());
      if (h == null && g.precision().endsWith(NO_VECTOR)) {
        // the hand-written bf16 loop uses no conversions of the runtime: its row is the same
        h = hand.get(g.key().replace(", " + NO_VECTOR, ""));
      }
      Double floor = floorNsPerElement(probes, g);
      s.append(String.format(Locale.ROOT, "| %s | %s | %,d | %d | %.3f | %s | %s | %s | %s |%n",
          g.variant(), g.precision(), g.size(), g.threads(), g.nsPerElement(),
          h == null ? "–" : String.format(Locale.ROOT, "%.3f", h.nsPerElement()),
          h == null ? "–" : String.format(Locale.ROOT, "%.2f", h.nsPerOp() / g.nsPerOp()),
          floor == null ? "–" : String.format(Locale.ROOT, "%.0f%%", 100 * floor / g.nsPerElement()),
          Double.isNaN(g.bytesPerOp()) ? "–" : String.format(Locale.ROOT, "%.2f", g.bytesPerOp())));
    }

    List<Measured> handOnly = handOnly(all);
    if (!handOnly.isEmpty()) {
      s.append(String.format(Locale.ROOT, "%n## Hand-written loops without a generated row in this run%n%n"));
      s.append("| variant | precision | size | threads | hand-written ns/el |\n|---|---|---:|---:|---:|\n");
      for (Measured h : handOnly) {
        s.append(String.format(Locale.ROOT, "| %s | %s | %,d | %d | %.3f |%n", h.variant(), h.precision(),
            h.size(), h.threads(), h.nsPerElement()));
      }
    }

    s.append(String.format(Locale.ROOT, "%n## Bandwidth probe (in-place streaming, the floor)%n%n"));
    s.append("| layout | bytes/el | size | threads | ns/el | GB/s |\n|---|---:|---:|---:|---:|---:|\n");
    List<Measured> probeRows = new ArrayList<>(probes.values());
    probeRows.sort((a, b) -> {
      int c = a.precision().compareTo(b.precision());
      c = c != 0 ? c : Long.compare(a.size(), b.size());
      return c != 0 ? c : Integer.compare(a.threads(), b.threads());
    });
    for (Measured p : probeRows) {
      int bytes = BandwidthProbeBench.bytesPerElement(p.precision());
      s.append(String.format(Locale.ROOT, "| %s | %d | %,d | %d | %.3f | %.1f |%n", p.precision(), bytes,
          p.size(), p.threads(), p.nsPerElement(), bytes / p.nsPerElement()));
    }

    s.append(String.format(Locale.ROOT, "%n## Small tensor (4K elements, fp32 AdamW, ns per step)%n%n"));
    s.append("| path | threads | ns/step | ÷ bare kernel | B/op |\n|---|---:|---:|---:|---:|\n");
    Map<Integer, Measured> kernels = new HashMap<>();
    for (Measured m : all) {
      if (m.bench().equals("SmallTensorBench") && m.impl().equals("kernel")) {
        kernels.put(m.threads(), m);
      }
    }
    for (Measured m : all) {
      if (m.bench().equals("SmallTensorBench")) {
        Measured kernel = kernels.get(m.threads());
        s.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %s | %s |%n", m.impl(), m.threads(), m.nsPerOp(),
            kernel == null ? "–" : String.format(Locale.ROOT, "%.2f", m.nsPerOp() / kernel.nsPerOp()),
            Double.isNaN(m.bytesPerOp()) ? "–" : String.format(Locale.ROOT, "%.2f", m.bytesPerOp())));
      }
    }

    s.append(String.format(Locale.ROOT, "%n## The default's NaN/Inf scan (REFUSE ÷ UNCHECKED, same run)%n%n"));
    s.append("| step | precision | threads | UNCHECKED ns/step | REFUSE ns/step | REFUSE ÷ UNCHECKED |\n"
        + "|---|---|---:|---:|---:|---:|\n");
    for (Measured[] pair : scanPairs(all)) {
      s.append(String.format(Locale.ROOT, "| %s | %s | %d | %.0f | %.0f | %.2f |%n", pair[0].variant(),
          pair[0].precision(), pair[0].threads(), pair[0].nsPerOp(), pair[1].nsPerOp(),
          pair[1].nsPerOp() / pair[0].nsPerOp()));
    }
    s.append(Targets.report(all, probes, hand));
    return s.toString();
  }

  /**
   * The hand-written rows with no generated row of the same key (the later families' loops, until
   * their generated optimizers are benchmarked), sorted as the step rows.
   */
  static List<Measured> handOnly(List<Measured> all) {
    Map<String, Measured> generated = new HashMap<>();
    for (Measured m : all) {
      if (m.impl().equals("generated")) {
        generated.put(m.key(), m);
      }
    }
    List<Measured> rows = new ArrayList<>();
    for (Measured m : all) {
      if (m.impl().equals("handwritten") && !generated.containsKey(m.key())) {
        rows.add(m);
      }
    }
    rows.sort((a, b) -> {
      int c = a.bench().compareTo(b.bench());
      c = c != 0 ? c : a.variant().compareTo(b.variant());
      c = c != 0 ? c : a.precision().compareTo(b.precision());
      return c != 0 ? c : Integer.compare(a.threads(), b.threads());
    });
    return rows;
  }

  /** The unchecked and the REFUSE row of each step measured both ways: GPT-2 small and the 4K tensor. */
  static List<Measured[]> scanPairs(List<Measured> all) {
    Map<String, Measured> unchecked = new HashMap<>();
    for (Measured m : all) {
      if (m.impl().equals("generated") || m.impl().equals("runtime")) {
        unchecked.put(m.key(), m);
      }
    }
    List<Measured[]> pairs = new ArrayList<>();
    for (Measured m : all) {
      Measured u = unchecked.get(m.key());
      if ((m.impl().equals("generated_refuse") || m.impl().equals("runtime_refuse")) && u != null) {
        pairs.add(new Measured[] {u, m});
      }
    }
    pairs.sort((a, b) -> a[1].key().compareTo(b[1].key()));
    return pairs;
  }

  /**
   * The floor of a generated step: the fastest probe of its layout and size on at most as many
   * threads (just past the split threshold, handing half the probe to another core costs more than
   * it saves, and a floor is the fastest way found to move those bytes), scaled to its bytes.
   */
  static Double floorNsPerElement(Map<String, Measured> probes, Measured step) {
    String layout = layoutOf(step.precision());
    Double best = null;
    for (Measured probe : probes.values()) {
      if (probe.precision().equals(layout) && probe.size() == step.size() && probe.threads() <= step.threads()
          && (best == null || probe.nsPerElement() < best)) {
        best = probe.nsPerElement();
      }
    }
    return best == null ? null
        : best * stepBytes(step.variant(), layout) / BandwidthProbeBench.bytesPerElement(layout);
  }

}
