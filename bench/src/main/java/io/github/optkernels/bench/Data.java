package io.github.optkernels.bench;

import io.github.optkernels.examples.handwritten.HandHyperparameters;
import io.github.optkernels.runtime.Bf16;
import io.github.optkernels.runtime.Hyperparameter;
import io.github.optkernels.runtime.Hyperparameters;
import java.util.Map;
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
    // L2 decay changes the gradient, not the memory traffic; decoupled variants keep λ, and so do
    // the later ones whose decay is a step of its own (Lion, Adan's proximal division, LAMB's
    // term in the direction, Schedule-Free's decay of z). The rest: each family's usual defaults.
    switch (variant) {
      case "adamw":
      case "adabelief":
        return ADAMW;
      case "lion":
        return later(variant, 1e-4, 0.9, 0.99, 0, 0.01, Map.of());
      case "adan":
        return later(variant, 1e-3, 0.98, 0.92, 1e-8, 0.02, Map.of(HandHyperparameters.BETA3, 0.99));
      case "lamb":
        return later(variant, 1e-3, 0.9, 0.999, 1e-6, 0.01, Map.of());
      case "sgd_momentum":
      case "sgd_nesterov":
        return later(variant, 1e-2, 0, 0, 0, 0,
            Map.of(HandHyperparameters.MOMENTUM, 0.9, HandHyperparameters.DAMPENING, 0.0));
      case "schedulefree_adamw":
        return later(variant, 2.5e-3, 0.9, 0.999, 1e-8, 0.01, Map.of(HandHyperparameters.WARMUP_STEPS, 0.0,
            HandHyperparameters.R, 0.0, HandHyperparameters.WEIGHT_LR_POWER, 2.0));
      default:
        return NO_DECAY;
    }
  }

  /**
   * Values for a later family: the five common numbers and a value for each hyperparameter it
   * declares ({@link HandHyperparameters#declaredBy}).
   */
  private static Hyperparameters later(String variant, double lr, double beta1, double beta2, double eps,
      double weightDecay, Map<Hyperparameter, Double> declared) {
    Hyperparameters.Builder b = Hyperparameters.builder(HandHyperparameters.declaredBy(variant))
        .set(Hyperparameter.LR, lr)
        .set(Hyperparameter.BETA1, beta1)
        .set(Hyperparameter.BETA2, beta2)
        .set(Hyperparameter.EPS, eps)
        .set(Hyperparameter.EPS_ROOT, 0)
        .set(Hyperparameter.WEIGHT_DECAY, weightDecay)
        .set(Hyperparameter.MAX_LR, Double.NaN)
        .set(Hyperparameter.MOMENTUM_DECAY, 0.004)
        .set(Hyperparameter.VARIANCE_WARMUP_STEPS, 0);
    declared.forEach(b::set);
    return b.build();
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
