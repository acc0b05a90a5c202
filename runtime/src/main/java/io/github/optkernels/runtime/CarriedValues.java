package io.github.optkernels.runtime;

import java.util.HashSet;
import java.util.List;

/**
 * The per-tensor scalars a kernel carries from step to step ({@link StepKernel#carriedNames()}):
 * what a kernel must declare to be registered, and what a value may be when it comes from outside
 * (a checkpoint, {@link KernelOptimizer#restoreClock}). The runtime knows one of them by name,
 * NAdam's {@value #MOMENTUM_PRODUCT}, because older checkpoints stored it in a field of its own
 * and because its domain is known exactly.
 */
final class CarriedValues {
  /** NAdam's Π, the product of μ over the momentum steps. */
  static final String MOMENTUM_PRODUCT = "momentum_product";

  private CarriedValues() {}

  /**
   * The kernel's initial carried values, checked: names non-empty and distinct, one finite
   * initial value per name.
   *
   * @throws IllegalArgumentException if the kernel's declaration is inconsistent
   */
  static double[] initial(StepKernel kernel) {
    List<String> names = kernel.carriedNames();
    double[] initial = kernel.carriedInitial();
    String kernelName = kernel instanceof DirectBufferKernel
        ? ((DirectBufferKernel) kernel).inner.getClass().getName() : kernel.getClass().getName();
    if (names == null || initial == null || names.size() != initial.length) {
      throw new IllegalArgumentException(kernelName + " declares carried values " + names + " but "
          + (initial == null ? "no" : String.valueOf(initial.length)) + " initial values (carriedInitial())");
    }
    if (new HashSet<>(names).size() != names.size() || names.stream().anyMatch(n -> n == null || n.isEmpty())) {
      throw new IllegalArgumentException(kernelName + " declares carried values " + names
          + ": each needs a non-empty name of its own");
    }
    for (int i = 0; i < initial.length; i++) {
      if (!Double.isFinite(initial[i])) {
        throw new IllegalArgumentException(kernelName + "'s initial " + names.get(i) + " is " + initial[i]
            + "; carried values are finite");
      }
    }
    if (kernel.sumCount() < 0) {
      throw new IllegalArgumentException(kernelName + " takes " + kernel.sumCount() + " sums (sumCount())");
    }
    return initial.clone();
  }

  /**
   * Why {@code values} cannot be the carried values of a tensor at step count {@code step}, or
   * null: one per name, each finite; NAdam's Π (for a spec that reads ψ) is exactly 1 until the
   * tensor's first momentum step (step count beyond the warm-up K), then a product of μ's, each
   * in [0, β1), so in [0, 1] (it underflows to 0 after many steps), which keeps the weights'
   * denominators {@code 1 − Π·μ} positive.
   */
  static String invalid(List<String> names, double[] values, long step, int warmup, SpecInfo spec) {
    if (values == null || values.length != names.size()) {
      return (values == null ? "no" : String.valueOf(values.length)) + " carried values for " + names;
    }
    boolean readsPsi = spec.usedHyperparameters().contains(Hyperparameter.MOMENTUM_DECAY);
    for (int i = 0; i < values.length; i++) {
      double value = values[i];
      if (readsPsi && names.get(i).equals(MOMENTUM_PRODUCT)) {
        boolean momentumStepped = step > warmup;
        boolean valid = momentumStepped ? value >= 0 && value <= 1 : value == 1; // false for NaN
        if (!valid) {
          return "momentum product " + value + " is not what " + (momentumStepped
              ? step + " steps (after a warm-up of " + warmup + ") can make: it is in [0, 1]"
              : "a tensor before its first momentum step holds: it is 1");
        }
      } else if (!Double.isFinite(value)) {
        return "carried value " + names.get(i) + " is " + value + "; carried values are finite";
      }
    }
    return null;
  }
}
