package io.github.optkernels.examples.conformance;

import io.github.optkernels.examples.SixteenBitPath;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code conformance [--threads N] [--chunk K] [--checkpoint-at K] CASES_DIR RESULTS_DIR}: runs
 * every case file on its generated optimizer ({@link RunOptions}),
 * writes one result file per case, prints a first line saying how the 16-bit kernels run in this
 * JVM ({@link SixteenBitPath#line()}), one line per case and a last line
 * {@code N passed, M failed}. A case that cannot run is a named failure, never a silent skip.
 */
public final class ConformanceCommand {

  /** The outcome of a whole run. */
  public record Summary(List<CaseCheck.Verdict> verdicts) {
    public Summary {
      verdicts = List.copyOf(verdicts);
    }

    public long passed() {
      return verdicts.stream().filter(CaseCheck.Verdict::passed).count();
    }

    public long failed() {
      return verdicts.size() - passed();
    }
  }

  private ConformanceCommand() {}

  /** Runs every case in {@code casesDir}, writing results to {@code resultsDir} and lines to {@code out}. */
  public static Summary run(Path casesDir, Path resultsDir, PrintStream out) throws IOException {
    return run(casesDir, resultsDir, out, RunOptions.DEFAULT);
  }

  /** As {@link #run(Path, Path, PrintStream)}, running each case as {@code options} say. */
  public static Summary run(Path casesDir, Path resultsDir, PrintStream out, RunOptions options)
      throws IOException {
    List<ConformanceCase> cases = ConformanceCase.readAll(casesDir);
    if (cases.isEmpty()) {
      throw new IOException("no *.json case files in " + casesDir);
    }
    Files.createDirectories(resultsDir);
    // the 16-bit cases' results do not depend on it (both paths give the same bits), but their
    // speed does, and a reader comparing two runs should see which path each took
    out.println(SixteenBitPath.current().line());
    Map<String, CaseCheck.Verdict> byName = new HashMap<>();
    Map<String, CaseResult> results = new HashMap<>();
    List<String> order = new ArrayList<>();
    for (ConformanceCase c : cases) {
      order.add(c.name());
      CaseCheck.Verdict verdict;
      try {
        CaseResult result = CaseRunner.run(c, options);
        result.write(resultsDir.resolve(c.name() + ".json"));
        results.put(c.name(), result);
        verdict = CaseCheck.check(c, result);
      } catch (CaseRunner.CannotRun e) {
        verdict = new CaseCheck.Verdict(c.name(), false, Double.POSITIVE_INFINITY, 0.0, List.of(),
            "cannot run: " + e.getMessage());
      }
      byName.put(c.name(), verdict);
    }
    // Pair properties need both runs, so they are decided after all cases ran.
    for (ConformanceCase c : cases) {
      ConformanceCase.Property property = c.property();
      if (property == null || !results.containsKey(c.name())) {
        continue;
      }
      CaseCheck.Verdict baseline = byName.get(property.baselineCase());
      double baselineError = baseline == null ? Double.POSITIVE_INFINITY : baseline.maxError();
      byName.put(c.name(), CaseCheck.checkKahanGain(c, results.get(c.name()), baselineError));
    }
    List<CaseCheck.Verdict> verdicts = new ArrayList<>();
    for (String name : order) {
      CaseCheck.Verdict verdict = byName.get(name);
      verdicts.add(verdict);
      out.println(verdict);
    }
    Summary summary = new Summary(verdicts);
    out.println(summary.passed() + " passed, " + summary.failed() + " failed");
    return summary;
  }
}
