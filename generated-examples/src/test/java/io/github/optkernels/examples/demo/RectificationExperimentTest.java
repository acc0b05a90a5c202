package io.github.optkernels.examples.demo;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import io.github.optkernels.examples.variants.RAdam;
import io.github.optkernels.examples.variants.RAdamFloatKernel;
import io.github.optkernels.runtime.Hyperparameters;
import java.io.OutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** The plotted r_t comes from the generated kernel; here it is checked against the formula. */
class RectificationExperimentTest {

  /** r_t from the RAdam paper, in double, or NaN when ρ_t ≤ 5. */
  private static double formula(double beta2, int t) {
    double rhoInf = 2 / (1 - beta2) - 1;
    double beta2t = Math.pow(beta2, t);
    double rho = rhoInf - 2 * t * beta2t / (1 - beta2t);
    if (!(rho > 5)) {
      return Double.NaN;
    }
    return Math.sqrt((rho - 4) / (rhoInf - 4) * (rho - 2) / rho * rhoInf / (rhoInf - 2));
  }

  @Test
  void theGeneratedKernelsRectificationIsTheFormulaAtEveryStep() {
    for (double beta2 : RectificationExperiment.BETA2) {
      Hyperparameters h = RAdam.builder().beta2(beta2).build().hyperparameters();
      RAdamFloatKernel kernel = new RAdamFloatKernel();
      for (int t = 1; t <= RectificationExperiment.STEPS; t++) {
        kernel.prepare(t, kernel.carriedInitial(), h);
        double expected = formula(beta2, t);
        double actual = kernel.rectification();
        if (Double.isNaN(expected)) {
          assertWithMessage("beta2 %s, t %s", beta2, t).that(actual).isNaN();
        } else {
          assertWithMessage("beta2 %s, t %s", beta2, t).that(actual).isWithin(1e-12).of(expected);
        }
      }
    }
  }

  @Test
  void firstRectifiedStepsAreThoseOfTheFormula() {
    RectificationExperiment.Result result =
        RectificationExperiment.run(new Progress(new PrintStream(OutputStream.nullOutputStream()),
            false, 80, System::nanoTime), "test");
    assertThat(result.curves()).hasSize(RectificationExperiment.BETA2.length);
    for (RectificationExperiment.Curve curve : result.curves()) {
      Integer first = null;
      for (int t = 1; t <= RectificationExperiment.STEPS && first == null; t++) {
        if (!Double.isNaN(formula(curve.beta2(), t))) {
          first = t;
        }
      }
      assertWithMessage("beta2 %s", curve.beta2()).that(curve.firstRectifiedStep()).isEqualTo(first);
      if (first != null) {
        assertThat(curve.step().get(0)).isEqualTo(first);
        assertThat(curve.step()).isInStrictOrder();
        assertThat(curve.step().get(curve.step().size() - 1)).isEqualTo(RectificationExperiment.STEPS);
      } else {
        assertThat(curve.step()).isEmpty();
        assertThat(curve.finalR()).isNull();
      }
    }
    assertThat(curve(result, 0.999).firstRectifiedStep()).isEqualTo(6);
    assertThat(curve(result, 0.8).firstRectifiedStep()).isEqualTo(7);
    assertThat(curve(result, 0.5).firstRectifiedStep()).isNull();
    assertThat(curve(result, 0.6).firstRectifiedStep()).isNull();
  }

  private static RectificationExperiment.Curve curve(RectificationExperiment.Result result, double beta2) {
    return result.curves().stream().filter(c -> c.beta2() == beta2).findFirst().orElseThrow();
  }
}
