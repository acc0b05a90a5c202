package io.github.optkernels.examples.demo;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * What one {@code demo} run does: which parts, how long, where the output goes.
 *
 * @param parts the parts to run (they run in {@link Part} order)
 * @param steps steps of the synthetic convergence problem
 * @param epochs training epochs of each MLP run
 * @param speedElements length of the tensor of the speed check
 * @param out the output folder (created if missing)
 */
record DemoOptions(Set<Part> parts, long steps, int epochs, int speedElements, Path out) {
  /** Enough for AMSGrad to reach −1 (it needs about 10^5 steps at lr 1e-2); the paper runs 10^7. */
  static final long DEFAULT_STEPS = 1_000_000;
  static final int DEFAULT_EPOCHS = 30;
  /** 2^22 floats = 16 MB per buffer: far beyond the caches, so the step is bound by memory. */
  static final int DEFAULT_SPEED_ELEMENTS = 1 << 22;
  static final Path DEFAULT_OUT = Path.of("demo-out");

  static final String USAGE = String.join("\n",
      "  demo [--parts LIST] [--steps N] [--epochs N] [--speed-size N] [--out DIR]",
      "                                      plots and a summary of what the generated optimizers do",
      "                                      (PNGs and summary.json in DIR), in well under a minute",
      "      --parts LIST    comma-separated, from convergence,rectification,mlp,speed,djl (default: all)",
      "      --steps N       steps of the synthetic convergence problem (default " + DEFAULT_STEPS
          + "; the paper: 10000000)",
      "      --epochs N      epochs of each digits training run (default " + DEFAULT_EPOCHS + ")",
      "      --speed-size N  tensor length of the speed check (default " + DEFAULT_SPEED_ELEMENTS + ")",
      "      --out DIR       output folder (default " + DEFAULT_OUT + ")");

  DemoOptions {
    parts = Set.copyOf(parts);
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("--parts: name at least one part");
    }
    if (steps < 1) {
      throw new IllegalArgumentException("--steps must be at least 1, got " + steps);
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
    }
    if (speedElements < 1) {
      throw new IllegalArgumentException("--speed-size must be at least 1, got " + speedElements);
    }
  }

  /** Every part, default lengths, {@code demo-out/}. */
  static DemoOptions defaults() {
    return new DemoOptions(EnumSet.allOf(Part.class), DEFAULT_STEPS, DEFAULT_EPOCHS,
        DEFAULT_SPEED_ELEMENTS, DEFAULT_OUT);
  }

  /**
   * Parses {@code --name value} and {@code --name=value} arguments.
   *
   * @throws IllegalArgumentException naming the first bad argument
   */
  static DemoOptions parse(String... args) {
    DemoOptions options = defaults();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        value = null;
      }
      if (!Arrays.asList("--parts", "--steps", "--epochs", "--speed-size", "--out").contains(name)) {
        throw new IllegalArgumentException("unknown option '" + arg + "'");
      }
      if (value == null) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      switch (name) {
        case "--parts":
          EnumSet<Part> parts = EnumSet.noneOf(Part.class);
          for (String id : value.split(",", -1)) {
            parts.add(Part.parse(id));
          }
          options = options.withParts(parts);
          break;
        case "--steps":
          options = new DemoOptions(options.parts, positiveLong(name, value), options.epochs,
              options.speedElements, options.out);
          break;
        case "--epochs":
          options = new DemoOptions(options.parts, options.steps, positiveInt(name, value),
              options.speedElements, options.out);
          break;
        case "--speed-size":
          options = new DemoOptions(options.parts, options.steps, options.epochs,
              positiveInt(name, value), options.out);
          break;
        default: // --out
          options = new DemoOptions(options.parts, options.steps, options.epochs,
              options.speedElements, Path.of(value));
          break;
      }
    }
    return options;
  }

  DemoOptions withParts(Set<Part> newParts) {
    return new DemoOptions(newParts, steps, epochs, speedElements, out);
  }

  /** Whether {@code part} runs. */
  boolean runs(Part part) {
    return parts.contains(part);
  }

  private static long positiveLong(String name, String value) {
    try {
      long n = Long.parseLong(value.replace("_", ""));
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " needs a positive whole number, got '" + value + "'");
  }

  private static int positiveInt(String name, String value) {
    long n = positiveLong(name, value);
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + " is too large: " + value);
    }
    return (int) n;
  }
}
