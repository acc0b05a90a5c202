package io.github.optkernels.examples.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The lines the demo prints for each part: the tables of the figures in {@code summary.json}. */
final class Report {
  private Report() {}

  static List<String> convergence(ConvergenceExperiment.Result result) {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT,
        "f_t(x) = 1010x if t mod 101 = 1, else -10x; x in [-1, 1]; lr %.0e, betas (%s, %s); %,d steps",
        ConvergenceExperiment.LR, ConvergenceExperiment.BETA1, ConvergenceExperiment.BETA2,
        result.steps()));
    for (ConvergenceExperiment.Run run : List.of(result.adam(), result.amsgrad())) {
      lines.add(String.format(Locale.ROOT, "%-8s final x = %+.4f   average regret R_T/T = %.4f",
          run.optimizer(), run.finalX(), run.finalAverageRegret()));
    }
    return lines;
  }

  static List<String> rectification(RectificationExperiment.Result result) {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "%-7s  %9s  %-20s  %s", "beta2", "rho_inf",
        "first step rho_t > 5", "r_t at t = " + result.steps()));
    for (RectificationExperiment.Curve curve : result.curves()) {
      lines.add(String.format(Locale.ROOT, "%-7s  %9.1f  %-20s  %s", curve.beta2(),
          curve.rhoInfinity(),
          curve.firstRectifiedStep() == null ? "never" : String.valueOf(curve.firstRectifiedStep()),
          curve.finalR() == null ? "-" : String.format(Locale.ROOT, "%.4f", curve.finalR())));
    }
    return lines;
  }

  static List<String> training(TrainingExperiment.Result result) {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT,
        "%s, %d train / %d held-out images, batch %d, %d epochs, lr %.0e, warm-up %.0f%% of steps",
        result.model(), result.trainExamples(), result.heldOutExamples(), result.batchSize(),
        result.epochs(), result.lr(), 100 * result.warmupFraction()));
    lines.add("bf16+Kahan: bf16 parameters and gradients, float32 moments, Kahan-compensated updates"
        + " (schedule-free AdamW: no Kahan buffer; its float32 x and z are the accumulators)");
    // the optimizer column as wide as its longest name
    int width = "optimizer".length();
    for (TrainingExperiment.Run run : result.runs()) {
      width = Math.max(width, run.optimizer().length());
    }
    String name = "%-" + width + "s";
    lines.add(String.format(Locale.ROOT, name + "  %-7s  %-10s  %16s  %17s", "optimizer", "warm-up",
        "precision", "final train loss", "held-out accuracy"));
    for (TrainingExperiment.Run run : result.runs()) {
      lines.add(String.format(Locale.ROOT, name + "  %-7s  %-10s  %16.4f  %16.2f%%", run.optimizer(),
          run.warmup() ? "yes" : "no", run.precision(), run.finalTrainLoss(),
          100 * run.heldOutAccuracy()));
    }
    return lines;
  }

  static List<String> speed(SpeedCheck.Result result) {
    return List.of(
        String.format(Locale.ROOT, "AdamW step on one float32 tensor of %,d elements:",
            result.elements()),
        String.format(Locale.ROOT, "generated %.3f ns/element, hand-written %.3f ns/element, "
            + "ratio %.2f (1.00 = as fast)", result.generatedNsPerElement(),
            result.handWrittenNsPerElement(), result.ratio()));
  }

  static List<String> djl(DjlTrainingExperiment.Result result) {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT,
        "MLP 64-%d-10 through DJL's Trainer (PyTorch engine, CPU), %d images, batch %d, %d epochs, lr %.0e",
        DjlTrainingExperiment.HIDDEN, result.samples(), result.batchSize(), result.epochs(), result.lr()));
    int width = "optimizer".length();
    for (DjlTrainingExperiment.Run run : result.losses()) {
      width = Math.max(width, run.optimizer().length());
    }
    StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", "optimizer"));
    for (int e = 1; e <= result.epochs(); e++) {
      header.append(String.format(Locale.ROOT, "  %8s", "epoch " + e));
    }
    lines.add(header.toString());
    for (DjlTrainingExperiment.Run run : result.losses()) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", run.optimizer()));
      for (double loss : run.losses()) {
        line.append(String.format(Locale.ROOT, "  %8.5f", loss));
      }
      lines.add(line.toString());
    }
    lines.add(String.format(Locale.ROOT, "DJL's Adam and optkernels' DjlAdam agree to %.1e relative; optkernels"
        + " stepped the %d parameters %s", result.adamAgreement(), result.parameters(), result.parameterMemory()));
    lines.add("bf16 weights: " + result.bf16());
    return lines;
  }
}
