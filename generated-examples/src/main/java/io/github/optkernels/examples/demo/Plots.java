package io.github.optkernels.examples.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The demo's figures, drawn with XChart and written as PNG. Each method builds one figure from an
 * experiment's result: exactly the numbers {@code summary.json} holds for it.
 */
final class Plots {
  static final String CONVERGENCE = "convergence.png";
  static final String RECTIFICATION = "rectification.png";
  static final String TRAINING_LOSS = "mlp-loss.png";
  static final String HELD_OUT_ACCURACY = "mlp-accuracy.png";

  private static final int WIDTH = 960;
  private static final int HEIGHT = 600;
  /** One colour per optimizer (the matplotlib "tab10" colours), so the two MLP plots agree. */
  private static final Color[] OPTIMIZER_COLORS = {
    new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
    new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b),
    new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf),
  };
  private static final BasicStroke SOLID = new BasicStroke(2f);

  private Plots() {}

  /** x_t and the average regret R_t/t of Adam and AMSGrad, side by side; log(step) axes. */
  static void convergence(ConvergenceExperiment.Result result, Path file) throws IOException {
    XYChart position = chart(WIDTH / 2 + 60, HEIGHT,
        "Reddi et al.'s problem: x_t (the optimum is x* = −1)", "step t", "x_t");
    XYChart regret = chart(WIDTH / 2 + 60, HEIGHT, "Average regret R_t / t (log scale)",
        "step t", "R_t / t");
    double lowestRegret = Double.POSITIVE_INFINITY;
    for (ConvergenceExperiment.Run run : List.of(result.adam(), result.amsgrad())) {
      for (double r : run.averageRegret()) {
        lowestRegret = Math.min(lowestRegret, r);
      }
    }
    position.getStyler().setXAxisLogarithmic(true);
    position.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
    position.getStyler().setYAxisMin(-1.1);
    position.getStyler().setYAxisMax(1.1);
    regret.getStyler().setXAxisLogarithmic(true);
    regret.getStyler().setYAxisLogarithmic(lowestRegret > 0); // it is, unless x sits at −1 throughout
    regret.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    int color = 0;
    for (ConvergenceExperiment.Run run : List.of(result.adam(), result.amsgrad())) {
      String name = String.format(Locale.ROOT, "%s: x_T = %+.3f (last 101 steps: %+.3f to %+.3f)",
          run.optimizer(), run.finalX(), run.lastPeriodMinX(), run.lastPeriodMaxX());
      line(position, name, run.step(), run.x(), OPTIMIZER_COLORS[color], SOLID);
      String regretName = String.format(Locale.ROOT, "%s: R_T / T = %.3f", run.optimizer(),
          run.finalAverageRegret());
      line(regret, regretName, run.step(), run.averageRegret(), OPTIMIZER_COLORS[color], SOLID);
      color += 2; // blue and green, as Adam and AMSGrad in the MLP plots
    }
    write(List.of(position, regret), 1, 2, file);
  }

  /** r_t against the step for each β2 that is ever rectified, with a marker where it starts. */
  static void rectification(RectificationExperiment.Result result, Path file) throws IOException {
    XYChart chart = chart(WIDTH, HEIGHT,
        "RAdam's rectification term r_t (from the generated RAdamFloatKernel; applies when ρ_t > 5)",
        "step t", "r_t");
    XYStyler styler = chart.getStyler();
    styler.setXAxisLogarithmic(true);
    styler.setYAxisMin(0.0);
    styler.setYAxisMax(1.0);
    styler.setXAxisMin(1.0);
    styler.setLegendPosition(Styler.LegendPosition.InsideSE);
    List<Double> startSteps = new ArrayList<>();
    List<Double> startValues = new ArrayList<>();
    List<String> never = new ArrayList<>();
    int color = 0;
    for (RectificationExperiment.Curve curve : result.curves()) {
      if (curve.firstRectifiedStep() == null) {
        never.add(String.valueOf(curve.beta2()));
        continue;
      }
      String name = String.format(Locale.ROOT, "β2 = %s (from t = %d)", curve.beta2(),
          curve.firstRectifiedStep());
      line(chart, name, curve.step(), curve.r(), OPTIMIZER_COLORS[color++], SOLID);
      startSteps.add((double) curve.firstRectifiedStep());
      startValues.add(curve.r().get(0));
    }
    if (!startSteps.isEmpty()) {
      XYSeries starts = chart.addSeries("first rectified step", startSteps, startValues);
      starts.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      starts.setMarker(SeriesMarkers.DIAMOND);
      starts.setMarkerColor(Color.BLACK);
    }
    if (!never.isEmpty()) {
      // in data coordinates: the empty strip before the first rectified step, one line each
      styler.setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
      String[] note = {"β2 = " + String.join(", ", never) + ":", "never rectified", "(ρ∞ ≤ 5)"};
      for (int line = 0; line < note.length; line++) {
        chart.addAnnotation(new AnnotationText(note[line], 2.4, 0.62 - 0.045 * line, false));
      }
    }
    write(List.of(chart), 1, 1, file);
  }

  /**
   * The full training set's loss after each epoch (log scale): one panel per warm-up setting
   * (columns) and precision (rows), one line per optimizer, all panels on the same scale.
   */
  static void trainingLoss(TrainingExperiment.Result result, Path file) throws IOException {
    double lowest = Double.POSITIVE_INFINITY;
    double highest = 0;
    for (TrainingExperiment.Run run : result.runs()) {
      for (double loss : run.trainLoss()) {
        lowest = Math.min(lowest, loss);
        highest = Math.max(highest, loss);
      }
    }
    double min = Math.pow(10, Math.floor(Math.log10(lowest)));
    double max = Math.pow(10, Math.ceil(Math.log10(highest)));
    trainingPanels(result, file, "Digits MLP training loss", "mean cross-entropy on the "
        + result.trainExamples() + " training images", true,
        run -> run.trainLoss(), 0, min, max);
  }

  /**
   * Held-out accuracy after each epoch from the first: panels as in {@link #trainingLoss}. The
   * scale starts at 80% (lower points, from the first epochs, are cut off) so the last epochs'
   * differences show.
   */
  static void heldOutAccuracy(TrainingExperiment.Result result, Path file) throws IOException {
    trainingPanels(result, file, "Digits MLP held-out accuracy", "fraction of the "
        + result.heldOutExamples() + " held-out images classified correctly", false, run -> run.heldOutAccuracyByEpoch(), 1, 0.8, 1.0);
  }

  private static void trainingPanels(TrainingExperiment.Result result, Path file, String what,
      String yTitle, boolean logarithmic, Function<TrainingExperiment.Run, List<Double>> values,
      int firstEpoch, double yMin, double yMax) throws IOException {
    List<String> precisions = new ArrayList<>();
    for (TrainingExperiment.Run run : result.runs()) {
      if (!precisions.contains(run.precision())) {
        precisions.add(run.precision());
      }
    }
    List<XYChart> panels = new ArrayList<>();
    for (String precision : precisions) {
      for (boolean warmup : new boolean[] {false, true}) {
        XYChart chart = chart(WIDTH / 2 + 60, HEIGHT, String.format(Locale.ROOT,
            "%s (%s, %s)", what, precision, warmup
                // short enough for a 540-pixel panel with the longest precision name
                ? String.format(Locale.ROOT, "%.0f%% warm-up", 100 * result.warmupFraction())
                : "no warm-up"), "epoch", yTitle);
        XYStyler styler = chart.getStyler();
        styler.setYAxisLogarithmic(logarithmic);
        styler.setYAxisMin(yMin);
        styler.setYAxisMax(yMax);
        styler.setLegendPosition(logarithmic
            ? Styler.LegendPosition.InsideNE : Styler.LegendPosition.InsideSE);
        if (!logarithmic) {
          styler.setYAxisDecimalPattern("0.00");
        }
        for (TrainingExperiment.Run run : result.runs()) {
          if (run.warmup() != warmup || !run.precision().equals(precision)) {
            continue;
          }
          List<Double> y = values.apply(run);
          y = y.subList(firstEpoch, y.size());
          List<Double> x = epochs(firstEpoch + y.size()).subList(firstEpoch, firstEpoch + y.size());
          String name = String.format(Locale.ROOT, logarithmic ? "%s (%.4f)" : "%s (%.1f%%)",
              run.optimizer(), logarithmic ? y.get(y.size() - 1) : 100 * y.get(y.size() - 1));
          line(chart, name, x, y, colorOf(run), SOLID);
        }
        panels.add(chart);
      }
    }
    write(panels, precisions.size(), 2, file);
  }

  private static Color colorOf(TrainingExperiment.Run run) {
    for (TrainedOptimizer optimizer : TrainedOptimizer.values()) {
      if (optimizer.displayName().equals(run.optimizer())) {
        return OPTIMIZER_COLORS[optimizer.ordinal()];
      }
    }
    return Color.BLACK;
  }

  private static List<Double> epochs(int count) {
    List<Double> epochs = new ArrayList<>(count);
    for (int e = 0; e < count; e++) {
      epochs.add((double) e);
    }
    return epochs;
  }

  private static XYChart chart(int width, int height, String title, String xTitle, String yTitle) {
    XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
        .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    XYStyler styler = chart.getStyler();
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setPlotBorderColor(Color.GRAY);
    styler.setPlotGridLinesColor(new Color(0xdddddd));
    styler.setLegendBorderColor(Color.LIGHT_GRAY);
    styler.setAntiAlias(true);
    return chart;
  }

  private static void line(XYChart chart, String name, List<? extends Number> x,
      List<? extends Number> y, Color color, BasicStroke stroke) {
    XYSeries series = chart.addSeries(name, x, y);
    series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    series.setMarker(SeriesMarkers.NONE);
    series.setLineColor(color);
    series.setLineStyle(stroke);
  }

  /** Charts in a grid of {@code rows × columns}, as one PNG at exactly {@code file}. */
  private static void write(List<XYChart> charts, int rows, int columns, Path file)
      throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      BitmapEncoder.saveBitmap(charts, rows, columns, out, BitmapEncoder.BitmapFormat.PNG);
    }
  }
}
