package io.github.optkernels.processor.generation.kernel;

import static io.github.optkernels.processor.generation.ir.Expr.add;
import static io.github.optkernels.processor.generation.ir.Expr.constant;
import static io.github.optkernels.processor.generation.ir.Expr.mul;

import io.github.optkernels.annotations.WeightDecay;
import io.github.optkernels.processor.generation.ir.ElementLoop;
import io.github.optkernels.processor.generation.ir.StepScalar;

/**
 * Proximal weight decay (Adan): {@code p ← (p + u) / (1 + lr·λ)}. The divisor is a per-step
 * scalar. Where the parameter store is a plain rounding, the division is part of the store
 * ({@link ParameterStoreFeature}); a Kahan-compensated 16-bit store compensates {@code p + u}
 * only, and the kernel divides the stored parameter afterwards, as a separate store.
 */
public final class ProximalDecayFeature implements KernelFeature {
  private StepScalar divisor;

  @Override
  public void plan(KernelPlan plan) {
    if (plan.structure().decay() == WeightDecay.PROXIMAL) {
      divisor = plan.scalar(PrepareSection.STEP, "proximalDivisor",
          "1 + lr·λ, the proximal decay's divisor", add(constant(1), mul(plan.lr, KernelPlan.WEIGHT_DECAY)));
    }
  }

  @Override
  public void element(Stage stage, ElementLoop loop, KernelPlan plan) {}

  /** The divisor, or null without proximal decay. */
  public StepScalar divisor() {
    return divisor;
  }
}
