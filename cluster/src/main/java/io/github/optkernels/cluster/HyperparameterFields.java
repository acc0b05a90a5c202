package io.github.optkernels.cluster;

import io.github.optkernels.runtime.Hyperparameter;
import io.github.optkernels.runtime.Hyperparameters;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.ParamGroup;
import io.github.optkernels.runtime.SpecInfo;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hyperparameters one step of one group is prepared with, as the doubles that travel with a
 * gradient: the group's, with the learning rate of this step (its schedule's) and the resolved
 * {@code max_lr}, exactly what the single-process optimizer hands to {@code StepKernel.prepare}.
 * The worker computes them from its optimizer (which holds the groups, schedules and positions);
 * the owner checks that every worker sent the same bits and rebuilds a {@link Hyperparameters}.
 */
final class HyperparameterFields {
  static final int COUNT = 9;
  /** Per optimizer class: an instance to derive others from with the {@code with...} methods. */
  private static final Map<String, Hyperparameters> BASES = new ConcurrentHashMap<>();

  private HyperparameterFields() {}

  /**
   * The fields of the next step of {@code group}.
   *
   * @throws IllegalArgumentException if fully decoupled decay has no positive {@code max_lr}
   */
  static double[] nextStep(SpecInfo spec, ParamGroup group) {
    Hyperparameters h = group.hyperparameters();
    double maxLr = group.maxLr();
    if (spec.usedHyperparameters().contains(Hyperparameter.MAX_LR) && !(maxLr > 0)) {
      throw new IllegalArgumentException(spec.name() + ", group " + group.index() + ": max_lr resolves to "
          + maxLr + " (the schedule's peak learning rate); set maxLr(...) for a sharded optimizer");
    }
    return new double[] {group.nextLr(), h.beta1(), h.beta2(), h.eps(), h.epsRoot(), h.weightDecay(), maxLr,
        h.momentumDecay(), h.varianceWarmupSteps()};
  }

  /** Whether two field arrays hold the same bits (NaN {@code max_lr} included). */
  static boolean same(double[] a, double[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) {
        return false;
      }
    }
    return true;
  }

  static String toString(double[] f) {
    return "{lr=" + f[0] + ", beta1=" + f[1] + ", beta2=" + f[2] + ", eps=" + f[3] + ", epsRoot=" + f[4]
        + ", weightDecay=" + f[5] + ", maxLr=" + f[6] + ", momentumDecay=" + f[7] + ", varianceWarmupSteps="
        + (long) f[8] + "}";
  }

  /**
   * Rebuilds the hyperparameters on the owner, from an instance of the generated optimizer class
   * {@code optimizerClass} (its builder's defaults) and the {@code with...} methods.
   */
  static Hyperparameters decode(double[] f, String optimizerClass) {
    Hyperparameters base = BASES.computeIfAbsent(optimizerClass, HyperparameterFields::defaults);
    return base.withLr(f[0]).withBeta1(f[1]).withBeta2(f[2]).withEps(f[3]).withEpsRoot(f[4])
        .withWeightDecay(f[5]).withMaxLr(f[6]).withMomentumDecay(f[7]).withVarianceWarmupSteps((int) f[8]);
  }

  private static Hyperparameters defaults(String optimizerClass) {
    try {
      Class<?> type = Shard.loadClass(optimizerClass);
      Object builder = type.getMethod("builder").invoke(null);
      Object optimizer = builder.getClass().getMethod("build").invoke(builder);
      return ((KernelOptimizer) optimizer).hyperparameters();
    } catch (ReflectiveOperationException | ClassCastException e) {
      Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
      throw new IllegalStateException("cannot build " + optimizerClass + " on this member (is the spec's"
          + " generated code on its class path?): " + cause, cause);
    }
  }

  static double[] copy(double[] f) {
    return Arrays.copyOf(f, f.length);
  }
}
