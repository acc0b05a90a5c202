package io.github.optkernels.examples;

import io.github.optkernels.examples.cluster.ClusterSpeedCheck;
import io.github.optkernels.examples.conformance.ConformanceCommand;
import io.github.optkernels.examples.demo.DataParallelTraining;
import io.github.optkernels.examples.demo.DemoCommand;
import io.github.optkernels.examples.conformance.RunOptions;
import io.github.optkernels.examples.speed.LoopCheckCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The runnable jar's entry point: {@code java -jar optkernels-examples.jar <command> ...}.
 * Exit status: 0 when everything passed, 1 when a case failed (or the demo could not write its
 * output), 2 on a usage error.
 */
public final class Main {
  private static final String USAGE = String.join("\n",
      "usage: java -jar optkernels-examples.jar <command> [args]",
      "",
      "commands:",
      DemoCommand.USAGE,
      "  conformance [--threads N] [--chunk K] [--checkpoint-at K] CASES_DIR RESULTS_DIR",
      "                                      run every conformance case on the generated optimizers,",
      "                                      write one result file per case, print how 16-bit kernels",
      "                                      run in this JVM, then one line per case;",
      "                                      --threads/--chunk step on N threads in chunks of K elements",
      "                                      (even these small cases), --checkpoint-at saves after step K,",
      "                                      loads into a fresh optimizer and finishes there",
      "  loop-check [N]                      time each generated kernel against a hand-written loop on N",
      "                                      elements (default 65536); rerun with -XX:-UseSuperWord to see",
      "                                      that the loops vectorize",
      "  cluster-demo [--epochs N]           train the digits MLP data-parallel on 2 workers, AdamW sharded",
      "                                      across 3 Hazelcast members in this JVM, and in one process;",
      "                                      print both final losses (equal to the bit; default 10 epochs)",
      ClusterSpeedCheck.USAGE);

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String[] args) {
    if (args.length == 0) {
      System.err.println(USAGE);
      return 2;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    switch (args[0]) {
      case "demo":
        return DemoCommand.run(rest, System.out, System.err);
      case "conformance":
        return conformance(rest);
      case "loop-check":
        return loopCheck(rest);
      case "cluster-demo":
        return clusterDemo(rest);
      case "cluster-speed":
        return clusterSpeed(rest);
      case "-h":
      case "--help":
      case "help":
        System.out.println(USAGE);
        return 0;
      default:
        System.err.println("unknown command '" + args[0] + "'\n\n" + USAGE);
        return 2;
    }
  }

  private static int clusterDemo(String[] args) {
    int epochs = 10;
    if (args.length == 2 && args[0].equals("--epochs")) {
      epochs = positiveInt(args[1]);
    } else if (args.length != 0) {
      epochs = -1;
    }
    if (epochs < 1) {
      System.err.println("cluster-demo takes --epochs N (a positive integer) or nothing\n\n" + USAGE);
      return 2;
    }
    quietHazelcast();
    return DataParallelTraining.run(epochs, System.out).identical() ? 0 : 1;
  }

  private static int clusterSpeed(String[] args) {
    ClusterSpeedCheck.Options options;
    try {
      options = ClusterSpeedCheck.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("cluster-speed: " + e.getMessage() + "\n\n" + USAGE);
      return 2;
    }
    quietHazelcast();
    ClusterSpeedCheck.run(options, System.out);
    return 0;
  }

  /**
   * Hazelcast logs its members' start-up and membership at INFO, and warns about module access
   * before it reads any configuration; the commands print what matters themselves. Set here, in
   * the application, never by the library.
   */
  private static void quietHazelcast() {
    if (System.getProperty("hazelcast.logging.type") == null) {
      System.setProperty("hazelcast.logging.type", "none");
    }
  }

  private static int loopCheck(String[] args) {
    int n = 1 << 16;
    if (args.length > 1) {
      System.err.println("loop-check takes at most one argument, the tensor size\n\n" + USAGE);
      return 2;
    }
    if (args.length == 1) {
      try {
        n = Integer.parseInt(args[0]);
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 1) {
        System.err.println("loop-check: tensor size must be a positive integer, got '" + args[0] + "'");
        return 2;
      }
    }
    LoopCheckCommand.run(n, System.out);
    return 0;
  }

  private static int conformance(String[] args) {
    List<String> positional = new ArrayList<>();
    int threads = 0;
    int chunk = 0;
    int checkpointAt = 0;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        positional.add(arg);
        continue;
      }
      int value = i + 1 < args.length ? positiveInt(args[i + 1]) : -1;
      if (value < 1) {
        System.err.println("conformance: " + arg + " needs a positive integer\n\n" + USAGE);
        return 2;
      }
      i++;
      switch (arg) {
        case "--threads":
          threads = value;
          break;
        case "--chunk":
          chunk = value;
          break;
        case "--checkpoint-at":
          checkpointAt = value;
          break;
        default:
          System.err.println("conformance: unknown option '" + arg + "'\n\n" + USAGE);
          return 2;
      }
    }
    if (positional.size() != 2) {
      System.err.println("conformance needs CASES_DIR and RESULTS_DIR\n\n" + USAGE);
      return 2;
    }
    RunOptions options = new RunOptions(threads > 0 || chunk > 0 ? RunOptions.stepOptions(threads, chunk) : null,
        checkpointAt);
    try {
      ConformanceCommand.Summary summary = ConformanceCommand.run(Path.of(positional.get(0)),
          Path.of(positional.get(1)), System.out, options);
      return summary.failed() == 0 ? 0 : 1;
    } catch (IOException e) {
      System.err.println("conformance: " + e.getMessage());
      return 2;
    }
  }

  private static int positiveInt(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
