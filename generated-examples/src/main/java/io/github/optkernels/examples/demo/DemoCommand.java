package io.github.optkernels.examples.demo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.optkernels.examples.SixteenBitPath;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code demo}: shows, with plots, what the generated optimizers do. Prints how this JVM runs the
 * 16-bit kernels ({@link SixteenBitPath#line()}), runs the chosen
 * {@link Part}s in order, with a progress bar, prints a short result for each, and writes the PNG
 * figures and {@code summary.json} (every number behind every table and plot) into the output
 * folder, whose path it prints last.
 */
public final class DemoCommand {
  /** The {@code demo} lines of the jar's usage text. */
  public static final String USAGE = DemoOptions.USAGE;
  static final String SUMMARY = "summary.json";
  /** Epochs of each DJL run at most: enough to compare DJL's Adam with optkernels' epoch by epoch. */
  static final int DJL_EPOCHS = 5;

  /** Everything the demo measured; a part that did not run is null and left out of the JSON. */
  record Summary(Setup setup, ConvergenceExperiment.Result convergence,
      RectificationExperiment.Result rectification, TrainingExperiment.Result mlp,
      SpeedCheck.Result speed, DjlTrainingExperiment.Result djl, Map<String, Double> seconds,
      List<String> files) {}

  /**
   * What was run, and where (the only machine-dependent figures are the timings and the speed
   * check). {@code sixteenBitPath}: how the bf16 runs' kernels ran, which changes their speed, not
   * their results.
   */
  record Setup(List<String> parts, long steps, int epochs, int speedElements, String java,
      int availableProcessors, SixteenBitPath sixteenBitPath) {}

  private DemoCommand() {}

  /**
   * Parses {@code args} and runs the demo, printing to {@code out}.
   *
   * @return the exit status: 0 when it finished, 1 when it could not write its output, 2 on a
   *     usage error
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("demo: " + e.getMessage() + "\n\nusage:\n" + USAGE);
      return 2;
    }
    try {
      run(options, Progress.forStandardOutput(out), out);
      return 0;
    } catch (IOException e) {
      err.println("demo: cannot write to " + options.out().toAbsolutePath() + ": " + e);
      return 1;
    }
  }

  /** Runs the demo with {@code options}; returns what {@code summary.json} holds. */
  static Summary run(DemoOptions options, Progress progress, PrintStream out) throws IOException {
    // XChart draws with AWT; headless, so no window system is needed and no Dock icon appears.
    System.setProperty("java.awt.headless", "true");
    Path dir = options.out();
    Files.createDirectories(dir);
    List<Part> parts = new ArrayList<>();
    for (Part part : Part.values()) {
      if (options.runs(part)) {
        parts.add(part);
      }
    }
    SixteenBitPath sixteenBitPath = SixteenBitPath.current();
    out.println("optkernels demo: " + parts.size() + " part" + (parts.size() == 1 ? "" : "s")
        + ", output in " + dir);
    out.println(sixteenBitPath.line());
    Map<String, Double> seconds = new LinkedHashMap<>();
    List<String> files = new ArrayList<>();
    ConvergenceExperiment.Result convergence = null;
    RectificationExperiment.Result rectification = null;
    TrainingExperiment.Result mlp = null;
    SpeedCheck.Result speed = null;
    DjlTrainingExperiment.Result djl = null;
    long demoStart = System.nanoTime();
    for (int i = 0; i < parts.size(); i++) {
      Part part = parts.get(i);
      String label = "[" + (i + 1) + "/" + parts.size() + "] " + part.id();
      long start = System.nanoTime();
      switch (part) {
        case CONVERGENCE:
          convergence = ConvergenceExperiment.run(options.steps(), progress, label);
          Plots.convergence(convergence).write(dir.resolve(Plots.CONVERGENCE));
          files.add(Plots.CONVERGENCE);
          report(progress, label, Report.convergence(convergence));
          break;
        case RECTIFICATION:
          rectification = RectificationExperiment.run(progress, label);
          Plots.rectification(rectification).write(dir.resolve(Plots.RECTIFICATION));
          files.add(Plots.RECTIFICATION);
          report(progress, label, Report.rectification(rectification));
          break;
        case MLP:
          mlp = TrainingExperiment.run(options.epochs(), progress, label);
          Plots.trainingLoss(mlp).write(dir.resolve(Plots.TRAINING_LOSS));
          Plots.heldOutAccuracy(mlp).write(dir.resolve(Plots.HELD_OUT_ACCURACY));
          files.add(Plots.TRAINING_LOSS);
          files.add(Plots.HELD_OUT_ACCURACY);
          report(progress, label, Report.training(mlp));
          break;
        case SPEED:
          speed = SpeedCheck.run(options.speedElements(), progress, label);
          report(progress, label, Report.speed(speed));
          break;
        default: // DJL
          djl = DjlTrainingExperiment.run(Math.min(options.epochs(), DJL_EPOCHS), progress, label);
          report(progress, label, Report.djl(djl));
          break;
      }
      seconds.put(part.id(), (System.nanoTime() - start) / 1e9);
    }
    double total = (System.nanoTime() - demoStart) / 1e9;
    seconds.put("total", total);
    files.add(SUMMARY);
    List<String> partIds = new ArrayList<>();
    parts.forEach(p -> partIds.add(p.id()));
    Summary summary = new Summary(
        new Setup(partIds, options.steps(), options.epochs(), options.speedElements(),
            System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
            sixteenBitPath),
        convergence, rectification, mlp, speed, djl, seconds, files);
    // Null is left out: a part that did not run, a β2 that is never rectified. (Configured here
    // rather than with @JsonInclude: -Xlint:processing -Werror rejects unclaimed annotations.)
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .setSerializationInclusion(JsonInclude.Include.NON_NULL)
        .writeValue(dir.resolve(SUMMARY).toFile(), summary);
    out.printf(Locale.ROOT, "done in %.1f s; wrote %s into %s%n", total, String.join(", ", files),
        dir.toAbsolutePath().normalize());
    out.flush();
    return summary;
  }

  private static void report(Progress progress, String label, List<String> lines) {
    progress.note(label + ":");
    for (String line : lines) {
      progress.note("  " + line);
    }
  }
}
