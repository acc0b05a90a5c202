package io.github.optkernels.cluster;

import io.github.optkernels.runtime.Hyperparameter;
import io.github.optkernels.runtime.Hyperparameters;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.ParamGroup;
import io.github.optkernels.runtime.SpecInfo;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hyperparameters one step of one group is prepared with, as the doubles that travel with a
 * gradient: the group's, with the learning rate of this step (its schedule's) and the resolved
 * {@code max_lr}, exactly what the single-process optimizer hands to {@code StepKernel.prepare}.
 * The worker computes them from its optimizer (which holds the groups, schedules and positions);
 * the owner checks that every worker sent the same bits and rebuilds a {@link Hyperparameters}.
 * One field per hyperparameter of the optimizer's layout: the built-in ones in
 * {@link Hyperparameter#BUILT_IN} order, then those its spec declares (a rule's {@code @Hyper}), in
 * the spec's order, which is the same on every member that has the spec's generated code.
 */
final class HyperparameterFields {
  /** The built-in hyperparameters' fields, which every layout starts with. */
  static final int COUNT = Hyperparameter.BUILT_IN.size();
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
    List<Hyperparameter> layout = h.hyperparameters();
    double[] fields = new double[layout.size()];
    for (int k = 0; k < fields.length; k++) {
      Hyperparameter hyperparameter = layout.get(k);
      fields[k] = hyperparameter.equals(Hyperparameter.LR) ? group.nextLr()
          : hyperparameter.equals(Hyperparameter.MAX_LR) ? maxLr : h.value(hyperparameter);
    }
    return fields;
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
    StringBuilder text = new StringBuilder("{");
    for (int k = 0; k < f.length; k++) {
      if (k < COUNT) {
        Hyperparameter hyperparameter = Hyperparameter.BUILT_IN.get(k);
        text.append(k == 0 ? "" : ", ").append(hyperparameter.name()).append('=')
            .append(hyperparameter.isInteger() ? Long.toString((long) f[k]) : Double.toString(f[k]));
      } else {
        text.append(", declared ").append(k - COUNT).append('=').append(f[k]);
      }
    }
    return text.append('}').toString();
  }

  /**
   * Rebuilds the hyperparameters on the owner, from an instance of the generated optimizer class
   * {@code optimizerClass} (its builder's defaults) and the {@code with...} methods.
   */
  static Hyperparameters decode(double[] f, String optimizerClass) {
    Hyperparameters base = BASES.computeIfAbsent(optimizerClass, HyperparameterFields::defaults);
    List<Hyperparameter> layout = base.hyperparameters();
    if (f.length != layout.size()) {
      throw new IllegalArgumentException(optimizerClass + " has " + layout.size() + " hyperparameters " + layout
          + ", but a step sent " + f.length + "; nothing changed");
    }
    Hyperparameters h = base;
    for (int k = 0; k < f.length; k++) {
      h = h.with(layout.get(k), f[k]);
    }
    return h;
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
