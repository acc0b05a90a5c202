package io.github.optkernels.examples.demo;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A one-hidden-layer perceptron with a tanh hidden layer and a softmax output, trained on the
 * mean cross-entropy of a mini-batch. Forward and backward are written out here (no framework);
 * {@code MlpTest} checks the backward pass against central finite differences.
 *
 * <pre>
 * a = x·W1 + b1      h = tanh(a)      z = h·W2 + b2      p = softmax(z)
 * loss = mean over the batch of −log p[y]
 * dz = (p − onehot(y)) / B
 * dW2 = hᵀ·dz   db2 = Σ dz   dh = dz·W2ᵀ   da = dh ⊙ (1 − h²)   dW1 = xᵀ·da   db1 = Σ da
 * </pre>
 *
 * <p>Parameters and gradients are four pairs of {@code float[]} buffers (W1 is
 * {@code inputs × hidden}, W2 is {@code hidden × outputs}, both row-major), registered with an
 * optimizer as they are; {@link #lossAndGradient} overwrites the gradient buffers. Activations are
 * float; the loss is summed in double. Not thread-safe (scratch buffers are reused).
 */
final class Mlp {
  final int inputs;
  final int hidden;
  final int outputs;
  private final int maxBatch;

  final float[] w1;
  final float[] b1;
  final float[] w2;
  final float[] b2;
  final float[] gradW1;
  final float[] gradB1;
  final float[] gradW2;
  final float[] gradB2;

  // scratch, one row per example of the batch
  private final float[] xs;
  private final float[] hs;
  private final float[] ps;
  private final float[] dHidden;

  /**
   * A {@code 64 → hidden → 10} network for {@link Digits}, with Glorot-uniform weights drawn
   * from {@code seed} and zero biases.
   *
   * @param maxBatch the largest batch {@link #lossAndGradient} and {@link #evaluate} will be given
   */
  Mlp(int hidden, int maxBatch, long seed) {
    this.inputs = Digits.FEATURES;
    this.hidden = hidden;
    this.outputs = Digits.CLASSES;
    this.maxBatch = maxBatch;
    w1 = new float[inputs * hidden];
    b1 = new float[hidden];
    w2 = new float[hidden * outputs];
    b2 = new float[outputs];
    gradW1 = new float[w1.length];
    gradB1 = new float[b1.length];
    gradW2 = new float[w2.length];
    gradB2 = new float[b2.length];
    xs = new float[maxBatch * inputs];
    hs = new float[maxBatch * hidden];
    ps = new float[maxBatch * outputs];
    dHidden = new float[maxBatch * hidden];
    SplittableRandom random = new SplittableRandom(seed);
    fillUniform(w1, Math.sqrt(6.0 / (inputs + hidden)), random);
    fillUniform(w2, Math.sqrt(6.0 / (hidden + outputs)), random);
  }

  private static void fillUniform(float[] a, double limit, SplittableRandom random) {
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) random.nextDouble(-limit, limit);
    }
  }

  /** The parameter buffers, in the order of {@link #gradients()}. */
  List<float[]> parameters() {
    return List.of(w1, b1, w2, b2);
  }

  /** The gradient buffer of each parameter buffer. */
  List<float[]> gradients() {
    return List.of(gradW1, gradB1, gradW2, gradB2);
  }

  /** The number of trainable numbers. */
  int parameterCount() {
    return w1.length + b1.length + w2.length + b2.length;
  }

  /**
   * The mean cross-entropy over the batch {@code rows[from..to)} of {@code data}, and its
   * gradient written into the gradient buffers.
   */
  double lossAndGradient(Digits data, int[] rows, int from, int to) {
    int batch = to - from;
    double loss = forward(data, rows, from, to);
    // output layer: dz = (p - onehot(y)) / B, kept in ps
    float scale = 1f / batch;
    for (int b = 0; b < batch; b++) {
      int y = data.y()[rows[from + b]];
      int row = b * outputs;
      for (int k = 0; k < outputs; k++) {
        ps[row + k] = (ps[row + k] - (k == y ? 1f : 0f)) * scale;
      }
    }
    Arrays.fill(gradW2, 0f);
    Arrays.fill(gradB2, 0f);
    Arrays.fill(gradW1, 0f);
    Arrays.fill(gradB1, 0f);
    for (int b = 0; b < batch; b++) {
      int zRow = b * outputs;
      int hRow = b * hidden;
      for (int k = 0; k < outputs; k++) {
        gradB2[k] += ps[zRow + k];
      }
      for (int j = 0; j < hidden; j++) {
        float h = hs[hRow + j];
        int wRow = j * outputs;
        float dh = 0f;
        for (int k = 0; k < outputs; k++) {
          float dz = ps[zRow + k];
          gradW2[wRow + k] += h * dz;
          dh += dz * w2[wRow + k];
        }
        dHidden[hRow + j] = dh * (1f - h * h); // tanh' = 1 − tanh²
      }
    }
    for (int b = 0; b < batch; b++) {
      int hRow = b * hidden;
      int xRow = b * inputs;
      for (int j = 0; j < hidden; j++) {
        gradB1[j] += dHidden[hRow + j];
      }
      for (int i = 0; i < inputs; i++) {
        float xi = xs[xRow + i];
        if (xi == 0f) {
          continue; // most pixels are blank
        }
        int wRow = i * hidden;
        for (int j = 0; j < hidden; j++) {
          gradW1[wRow + j] += xi * dHidden[hRow + j];
        }
      }
    }
    return loss;
  }

  /** Mean cross-entropy and accuracy of the current parameters on all of {@code data}. */
  Evaluation evaluate(Digits data) {
    int n = data.size();
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = i;
    }
    double lossSum = 0;
    int correct = 0;
    for (int from = 0; from < n; from += maxBatch) {
      int to = Math.min(n, from + maxBatch);
      lossSum += forward(data, rows, from, to) * (to - from);
      for (int b = 0; b < to - from; b++) {
        int best = 0;
        for (int k = 1; k < outputs; k++) {
          if (ps[b * outputs + k] > ps[b * outputs + best]) {
            best = k;
          }
        }
        if (best == data.y()[from + b]) {
          correct++;
        }
      }
    }
    return new Evaluation(lossSum / n, correct / (double) n);
  }

  /** Loss and the fraction classified correctly. */
  record Evaluation(double loss, double accuracy) {}

  /**
   * Runs the batch forward, leaving x in {@code xs}, tanh activations in {@code hs} and softmax
   * probabilities in {@code ps}; returns the mean cross-entropy.
   */
  private double forward(Digits data, int[] rows, int from, int to) {
    int batch = to - from;
    if (batch < 1 || batch > maxBatch) {
      throw new IllegalArgumentException("batch of " + batch + ", this network takes 1.." + maxBatch);
    }
    double lossSum = 0;
    for (int b = 0; b < batch; b++) {
      int r = rows[from + b];
      int xRow = b * inputs;
      System.arraycopy(data.x(), r * inputs, xs, xRow, inputs);
      int hRow = b * hidden;
      System.arraycopy(b1, 0, hs, hRow, hidden);
      for (int i = 0; i < inputs; i++) {
        float xi = xs[xRow + i];
        if (xi == 0f) {
          continue;
        }
        int wRow = i * hidden;
        for (int j = 0; j < hidden; j++) {
          hs[hRow + j] += xi * w1[wRow + j];
        }
      }
      for (int j = 0; j < hidden; j++) {
        hs[hRow + j] = (float) Math.tanh(hs[hRow + j]);
      }
      int zRow = b * outputs;
      System.arraycopy(b2, 0, ps, zRow, outputs);
      for (int j = 0; j < hidden; j++) {
        float h = hs[hRow + j];
        int wRow = j * outputs;
        for (int k = 0; k < outputs; k++) {
          ps[zRow + k] += h * w2[wRow + k];
        }
      }
      // softmax and −log p[y], stable: subtract the max logit, sum in double
      float max = ps[zRow];
      for (int k = 1; k < outputs; k++) {
        max = Math.max(max, ps[zRow + k]);
      }
      double sum = 0;
      for (int k = 0; k < outputs; k++) {
        sum += Math.exp(ps[zRow + k] - max);
      }
      int y = data.y()[r];
      lossSum += Math.log(sum) - (ps[zRow + y] - max);
      for (int k = 0; k < outputs; k++) {
        ps[zRow + k] = (float) (Math.exp(ps[zRow + k] - max) / sum);
      }
    }
    return lossSum / batch;
  }
}
