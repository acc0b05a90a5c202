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
 * The demo's figures, drawn with XChart and written as PNG. Each method builds one {@link Figure}
 * from an experiment's result: exactly the numbers {@code summary.json} holds for it.
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
    new Color(0x393b79), new Color(0xad494a),
  };
  private static final BasicStroke SOLID = new BasicStroke(2f);
  /**
   * Adam, AdamW and AMSGrad follow almost the same path (on the digits they differ in the third
   * decimal; on the synthetic problem Adam and AMSGrad agree for the first 100 steps), so each
   * has its own stroke: Adam a wide solid band, drawn first, AdamW dashes and AMSGrad dots on top
   * of it, and all three stay visible where they coincide.
   */
  private static final BasicStroke WIDE = new BasicStroke(4.5f);
  private static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT,
      BasicStroke.JOIN_ROUND, 10f, new float[] {9f, 6f}, 0f);
  private static final BasicStroke DOTTED = new BasicStroke(2.5f, BasicStroke.CAP_ROUND,
      BasicStroke.JOIN_ROUND, 10f, new float[] {0.1f, 6f}, 0f);
  /** Log-scale tick labels: plain numbers with thousands separators (1, 10, …, 1,000,000). */
  static final String LOG_TICKS = "#,##0.###";

  private Plots() {}

  /** x_t and the average regret R_t/t of Adam and AMSGrad, side by side; log(step) axes. */
  static Figure convergence(ConvergenceExperiment.Result result) {
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
    logarithmicX(position.getStyler());
    // below the plots: inside, the legend would hide AMSGrad at −1 or Adam at +1
    position.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    position.getStyler().setYAxisMin(-1.1);
    position.getStyler().setYAxisMax(1.1);
    logarithmicX(regret.getStyler());
    if (lowestRegret > 0) { // it is, unless x sits at −1 throughout
      regret.getStyler().setYAxisLogarithmic(true);
      regret.getStyler().setYAxisDecimalPattern(LOG_TICKS);
    }
    regret.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    for (XYChart chart : List.of(position, regret)) {
      // room right of the plot, else XChart drops the last tick label (1,000,000) at the edge
      chart.getStyler().setChartPadding(24);
    }
    // colours as Adam and AMSGrad in the MLP plots; the two agree for the first 100 steps, so
    // AMSGrad's line runs inside Adam's wide one (not dotted as in the MLP plots: these curves
    // jump every step, and dots along them scatter)
    for (TrainedOptimizer optimizer : List.of(TrainedOptimizer.ADAM, TrainedOptimizer.AMSGRAD)) {
      ConvergenceExperiment.Run run = optimizer == TrainedOptimizer.ADAM ? result.adam() : result.amsgrad();
      BasicStroke stroke = optimizer == TrainedOptimizer.ADAM ? WIDE : SOLID;
      String name = String.format(Locale.ROOT, "%s: x_T = %+.3f (last 101 steps: %+.3f to %+.3f)",
          run.optimizer(), run.finalX(), run.lastPeriodMinX(), run.lastPeriodMaxX());
      line(position, name, run.step(), run.x(), colorOf(optimizer), stroke);
      String regretName = String.format(Locale.ROOT, "%s: R_T / T = %.3f", run.optimizer(),
          run.finalAverageRegret());
      line(regret, regretName, run.step(), run.averageRegret(), colorOf(optimizer), stroke);
    }
    return new Figure(List.of(position, regret), 1, 2);
  }

  /** r_t against the step for each β2 that is ever rectified, with a marker where it starts. */
  static Figure rectification(RectificationExperiment.Result result) {
    XYChart chart = chart(WIDTH, HEIGHT,
        "RAdam's rectification term r_t (from the generated RAdamFloatKernel; applies when ρ_t > 5)",
        "step t", "r_t");
    XYStyler styler = chart.getStyler();
    logarithmicX(styler);
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
    return new Figure(List.of(chart), 1, 1);
  }

  /**
   * The full training set's loss after each epoch (log scale): one panel per warm-up setting
   * (columns) and precision (rows), one line per optimizer, all panels on the same scale.
   */
  static Figure trainingLoss(TrainingExperiment.Result result) {
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
    return trainingPanels(result, "Digits MLP training loss", "mean cross-entropy on the "
        + result.trainExamples() + " training images", true,
        run -> run.trainLoss(), 0, min, max);
  }

  /**
   * Held-out accuracy after each epoch, from the untrained network (epoch 0): panels as in
   * {@link #trainingLoss}. The scale reaches down to the lowest point of any run (rounded down to
   * a tenth), so every curve is whole: the slow starters (RAdam, AdaBelief, the warm-up runs) are
   * near chance after the first epoch. The final accuracies, which differ by a few images, are in
   * the legends and the table.
   */
  static Figure heldOutAccuracy(TrainingExperiment.Result result) {
    double lowest = 1.0;
    for (TrainingExperiment.Run run : result.runs()) {
      for (double accuracy : run.heldOutAccuracyByEpoch()) {
        lowest = Math.min(lowest, accuracy);
      }
    }
    double min = Math.max(0.0, Math.floor(10 * lowest) / 10);
    return trainingPanels(result, "Digits MLP held-out accuracy", "fraction of the "
        + result.heldOutExamples() + " held-out images classified correctly", false,
        run -> run.heldOutAccuracyByEpoch(), 0, min, 1.0);
  }

  private static Figure trainingPanels(TrainingExperiment.Result result, String what,
      String yTitle, boolean logarithmic, Function<TrainingExperiment.Run, List<Double>> values,
      int firstEpoch, double yMin, double yMax) {
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
        styler.setYAxisDecimalPattern(logarithmic ? LOG_TICKS : "0.00");
        for (TrainingExperiment.Run run : result.runs()) {
          if (run.warmup() != warmup || !run.precision().equals(precision)) {
            continue;
          }
          List<Double> y = values.apply(run);
          y = y.subList(firstEpoch, y.size());
          List<Double> x = epochs(firstEpoch + y.size()).subList(firstEpoch, firstEpoch + y.size());
          String name = String.format(Locale.ROOT, logarithmic ? "%s (%.4f)" : "%s (%.1f%%)",
              run.optimizer(), logarithmic ? y.get(y.size() - 1) : 100 * y.get(y.size() - 1));
          TrainedOptimizer optimizer = optimizerOf(run);
          line(chart, name, x, y, colorOf(optimizer), strokeOf(optimizer));
        }
        panels.add(chart);
      }
    }
    return new Figure(panels, precisions.size(), 2);
  }

  private static TrainedOptimizer optimizerOf(TrainingExperiment.Run run) {
    for (TrainedOptimizer optimizer : TrainedOptimizer.values()) {
      if (optimizer.displayName().equals(run.optimizer())) {
        return optimizer;
      }
    }
    throw new IllegalArgumentException("no optimizer named " + run.optimizer());
  }

  /** One colour per optimizer, the same in every plot. */
  private static Color colorOf(TrainedOptimizer optimizer) {
    return OPTIMIZER_COLORS[optimizer.ordinal()];
  }

  /** One stroke per optimizer, the same in every plot; see {@link #WIDE}. */
  private static BasicStroke strokeOf(TrainedOptimizer optimizer) {
    switch (optimizer) {
      case ADAM:
        return WIDE;
      case ADAMW:
        return DASHED;
      case AMSGRAD:
        return DOTTED;
      default:
        return SOLID;
    }
  }

  /**
   * A log-scale x axis with plain tick labels: XChart's own switch from "1000" to "1E4" at 10^4
   * would mix two styles on one axis.
   */
  private static void logarithmicX(XYStyler styler) {
    styler.setXAxisLogarithmic(true);
    styler.setXAxisDecimalPattern(LOG_TICKS);
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
    styler.setLocale(Locale.ROOT); // tick labels such as 1,000 the same on every machine
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

  /** One figure: charts in a grid of {@code rows × columns}, in reading order. */
  record Figure(List<XYChart> charts, int rows, int columns) {
    /** Writes the figure as one PNG at exactly {@code file}. */
    void write(Path file) throws IOException {
      try (OutputStream out = Files.newOutputStream(file)) {
        BitmapEncoder.saveBitmap(charts, rows, columns, out, BitmapEncoder.BitmapFormat.PNG);
      }
    }
  }
}
