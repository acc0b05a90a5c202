package io.github.optkernels.examples.demo;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-written backward pass against central finite differences of the forward pass. */
class MlpTest {
  private static final int[] ROWS = {0, 17, 101, 333, 640, 999, 1234, 1796};

  @Test
  void everyGradientEntryMatchesCentralFiniteDifferences() {
    Digits batch = Digits.load().select(ROWS);
    Mlp model = new Mlp(5, ROWS.length, 1);
    // nonzero biases, so their gradients are checked away from the symmetric start
    for (int j = 0; j < model.b1.length; j++) {
      model.b1[j] = 0.1f * (j - 2);
    }
    for (int k = 0; k < model.b2.length; k++) {
      model.b2[k] = 0.05f * (k - 5);
    }
    int[] all = new int[ROWS.length];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    double loss = model.lossAndGradient(batch, all, 0, all.length);
    assertThat(loss).isWithin(1e-6).of(model.evaluate(batch).loss());

    List<float[]> parameters = model.parameters();
    List<float[]> gradients = model.gradients();
    String[] names = {"W1", "b1", "W2", "b2"};
    int checked = 0;
    double worst = 0;
    for (int p = 0; p < parameters.size(); p++) {
      float[] w = parameters.get(p);
      float[] analytic = gradients.get(p).clone();
      for (int i = 0; i < w.length; i++) {
        float saved = w[i];
        float h = 1e-2f;
        w[i] = saved + h;
        double plus = model.evaluate(batch).loss();
        w[i] = saved - h;
        double minus = model.evaluate(batch).loss();
        w[i] = saved;
        double numeric = (plus - minus) / (2.0 * h);
        double error = Math.abs(numeric - analytic[i]);
        worst = Math.max(worst, error / (1e-3 + Math.abs(numeric)));
        assertWithMessage("d loss / d %s[%s]", names[p], i)
            .that((double) analytic[i]).isWithin(1e-4 + 1e-2 * Math.abs(numeric)).of(numeric);
        checked++;
      }
    }
    assertThat(checked).isEqualTo(model.parameterCount()); // 64·5 + 5 + 5·10 + 10
    assertThat(worst).isLessThan(0.05);
  }

  @Test
  void theGradientIsOverwrittenNotAccumulated() {
    Digits data = Digits.load();
    Mlp model = new Mlp(8, 4, 2);
    int[] rows = {3, 4, 5, 6};
    model.lossAndGradient(data, rows, 0, 4);
    float[] first = model.gradW1.clone();
    model.lossAndGradient(data, rows, 0, 4);
    assertThat(model.gradW1).isEqualTo(first);
  }

  @Test
  void anUntrainedNetworkIsAboutAsGoodAsGuessing() {
    Mlp.Evaluation start = new Mlp(64, 32, 7).evaluate(Digits.load());
    assertThat(start.loss()).isWithin(0.3).of(Math.log(10));
    assertThat(start.accuracy()).isLessThan(0.3);
  }
}
