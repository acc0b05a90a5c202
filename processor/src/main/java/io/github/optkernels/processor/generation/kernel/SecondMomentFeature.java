package io.github.optkernels.processor.generation.kernel;

import static io.github.optkernels.processor.generation.ir.Expr.add;
import static io.github.optkernels.processor.generation.ir.Expr.constant;
import static io.github.optkernels.processor.generation.ir.Expr.div;
import static io.github.optkernels.processor.generation.ir.Expr.mul;
import static io.github.optkernels.processor.generation.ir.Expr.oneMinus;
import static io.github.optkernels.processor.generation.ir.Expr.pow;
import static io.github.optkernels.processor.generation.ir.Expr.sub;

import io.github.optkernels.annotations.SecondMoment;
import io.github.optkernels.processor.generation.ir.Buffer;
import io.github.optkernels.processor.generation.ir.ElementLoop;
import io.github.optkernels.processor.generation.ir.Expr;
import io.github.optkernels.processor.generation.ir.StepScalar;
import io.github.optkernels.processor.generation.ir.Var;

/**
 * The second moment: {@code v ← β2·v + (1 − β2)·g²}, or AdaBelief's
 * {@code v ← β2·v + (1 − β2)·(g − m)² [+ ε]}. Bias-corrected storage uses the debiased
 * {@code β̂2}, and the belief rule's ε becomes {@code ε/bc2} in that form.
 */
public final class SecondMomentFeature implements KernelFeature {
  private StepScalar keep;
  private StepScalar gain;
  private StepScalar stateEps;
  private StepScalar beta1;
  private StepScalar deviationScale;

  @Override
  public void plan(KernelPlan plan) {
    boolean corrected = plan.structure().storesCorrected();
    PrepareSection section = PrepareSection.SECOND_MOMENT;
    if (corrected) {
      plan.comment(section, "stored v stays equal to v_raw / bc2");
      Var beta2Hat = plan.let(section, "beta2Hat",
          div(sub(plan.beta2Power, plan.beta2), sub(plan.beta2Power, constant(1))));
      keep = plan.scalar(section, "beta2Hat", "β̂2, optimi's debiased second-moment decay of this step", beta2Hat);
      gain = plan.scalar(section, "oneMinusBeta2Hat", "1 − β̂2", oneMinus(beta2Hat));
    } else {
      keep = plan.scalar(section, "beta2", "β2", plan.beta2);
      gain = plan.scalar(section, "oneMinusBeta2", "1 − β2", oneMinus(plan.beta2));
    }
    if (plan.structure().isBelief() && corrected) {
      // The deviation needs the raw moment: m_raw(τ−1) = m_stored·bc1(τ−1), and β1 itself.
      beta1 = plan.scalar(PrepareSection.FIRST_MOMENT, "beta1",
          "β1 (raw), for the belief deviation β1·g − β1·m_raw(τ−1)", plan.beta1);
      deviationScale = plan.scalar(PrepareSection.FIRST_MOMENT, "deviationScale",
          "β1·bc1(τ−1): turns the stored m into β1·m_raw(τ−1)",
          mul(plan.beta1, oneMinus(pow(plan.beta1, sub(plan.tau, constant(1))))));
      plan.rawBeta1(beta1);
    }
    if (plan.structure().secondMoment() == SecondMoment.BELIEF) {
      stateEps = plan.scalar(section, "stateEps", corrected
          ? "ε/bc2, AdaBelief's ε added to the stored (corrected) state"
          : "ε, AdaBelief's ε added to the stored state", corrected ? div(plan.eps, plan.bc2) : plan.eps);
    }
  }

  @Override
  public void element(Stage stage, ElementLoop loop, KernelPlan plan) {
    Buffer array = Buffer.state(plan.structure().secondMomentState());
    if (stage == Stage.SECOND_MOMENT) {
      Expr g = loop.gradient();
      Expr deviation = g;
      if (plan.structure().isBelief()) {
        if (loop.phase().updatesFirstMoment()) {
          // g − m(τ) = β1·g − β1·m(τ−1) exactly. Of the equal forms, this is the one C2
          // vectorizes reliably (JDK 17 and 25, 1e3 to 1e6 elements); g − m and β1·(g − m(τ−1))
          // ran 6-7x slower, unvectorized, in some or all contexts (docs/KERNEL_LOOPS.md).
          StepScalar beta1 = plan.rawBeta1();
          Expr scale = plan.structure().storesCorrected() ? deviationScale.ref() : beta1.ref();
          deviation = loop.let("r", sub(mul(beta1.ref(), g), mul(scale, loop.oldFirstMoment())));
        } else {
          // warm-up: the first moment has not started (m = 0), so the deviation is g itself
          deviation = loop.let("r", sub(g, loop.firstMoment()));
        }
      }
      Expr v = add(mul(keep.ref(), new Expr.Load(array)), mul(mul(gain.ref(), deviation), deviation));
      if (stateEps != null) {
        v = add(v, stateEps.ref());
      }
      Var second = loop.let("v", v);
      loop.secondMoment(second);
      loop.denominatorOperand(second);
    } else if (stage == Stage.STORE_STATE) {
      loop.store(array, loop.secondMoment());
    }
  }
}
