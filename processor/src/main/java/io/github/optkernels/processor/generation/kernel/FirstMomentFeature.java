package io.github.optkernels.processor.generation.kernel;

import static io.github.optkernels.processor.generation.ir.Expr.add;
import static io.github.optkernels.processor.generation.ir.Expr.constant;
import static io.github.optkernels.processor.generation.ir.Expr.div;
import static io.github.optkernels.processor.generation.ir.Expr.mul;
import static io.github.optkernels.processor.generation.ir.Expr.oneMinus;
import static io.github.optkernels.processor.generation.ir.Expr.sub;

import io.github.optkernels.processor.generation.ir.Buffer;
import io.github.optkernels.processor.generation.ir.ElementLoop;
import io.github.optkernels.processor.generation.ir.Expr;
import io.github.optkernels.processor.generation.ir.StepScalar;
import io.github.optkernels.processor.generation.ir.Var;

/**
 * The first moment {@code m ← β1·m + (1 − β1)·g}. With bias-corrected storage the betas are
 * optimi's step-dependent {@code β̂1 = (β1^τ − β1)/(β1^τ − 1)}, which keeps the stored {@code m}
 * equal to {@code m_raw/(1 − β1^τ)}.
 */
public final class FirstMomentFeature implements KernelFeature {
  private StepScalar keep;
  private StepScalar gain;

  @Override
  public void plan(KernelPlan plan) {
    PrepareSection section = PrepareSection.FIRST_MOMENT;
    if (plan.structure().storesCorrected()) {
      plan.comment(section, "stored m stays equal to m_raw / bc1");
      Var beta1Hat = plan.let(section, "beta1Hat",
          div(sub(plan.beta1Power, plan.beta1), sub(plan.beta1Power, constant(1))));
      keep = plan.scalar(section, "beta1Hat", "β̂1, optimi's debiased first-moment decay of this step", beta1Hat);
      gain = plan.scalar(section, "oneMinusBeta1Hat", "1 − β̂1", oneMinus(beta1Hat));
    } else {
      keep = plan.scalar(section, "beta1", "β1", plan.beta1);
      gain = plan.scalar(section, "oneMinusBeta1", "1 − β1", oneMinus(plan.beta1));
      plan.rawBeta1(keep);
    }
  }

  @Override
  public void element(Stage stage, ElementLoop loop, KernelPlan plan) {
    Buffer expAvg = Buffer.state("exp_avg");
    boolean updates = loop.phase().updatesFirstMoment();
    boolean belief = plan.structure().isBelief();
    if (stage == Stage.FIRST_MOMENT) {
      if (updates && belief) {
        // the belief rule measures the deviation from the old moment too
        Var mOld = loop.let("mOld", new Expr.Load(expAvg));
        loop.oldFirstMoment(mOld);
        loop.firstMoment(loop.let("m", add(mul(keep.ref(), mOld), mul(gain.ref(), loop.gradient()))));
      } else if (updates) {
        loop.firstMoment(loop.let("m",
            add(mul(keep.ref(), new Expr.Load(expAvg)), mul(gain.ref(), loop.gradient()))));
      } else if (belief) {
        // the belief rule measures g against m even while m itself is frozen (Adam-2k warm-up)
        loop.firstMoment(loop.let("m", new Expr.Load(expAvg)));
      }
    } else if (stage == Stage.STORE_STATE && updates) {
      loop.store(expAvg, loop.firstMoment());
    }
  }
}
