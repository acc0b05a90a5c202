package io.github.optkernels.bench;

import io.github.optkernels.runtime.Bf16;
import io.github.optkernels.runtime.Hyperparameters;
import java.util.SplittableRandom;

/**
 * Benchmark inputs: fixed seeds, so every run (and both sides of a comparison) steps the same
 * numbers. Parameters and gradients are uniform in (−1, 1): no zeros, infinities or subnormals
 * that would make one side take a slow path the other does not.
 */
final class Data {
  /** AdamW's defaults with λ = 0.01; ε = 1e-8 so it matters in float32. */
  static final Hyperparameters ADAMW = new Hyperparameters(1e-3, 0.9, 0.999, 1e-8, 0, 0.01, Double.NaN, 0.004, 0);
  /** The same without weight decay, for the variants whose decay is coupled (L2) and for biases. */
  static final Hyperparameters NO_DECAY = ADAMW.withWeightDecay(0);

  private Data() {}

  /** The hyperparameters a variant's benchmark runs with. */
  static Hyperparameters forVariant(String variant) {
    // L2 decay changes the gradient, not the memory traffic; decoupled variants keep λ.
    return variant.equals("adamw") || variant.equals("adabelief") ? ADAMW : NO_DECAY;
  }

  static float[] floats(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) random.nextDouble(-1, 1);
    }
    return a;
  }

  static double[] doubles(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      a[i] = random.nextDouble(-1, 1);
    }
    return a;
  }

  static short[] bf16(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    short[] a = new short[n];
    for (int i = 0; i < n; i++) {
      a[i] = Bf16.fromFloat((float) random.nextDouble(-1, 1));
    }
    return a;
  }
}
