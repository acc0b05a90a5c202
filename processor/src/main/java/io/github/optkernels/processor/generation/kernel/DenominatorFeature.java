package io.github.optkernels.processor.generation.kernel;

import static io.github.optkernels.processor.generation.ir.Expr.add;
import static io.github.optkernels.processor.generation.ir.Expr.div;
import static io.github.optkernels.processor.generation.ir.Expr.mul;
import static io.github.optkernels.processor.generation.ir.Expr.sqrt;

import io.github.optkernels.annotations.EpsPlacement;
import io.github.optkernels.processor.generation.ir.ElementLoop;
import io.github.optkernels.processor.generation.ir.Expr;
import io.github.optkernels.processor.generation.ir.StepScalar;
import io.github.optkernels.processor.generation.ir.Var;
import io.github.optkernels.processor.model.Phase;

/**
 * The denominator, with ε where the spec puts it. Whenever the loop reads an uncorrected second
 * moment, {@code 1/sqrt(bc2)} is factored out of the denominator into the step size, so every
 * placement becomes {@code d = sqrt(v [+ rootTerm]) + epsTerm}: one sqrt, one add, one divide
 * per element, and the per-placement difference lives in two per-step scalars.
 */
public final class DenominatorFeature implements KernelFeature {
  private StepScalar epsTerm;
  private StepScalar rootTerm;

  @Override
  public void plan(KernelPlan plan) {
    EpsPlacement placement = plan.structure().epsPlacement();
    boolean raw = plan.structure().denominatorReadsRawMoment();
    PrepareSection section = PrepareSection.STEP;
    String epsDoc = "ε as added to sqrt of the moment the loop reads";
    Var sqrtBc2 = null;
    if (raw) {
      plan.comment(section, "the loop reads raw v: sqrt(v/bc2) = sqrt(v)/sqrt(bc2), and 1/sqrt(bc2) moves into the step size");
      sqrtBc2 = plan.let(section, "sqrtBc2", sqrt(plan.bc2));
      plan.adaptiveFactor(sqrtBc2);
    }
    switch (placement) {
      case OUTSIDE_CORRECTED_SQRT:
        epsTerm = plan.scalar(section, "epsTerm", epsDoc, raw ? mul(plan.eps, sqrtBc2) : plan.eps);
        break;
      case OUTSIDE_RAW_SQRT:
        if (!raw) {
          plan.comment(section, "(sqrt(v_raw) + ε)/sqrt(bc2) = sqrt(v̂) + ε/sqrt(bc2)");
        }
        epsTerm = plan.scalar(section, "epsTerm", epsDoc, raw ? plan.eps : div(plan.eps, sqrt(plan.bc2)));
        break;
      case INSIDE_CORRECTED_SQRT:
        rootTerm = plan.scalar(section, "rootTerm", "ε_root as added to the moment the loop reads",
            raw ? mul(KernelPlan.EPS_ROOT, plan.bc2) : KernelPlan.EPS_ROOT);
        epsTerm = plan.scalar(section, "epsTerm", epsDoc, raw ? mul(plan.eps, sqrtBc2) : plan.eps);
        break;
      default:
        throw new AssertionError(placement);
    }
  }

  @Override
  public void element(Stage stage, ElementLoop loop, KernelPlan plan) {
    if (stage != Stage.DENOMINATOR || loop.phase() != Phase.ADAPTIVE) {
      return;
    }
    Expr operand = loop.denominatorOperand();
    if (rootTerm != null) {
      operand = add(operand, rootTerm.ref());
    }
    loop.denominator(loop.let("d", add(sqrt(operand), epsTerm.ref())));
  }
}
