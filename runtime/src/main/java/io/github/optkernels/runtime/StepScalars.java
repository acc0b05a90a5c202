package io.github.optkernels.runtime;

/**
 * What a group's hyperparameters must satisfy in a kernel's arithmetic, beyond being valid
 * doubles ({@link Hyperparameters}): the per-step scalars a kernel derives from them are computed
 * in double and rounded once to the compute type (float32 for float, bf16 and fp16 kernels,
 * float64 for double kernels), so each must be finite there, and the denominator's constant must
 * stay positive, or a zero gradient's update is {@code 0/0 = NaN}.
 *
 * <p>The runtime does not see a kernel's scalars, so it checks bounds that hold for every spec
 * (docs/SEMANTICS.md, section "Hyperparameter domains"): every step size is at most
 * {@code lr/(1 − β1)} (bias corrections {@code 1 − β1^τ ≥ 1 − β1}, NAdam's weights and RAdam's
 * {@code r_t} at most that), a decay factor is {@code 1 − lr·λ} or {@code 1 − λ·lr/max_lr}, and
 * the ε term the denominator adds is at least {@code ε·sqrt(1 − β2)} (ε·sqrt(bc2) at step 1, where
 * the kernels fold the bias correction into it).
 */
final class StepScalars {
  private final String optimizer;
  private final boolean beta1;
  private final boolean weightDecay;
  private final boolean maxLr;
  private final boolean eps;
  private final boolean epsRoot;

  StepScalars(SpecInfo spec) {
    this.optimizer = spec.name();
    this.beta1 = spec.usedHyperparameters().contains(Hyperparameter.BETA1);
    this.weightDecay = spec.usedHyperparameters().contains(Hyperparameter.WEIGHT_DECAY);
    this.maxLr = spec.usedHyperparameters().contains(Hyperparameter.MAX_LR);
    this.eps = spec.usedHyperparameters().contains(Hyperparameter.EPS);
    this.epsRoot = spec.usedHyperparameters().contains(Hyperparameter.EPS_ROOT);
  }

  /** Whether a kernel computes in float32 (every precision but double does) rather than float64. */
  static boolean float32(StepKernel kernel) {
    return kernel.bufferType() != double[].class;
  }

  /**
   * Null if a step with learning rate {@code lr} (the scheduled one), these hyperparameters and
   * the resolved {@code max_lr} is within the arithmetic; else what is not, naming the
   * hyperparameter. Allocates only when there is a problem.
   */
  String problem(Hyperparameters h, double lr, double resolvedMaxLr, boolean float32) {
    if (!finite(lr, float32)) {
      return "lr = " + lr + " is not finite in " + type(float32);
    }
    if (beta1 && !finite(lr / (1 - h.beta1()), float32)) {
      return "lr = " + lr + " with beta1 = " + h.beta1() + " gives step sizes up to lr/(1 − beta1) = "
          + lr / (1 - h.beta1()) + ", which is not finite in " + type(float32);
    }
    if (weightDecay && h.weightDecay() != 0) {
      if (!finite(h.weightDecay(), float32)) {
        return "weightDecay = " + h.weightDecay() + " is not finite in " + type(float32);
      }
      if (!finite(lr * h.weightDecay(), float32)) {
        return "lr = " + lr + " with weightDecay = " + h.weightDecay() + " gives a decay factor 1 − lr·weightDecay"
            + " that is not finite in " + type(float32);
      }
      if (maxLr && !finite(h.weightDecay() * lr / resolvedMaxLr, float32)) {
        return "weightDecay = " + h.weightDecay() + " with lr = " + lr + " and maxLr = " + resolvedMaxLr
            + " gives a decay factor 1 − weightDecay·lr/maxLr that is not finite in " + type(float32);
      }
    }
    if (eps) {
      if (!finite(h.eps(), float32)) {
        return "eps = " + h.eps() + " is not finite in " + type(float32);
      }
      if (epsRoot && !finite(h.epsRoot(), float32)) {
        return "epsRoot = " + h.epsRoot() + " is not finite in " + type(float32);
      }
      boolean epsTerm = positive(h.eps() * Math.sqrt(1 - h.beta2()), float32);
      boolean rootTerm = epsRoot && positive(h.epsRoot() * (1 - h.beta2()), float32);
      if (!epsTerm && !rootTerm) {
        String why = h.eps() == 0 ? "eps = 0.0" : "eps = " + h.eps() + " rounds to 0 in " + type(float32)
            + " (the denominator adds at least eps·sqrt(1 − beta2) = " + h.eps() * Math.sqrt(1 - h.beta2()) + ")";
        return why + ", so " + optimizer + "'s denominator " + (epsRoot ? "sqrt(v̂ + epsRoot) + eps" : "sqrt(v̂) + eps")
            + " is 0 for a zero gradient and the update 0/0 = NaN; eps must be > 0"
            + (epsRoot ? " (or epsRoot > 0)" : "");
      }
    }
    return null;
  }

  private static boolean finite(double value, boolean float32) {
    return float32 ? Float.isFinite((float) value) : Double.isFinite(value);
  }

  private static boolean positive(double value, boolean float32) {
    return float32 ? (float) value > 0 : value > 0;
  }

  private static String type(boolean float32) {
    return float32 ? "float32, the arithmetic of float, bf16 and fp16 kernels" : "float64";
  }
}
