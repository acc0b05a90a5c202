package io.github.optkernels.examples.demo;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.awt.BasicStroke;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.XYStyler;

/**
 * What makes the demo's figures readable, checked on the charts before they are drawn: every
 * point of every curve on the scale, near-identical optimizers told apart by their strokes, and
 * log-axis tick labels in one style.
 */
class PlotsTest {
  private static final int EPOCHS = 5;

  /**
   * Curves shaped like the demo's: the slow starters (RAdam with warm-up) are at chance, 7%,
   * after the first epoch; Adam, AdamW and AMSGrad coincide.
   */
  private static TrainingExperiment.Result training() {
    List<TrainingExperiment.Run> runs = new ArrayList<>();
    for (Precision precision : Precision.values()) {
      for (TrainedOptimizer optimizer : TrainedOptimizer.values()) {
        for (boolean warmup : new boolean[] {false, true}) {
          boolean slow = optimizer == TrainedOptimizer.RADAM || optimizer == TrainedOptimizer.ADABELIEF;
          List<Double> accuracy = List.of(0.073, slow ? 0.073 : 0.85, slow ? 0.41 : 0.91, 0.93, 0.95, 0.97);
          List<Double> loss = List.of(2.5, 1.0, 0.4, 0.2, 0.1, 0.05);
          runs.add(new TrainingExperiment.Run(optimizer.displayName(), warmup, precision.id(), 210, 21,
              0.05, 0.1, 0.97, loss, accuracy));
        }
      }
    }
    return new TrainingExperiment.Result(1346, 451, "test", 4810, 32, EPOCHS, 3e-3, 0.1, runs);
  }

  private static ConvergenceExperiment.Result convergence() {
    List<Long> steps = List.of(1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L);
    List<Double> same = List.of(0.0, -0.01, 0.0, 0.3, 1.0, 1.0, 1.0);
    List<Double> regret = List.of(1000.0, 100.0, 10.0, 1.0, 0.6, 0.5, 0.5);
    return new ConvergenceExperiment.Result(1_000_000,
        new ConvergenceExperiment.Run("Adam", 1_000_000, 1, 0.9, 0.95, 1, 0.5, steps, same, regret),
        new ConvergenceExperiment.Run("AMSGrad", 1_000_000, -1, -1, -0.97, -0.95, 0.3, steps,
            same, regret));
  }

  @Test
  void everyAccuracyCurveIsOnTheScaleFromTheFirstEpoch() {
    Plots.Figure figure = Plots.heldOutAccuracy(training());
    assertThat(figure.charts()).hasSize(4);
    for (XYChart chart : figure.charts()) {
      XYStyler styler = chart.getStyler();
      for (XYSeries series : chart.getSeriesMap().values()) {
        assertWithMessage("%s / %s", chart.getTitle(), series.getName())
            .that(series.getXData()[0]).isAtMost(1.0);
        for (double y : series.getYData()) {
          assertWithMessage("%s / %s", chart.getTitle(), series.getName())
              .that(y).isAtLeast(styler.getYAxisMin());
          assertWithMessage("%s / %s", chart.getTitle(), series.getName())
              .that(y).isAtMost(styler.getYAxisMax());
        }
      }
    }
  }

  @Test
  void everyLossCurveIsOnTheScale() {
    for (XYChart chart : Plots.trainingLoss(training()).charts()) {
      for (XYSeries series : chart.getSeriesMap().values()) {
        for (double y : series.getYData()) {
          assertThat(y).isAtLeast(chart.getStyler().getYAxisMin());
          assertThat(y).isAtMost(chart.getStyler().getYAxisMax());
        }
      }
    }
  }

  /** Adam, AdamW and AMSGrad lie on top of each other: each needs its own stroke to be seen. */
  @Test
  void optimizersThatCoincideHaveDistinctStrokes() {
    List<XYChart> charts = new ArrayList<>(Plots.trainingLoss(training()).charts());
    charts.addAll(Plots.heldOutAccuracy(training()).charts());
    for (XYChart chart : charts) {
      List<BasicStroke> strokes = new ArrayList<>();
      for (String name : List.of("Adam (", "AdamW (", "AMSGrad (")) {
        strokes.add(seriesStartingWith(chart, name).getLineStyle());
      }
      assertDistinct(chart.getTitle(), strokes);
    }
    for (XYChart chart : Plots.convergence(convergence()).charts()) {
      assertDistinct(chart.getTitle(), List.of(seriesStartingWith(chart, "Adam:").getLineStyle(),
          seriesStartingWith(chart, "AMSGrad:").getLineStyle()));
    }
  }

  /** XChart's default writes 1000 but 1E4 on the same log axis. */
  @Test
  void logAxesLabelEveryPowerOfTenInOneStyle() {
    List<XYChart> charts = new ArrayList<>(Plots.convergence(convergence()).charts());
    charts.addAll(Plots.rectification(new RectificationExperiment.Result("rho_t > 5", 5000,
        List.of(new RectificationExperiment.Curve(0.999, 1999, 6, 0.98, List.of(6, 5000),
            List.of(0.01, 0.98))))).charts());
    for (XYChart chart : charts) {
      assertThat(chart.getStyler().isXAxisLogarithmic()).isTrue();
      assertThat(chart.getStyler().getLocale()).isEqualTo(Locale.ROOT);
      List<String> labels = labels(chart.getStyler().getXAxisDecimalPattern());
      assertWithMessage(chart.getTitle()).that(labels)
          .containsExactly("1", "10", "100", "1,000", "10,000", "100,000", "1,000,000").inOrder();
    }
    XYChart regret = Plots.convergence(convergence()).charts().get(1);
    assertThat(regret.getStyler().isYAxisLogarithmic()).isTrue();
    assertThat(labels(regret.getStyler().getYAxisDecimalPattern()).get(3)).isEqualTo("1,000");
  }

  /** How XChart's log-axis formatter writes 10^0 … 10^6 with {@code pattern} (null: its default). */
  private static List<String> labels(String pattern) {
    assertWithMessage("log axis without a decimal pattern: XChart writes 1000, then 1E4")
        .that(pattern).isNotNull();
    DecimalFormat format = new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT));
    List<String> labels = new ArrayList<>();
    for (int power = 0; power <= 6; power++) {
      labels.add(format.format(Math.pow(10, power)));
    }
    return labels;
  }

  private static XYSeries seriesStartingWith(XYChart chart, String prefix) {
    for (Map.Entry<String, XYSeries> entry : chart.getSeriesMap().entrySet()) {
      if (entry.getKey().startsWith(prefix)) {
        return entry.getValue();
      }
    }
    throw new AssertionError("no series " + prefix + "… in " + chart.getTitle());
  }

  private static void assertDistinct(String title, List<BasicStroke> strokes) {
    for (int i = 0; i < strokes.size(); i++) {
      for (int j = i + 1; j < strokes.size(); j++) {
        assertWithMessage("%s: strokes %s and %s", title, i, j)
            .that(strokes.get(i)).isNotEqualTo(strokes.get(j));
      }
    }
  }
}
