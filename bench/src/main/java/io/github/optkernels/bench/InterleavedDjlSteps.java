package io.github.optkernels.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@link DjlStepBench}'s rows alternated in one JVM, for ratios that the machine's drift does not
 * decide. On a machine shared with other work, the memory bandwidth left to a step changes over
 * seconds to minutes (the GPT-2-small rows of one build moved by 30 % between runs), and rows
 * timed in forks of their own each meet a different machine. Here each round times one step of
 * every row, back to back, in an order that rotates from round to round, and each row's time is
 * divided by the first row's time in the same round; the report gives the median, lowest and
 * highest of those per-round ratios.
 *
 * <p>Usage: {@code java -Xmx8g -XX:MaxDirectMemorySize=8g -Dai.djl.offline=true --add-modules
 * jdk.incubator.vector -cp bench/target/benchmarks.jar:<pytorch-native-cpu jar>
 * io.github.optkernels.bench.InterleavedDjlSteps SHAPE THREADS ROUNDS ROW,ROW,...}, for example
 * {@code gpt2 1 30 optkernels_djl,libtorch_fused,libtorch_fused_zero,optkernels_heap}. Every row
 * holds its own tensors at once (GPT-2 small: 2 GB each, half of it in the engine's memory).
 */
public final class InterleavedDjlSteps {
  /** Rounds run before the timed ones, so the generated loops are compiled before they are timed. */
  static final int WARMUP_ROUNDS = 5;

  private InterleavedDjlSteps() {}

  /** Each row's step times in milliseconds, round by round (timed rounds only). */
  static final class Times {
    final List<String> rows;
    final double[][] millis;

    Times(List<String> rows, double[][] millis) {
      this.rows = rows;
      this.millis = millis;
    }

    /** Row {@code r}'s time ÷ the first row's, in each round. */
    double[] ratiosToFirst(int r) {
      double[] ratios = new double[millis[r].length];
      for (int k = 0; k < ratios.length; k++) {
        ratios[k] = millis[r][k] / millis[0][k];
      }
      return ratios;
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: InterleavedDjlSteps SHAPE(gpt2|t16m|t<n>) THREADS(1|all) ROUNDS ROW,ROW,... (rows: "
          + DjlStep.IMPLS + ")");
      System.exit(2);
    }
    int threads = StepBenchmark.threadCount(args[1]);
    Times times = run(args[0], threads, WARMUP_ROUNDS, Integer.parseInt(args[2]), List.of(args[3].split(",")));
    System.out.printf(Locale.ROOT, "%s, %d thread(s), %d rounds after %d warm-up rounds, %s%n%n", args[0], threads,
        times.millis[0].length, WARMUP_ROUNDS, System.getProperty("java.vm.name") + " " + Runtime.version());
    System.out.print(format(times));
  }

  /**
   * Steps each of {@code rows} ({@link DjlStep#IMPLS}) over {@code shape}'s tensors on {@code
   * threads} threads, {@code warmup} untimed rounds then {@code rounds} timed ones.
   */
  static Times run(String shape, int threads, int warmup, int rounds, List<String> rows) throws Exception {
    if (rows.isEmpty() || rounds < 1 || warmup < 0) {
      throw new IllegalArgumentException("need a row, a timed round and no negative warm-up: " + rows + ", "
          + rounds + ", " + warmup);
    }
    // read by the engine when it starts, at the first row's tensors
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    int[] sizes = DjlStep.sizes(shape);
    List<DjlStep> steps = new ArrayList<>();
    try {
      for (String row : rows) {
        steps.add(DjlStep.create(row, sizes, threads));
      }
      double[][] millis = new double[rows.size()][rounds];
      for (int round = -warmup; round < rounds; round++) {
        for (int j = 0; j < rows.size(); j++) {
          // rotate the order, so that no row always follows the same one
          int r = Math.floorMod(j + round, rows.size());
          long start = System.nanoTime();
          steps.get(r).run();
          long elapsed = System.nanoTime() - start;
          if (round >= 0) {
            millis[r][round] = elapsed / 1e6;
          }
        }
      }
      return new Times(List.copyOf(rows), millis);
    } finally {
      for (DjlStep step : steps) {
        step.close();
      }
    }
  }

  /** A Markdown table: each row's median and fastest step, and its per-round ratios to the first row. */
  static String format(Times times) {
    StringBuilder out = new StringBuilder();
    String first = times.rows.get(0);
    out.append("| row | median ms | fastest ms | ÷ ").append(first).append(" per round: median | lowest | highest"
        + " | rounds faster than ").append(first).append(" |\n|---|---|---|---|---|---|---|\n");
    for (int r = 0; r < times.rows.size(); r++) {
      double[] ms = times.millis[r].clone();
      Arrays.sort(ms);
      double[] ratios = times.ratiosToFirst(r);
      long faster = Arrays.stream(ratios).filter(x -> x < 1).count();
      Arrays.sort(ratios);
      out.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.3f | %.3f | %.3f | %d of %d |%n",
          times.rows.get(r), median(ms), ms[0], median(ratios), ratios[0], ratios[ratios.length - 1],
          r == 0 ? 0 : faster, ratios.length));
    }
    return out.toString();
  }

  /** The median of sorted {@code values}. */
  static double median(double[] values) {
    int n = values.length;
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }
}
