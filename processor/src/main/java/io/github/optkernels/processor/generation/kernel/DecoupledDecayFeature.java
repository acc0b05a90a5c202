package io.github.optkernels.processor.generation.kernel;

import static io.github.optkernels.processor.generation.ir.Expr.compare;
import static io.github.optkernels.processor.generation.ir.Expr.constant;
import static io.github.optkernels.processor.generation.ir.Expr.div;
import static io.github.optkernels.processor.generation.ir.Expr.mul;
import static io.github.optkernels.processor.generation.ir.Expr.oneMinus;
import static io.github.optkernels.processor.generation.ir.Expr.select;

import io.github.optkernels.annotations.WeightDecay;
import io.github.optkernels.processor.generation.ir.ElementLoop;
import io.github.optkernels.processor.generation.ir.Expr;
import io.github.optkernels.processor.generation.ir.StepScalar;
import io.github.optkernels.processor.generation.ir.Var;

/**
 * Decoupled ({@code p ← p·(1 − lr·λ)}) and fully decoupled ({@code p ← p·(1 − λ·lr/max_lr)})
 * weight decay: a per-step factor applied to the parameter on steps that change it. Folded into
 * the parameter's single store (the conformance model allows either).
 */
public final class DecoupledDecayFeature implements KernelFeature {
  private StepScalar decayFactor;

  @Override
  public void plan(KernelPlan plan) {
    WeightDecay decay = plan.structure().decay();
    String doc = "the decoupled weight-decay factor the parameter is multiplied by";
    if (decay == WeightDecay.DECOUPLED) {
      decayFactor = plan.scalar(PrepareSection.STEP, "decayFactor", doc,
          oneMinus(mul(plan.lr, KernelPlan.WEIGHT_DECAY)));
    } else if (decay == WeightDecay.FULLY_DECOUPLED) {
      Var weightDecay = plan.let(PrepareSection.STEP, "weightDecay", KernelPlan.WEIGHT_DECAY);
      plan.comment(PrepareSection.STEP, "without decay the factor is exactly 1 (and max_lr need not be set)");
      decayFactor = plan.scalar(PrepareSection.STEP, "decayFactor", doc,
          select(compare(Expr.Compare.Op.EQ, weightDecay, constant(0)), constant(1),
              oneMinus(div(mul(weightDecay, plan.lr), KernelPlan.MAX_LR))));
    }
  }

  @Override
  public void element(Stage stage, ElementLoop loop, KernelPlan plan) {
    if (stage == Stage.DECAY && decayFactor != null && loop.phase().changesParameter()) {
      loop.parameter(loop.let("pDecayed", mul(loop.parameter(), decayFactor.ref())));
    }
  }
}
