package io.github.optkernels.examples;

import io.github.optkernels.examples.conformance.ConformanceCommand;
import io.github.optkernels.examples.demo.DemoCommand;
import io.github.optkernels.examples.speed.LoopCheckCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

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
      "  conformance CASES_DIR RESULTS_DIR   run every conformance case on the generated optimizers,",
      "                                      write one result file per case, print one line per case",
      "  loop-check [N]                      time each generated kernel against a hand-written loop on N",
      "                                      elements (default 65536); rerun with -XX:-UseSuperWord to see",
      "                                      that the loops vectorize");

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
    if (args.length != 2) {
      System.err.println("conformance needs CASES_DIR and RESULTS_DIR\n\n" + USAGE);
      return 2;
    }
    try {
      ConformanceCommand.Summary summary =
          ConformanceCommand.run(Path.of(args[0]), Path.of(args[1]), System.out);
      return summary.failed() == 0 ? 0 : 1;
    } catch (IOException e) {
      System.err.println("conformance: " + e.getMessage());
      return 2;
    }
  }
}
