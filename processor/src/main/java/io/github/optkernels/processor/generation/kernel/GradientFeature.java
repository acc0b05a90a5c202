package io.github.optkernels.processor.generation.kernel;

import static io.github.optkernels.processor.generation.ir.Expr.add;
import static io.github.optkernels.processor.generation.ir.Expr.mul;
import static io.github.optkernels.processor.generation.ir.Expr.neg;

import io.github.optkernels.annotations.WeightDecay;
import io.github.optkernels.processor.generation.ir.Buffer;
import io.github.optkernels.processor.generation.ir.ElementLoop;
import io.github.optkernels.processor.generation.ir.Expr;
import io.github.optkernels.processor.generation.ir.StepScalar;

/** Loads the gradient (negated for {@code maximize}) and the parameter, and applies L2 weight decay. */
public final class GradientFeature implements KernelFeature {
  private StepScalar l2;

  @Override
  public void plan(KernelPlan plan) {
    if (hasL2(plan)) {
      l2 = plan.scalar(PrepareSection.GRADIENT, "l2", "λ, the L2 weight-decay coefficient added to the gradient",
          KernelPlan.WEIGHT_DECAY);
    }
  }

  private static boolean hasL2(KernelPlan plan) {
    return plan.structure().decay() == WeightDecay.L2;
  }

  @Override
  public void element(Stage stage, ElementLoop loop, KernelPlan plan) {
    if (stage == Stage.LOAD) {
      Expr grad = new Expr.Load(Buffer.GRAD);
      loop.gradient(loop.let("g", plan.structure().maximize() ? neg(grad) : grad));
      if (loop.phase().changesParameter() || hasL2(plan)) {
        loop.parameter(loop.let("p", new Expr.Load(Buffer.PARAM)));
        loop.loadedParameter(loop.parameter());
      }
    } else if (stage == Stage.GRADIENT && hasL2(plan)) {
      loop.gradient(loop.let("gDecayed", add(loop.gradient(), mul(l2.ref(), loop.parameter()))));
    }
  }
}
