package io.github.optkernels.processor.generation.kernel;

import static io.github.optkernels.processor.generation.ir.Expr.add;
import static io.github.optkernels.processor.generation.ir.Expr.constant;
import static io.github.optkernels.processor.generation.ir.Expr.div;
import static io.github.optkernels.processor.generation.ir.Expr.mul;
import static io.github.optkernels.processor.generation.ir.Expr.neg;
import static io.github.optkernels.processor.generation.ir.Expr.oneMinus;
import static io.github.optkernels.processor.generation.ir.Expr.pow;

import io.github.optkernels.annotations.FirstMoment;
import io.github.optkernels.annotations.Rectification;
import io.github.optkernels.processor.generation.ir.ElementLoop;
import io.github.optkernels.processor.generation.ir.Expr;
import io.github.optkernels.processor.generation.ir.StepScalar;
import io.github.optkernels.processor.generation.ir.Var;
import io.github.optkernels.processor.model.Phase;

/**
 * The update {@code u}: the numerator (bias-corrected {@code m}, or NAdam's gradient-plus-momentum
 * mix) times the step size, divided by the denominator on adaptive steps. All per-step factors
 * (lr, 1/bc1, the rectification term, the {@code sqrt(bc2)} moved out of the denominator, NAdam's
 * weights) are multiplied into one or two step sizes in double, once per step.
 */
public final class NumeratorFeature implements KernelFeature {
  private StepScalar gradStepSize;
  private StepScalar momentumStepSize;
  private StepScalar sgdGradStepSize;
  private StepScalar sgdMomentumStepSize;

  private static boolean nesterov(KernelPlan plan) {
    return plan.structure().firstMoment() == FirstMoment.NESTEROV;
  }

  private static boolean hasUnadapted(KernelPlan plan) {
    return plan.structure().rectify() == Rectification.RADAM_SGD_FALLBACK;
  }

  @Override
  public void plan(KernelPlan plan) {
    boolean corrected = plan.structure().storesCorrected();
    PrepareSection step = PrepareSection.STEP;
    if (nesterov(plan)) {
      PrepareSection section = PrepareSection.NUMERATOR;
      plan.comment(section, "NAdam: μ_t = β1·(1 − ½·0.96^(τψ)), and Π, the product of μ over the momentum steps");
      Var psi = plan.let(section, "psi", KernelPlan.MOMENTUM_DECAY);
      Var mu = plan.let(section, "mu", mul(plan.beta1,
          oneMinus(mul(constant(0.5), pow(constant(0.96), mul(plan.tau, psi))))));
      Var muNext = plan.let(section, "muNext", mul(plan.beta1,
          oneMinus(mul(constant(0.5), pow(constant(0.96), mul(add(plan.tau, constant(1)), psi))))));
      Var muProduct = plan.let(section, "muProduct", mul(plan.momentumProduct, mu));
      plan.field(section, "momentumProductAfter", muProduct);
      Var gradWeight = plan.let(section, "gradWeight", div(oneMinus(mu), oneMinus(muProduct)));
      Expr momentumWeight = div(muNext, oneMinus(mul(muProduct, muNext)));
      if (corrected) {
        plan.comment(section, "the stored m is m_raw/bc1, so its weight carries bc1");
        momentumWeight = mul(momentumWeight, plan.bc1);
      }
      Var momentum = plan.let(section, "momentumWeight", momentumWeight);
      gradStepSize = plan.scalar(step, "gradStepSize",
          "lr·r_t·(1 − μ_t)/(1 − Π_t), with the denominator's folded factor", mul(plan.adaptiveStepSize(), gradWeight));
      momentumStepSize = plan.scalar(step, "momentumStepSize",
          "lr·r_t·μ_{t+1}/(1 − Π_t·μ_{t+1}), with the denominator's folded factor",
          mul(plan.adaptiveStepSize(), momentum));
      if (hasUnadapted(plan)) {
        sgdGradStepSize = plan.scalar(step, "sgdGradStepSize", "lr·(1 − μ_t)/(1 − Π_t), for the un-adapted step",
            mul(plan.lr, gradWeight));
        sgdMomentumStepSize = plan.scalar(step, "sgdMomentumStepSize",
            "lr·μ_{t+1}/(1 − Π_t·μ_{t+1}), for the un-adapted step", mul(plan.lr, momentum));
      }
    } else {
      Expr adaptive = plan.adaptiveStepSize();
      gradStepSize = plan.scalar(step, "stepSize", "lr·r_t/bc1, with the denominator's folded factor",
          corrected ? adaptive : div(adaptive, plan.bc1));
      if (hasUnadapted(plan)) {
        sgdGradStepSize = plan.scalar(step, "sgdStepSize", "lr/bc1, for the un-adapted step",
            corrected ? plan.lr : div(plan.lr, plan.bc1));
      }
    }
  }

  @Override
  public void element(Stage stage, ElementLoop loop, KernelPlan plan) {
    if (stage != Stage.UPDATE) {
      return;
    }
    Expr g = loop.gradient();
    Expr m = loop.firstMoment();
    if (loop.phase() == Phase.ADAPTIVE) {
      Expr numerator = nesterov(plan)
          ? neg(add(mul(gradStepSize.ref(), g), mul(momentumStepSize.ref(), m)))
          : mul(neg(gradStepSize.ref()), m);
      loop.update(loop.let("u", div(numerator, loop.denominator())));
    } else if (loop.phase() == Phase.UNADAPTED) {
      loop.update(loop.let("u", nesterov(plan)
          ? neg(add(mul(sgdGradStepSize.ref(), g), mul(sgdMomentumStepSize.ref(), m)))
          : mul(neg(sgdGradStepSize.ref()), m)));
    }
  }
}
