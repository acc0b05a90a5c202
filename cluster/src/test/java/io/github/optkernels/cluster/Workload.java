package io.github.optkernels.cluster;

import io.github.optkernels.cluster.specs.AMSGrad;
import io.github.optkernels.cluster.specs.AdamW;
import io.github.optkernels.cluster.specs.NAdam;
import io.github.optkernels.cluster.specs.RAdam;
import io.github.optkernels.cluster.specs.RAdamWFullyDecoupled;
import io.github.optkernels.cluster.specs.ScaledMomentum;
import io.github.optkernels.runtime.Hyperparameters;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.LrSchedule;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * What the tests train: four float32 tensors of odd lengths and one float64 tensor, in two groups
 * (the second with half the learning rate, the first with a warm-up schedule), and per step, rank
 * and tensor a deterministic gradient with zeros, negative zeros and a wide range of magnitudes.
 */
final class Workload {
  static final int[] LENGTHS = {1, 7, 1000, 4099, 333};
  static final int TENSORS = LENGTHS.length;

  /** The specs the tests run, each configured the same way. */
  enum Spec {
    ADAMW(() -> configure(AdamW.builder().build())),
    NADAM(() -> configure(NAdam.builder().build())),
    RADAM(() -> configure(RAdam.builder().build())),
    AMSGRAD(() -> configure(AMSGrad.builder().weightDecay(0.01).build())),
    RADAMW_FULLY_DECOUPLED(() -> configure(RAdamWFullyDecoupled.builder().build())),
    /** Hand-written: per-tensor sums and carried values ({@link NormScaled}). */
    NORM_SCALED(() -> configure(NormScaled.builder().build())),
    /** A rule with hyperparameters of its own; the second group sets other values of both. */
    SCALED_MOMENTUM(() -> {
      ScaledMomentum optimizer = ScaledMomentum.builder().build();
      Hyperparameters h = optimizer.hyperparameters();
      optimizer.addGroup(h.withLr(h.lr() / 2).with(ScaledMomentum.MOMENTUM, 0.5).with(ScaledMomentum.SCALE, 0.25));
      optimizer.setSchedule(LrSchedule.linearWarmup(3));
      return optimizer;
    });

    final Supplier<KernelOptimizer> factory;

    Spec(Supplier<KernelOptimizer> factory) {
      this.factory = factory;
    }
  }

  private static KernelOptimizer configure(KernelOptimizer optimizer) {
    Hyperparameters h = optimizer.hyperparameters();
    optimizer.addGroup(h.withLr(h.lr() / 2));
    optimizer.setSchedule(LrSchedule.linearWarmup(3));
    return optimizer;
  }

  private Workload() {}

  static boolean isDouble(int tensor) {
    return tensor == TENSORS - 1;
  }

  static int group(int tensor) {
    return tensor % 2;
  }

  static Object newArray(int tensor) {
    return isDouble(tensor) ? new double[LENGTHS[tensor]] : new float[LENGTHS[tensor]];
  }

  static Object initialParam(int tensor) {
    Object p = newArray(tensor);
    SplittableRandom random = new SplittableRandom(1000 + tensor);
    for (int i = 0; i < LENGTHS[tensor]; i++) {
      set(p, i, random.nextGaussian() * 0.5);
    }
    return p;
  }

  /** Worker {@code rank}'s gradient of {@code tensor} at step {@code step}. */
  static void fillGradient(Object grad, int tensor, long step, int rank) {
    SplittableRandom random = new SplittableRandom(step * 1_000_003L + rank * 7919L + tensor);
    for (int i = 0; i < LENGTHS[tensor]; i++) {
      int kind = random.nextInt(20);
      double value = kind == 0 ? 0.0 : kind == 1 ? -0.0 : random.nextGaussian() * Math.pow(10, random.nextInt(-4, 2));
      set(grad, i, value);
    }
  }

  /** The reduced gradient of {@code workers} workers, as the owner computes it: rank order, left to right. */
  static void fillReduced(Object into, int tensor, long step, int workers, GradientReduction reduction) {
    fillGradient(into, tensor, step, 0);
    Object g = newArray(tensor);
    for (int r = 1; r < workers; r++) {
      fillGradient(g, tensor, step, r);
      if (into instanceof float[]) {
        float[] a = (float[]) into;
        float[] b = (float[]) g;
        for (int i = 0; i < a.length; i++) {
          a[i] += b[i];
        }
      } else {
        double[] a = (double[]) into;
        double[] b = (double[]) g;
        for (int i = 0; i < a.length; i++) {
          a[i] += b[i];
        }
      }
    }
    if (reduction == GradientReduction.MEAN) {
      if (into instanceof float[]) {
        float[] a = (float[]) into;
        for (int i = 0; i < a.length; i++) {
          a[i] /= (float) workers;
        }
      } else {
        double[] a = (double[]) into;
        for (int i = 0; i < a.length; i++) {
          a[i] /= workers;
        }
      }
    }
  }

  private static void set(Object array, int i, double value) {
    if (array instanceof float[]) {
      ((float[]) array)[i] = (float) value;
    } else {
      ((double[]) array)[i] = value;
    }
  }

  static Object copy(Object array) {
    return array instanceof float[] ? ((float[]) array).clone() : ((double[]) array).clone();
  }
}
