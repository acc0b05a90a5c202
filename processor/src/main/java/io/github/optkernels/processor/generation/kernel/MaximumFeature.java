package io.github.optkernels.processor.generation.kernel;

import static io.github.optkernels.processor.generation.ir.Expr.compare;
import static io.github.optkernels.processor.generation.ir.Expr.constant;
import static io.github.optkernels.processor.generation.ir.Expr.div;
import static io.github.optkernels.processor.generation.ir.Expr.max;
import static io.github.optkernels.processor.generation.ir.Expr.mul;
import static io.github.optkernels.processor.generation.ir.Expr.oneMinus;
import static io.github.optkernels.processor.generation.ir.Expr.pow;
import static io.github.optkernels.processor.generation.ir.Expr.select;
import static io.github.optkernels.processor.generation.ir.Expr.sub;

import io.github.optkernels.annotations.Amsgrad;
import io.github.optkernels.processor.generation.ir.Buffer;
import io.github.optkernels.processor.generation.ir.ElementLoop;
import io.github.optkernels.processor.generation.ir.Expr;
import io.github.optkernels.processor.generation.ir.StepScalar;
import io.github.optkernels.processor.generation.ir.Var;

/**
 * AMSGrad's running maximum, on the stored second moment. Two forms need a per-step scalar: a
 * maximum of corrected values kept next to raw moments ({@code max(vMax, v/bc2)}), and a maximum
 * of raw values kept next to corrected moments, which is rescaled by {@code bc2(t−1)/bc2(t)}
 * before the comparison so that it stays {@code max_raw/bc2(t)}.
 */
public final class MaximumFeature implements KernelFeature {
  private StepScalar maxCorrection;
  private StepScalar maxRescale;

  @Override
  public void plan(KernelPlan plan) {
    if (!plan.structure().hasMaximum()) {
      return;
    }
    boolean corrected = plan.structure().storesCorrected();
    Amsgrad amsgrad = plan.structure().amsgrad();
    if (!corrected && amsgrad == Amsgrad.MAX_OF_CORRECTED) {
      maxCorrection = plan.scalar(PrepareSection.SECOND_MOMENT, "maxCorrection",
          "1/bc2: the maximum is taken over corrected values", div(constant(1), plan.bc2));
    } else if (corrected && amsgrad == Amsgrad.MAX_OF_RAW) {
      maxRescale = plan.scalar(PrepareSection.SECOND_MOMENT, "maxRescale",
          "bc2(t−1)/bc2(t): keeps the stored maximum equal to max_raw/bc2",
          select(compare(Expr.Compare.Op.EQ, plan.step, constant(1)), constant(0),
              div(oneMinus(pow(plan.beta2, sub(plan.step, constant(1)))), plan.bc2)));
    }
  }

  @Override
  public void element(Stage stage, ElementLoop loop, KernelPlan plan) {
    if (!plan.structure().hasMaximum()) {
      return;
    }
    Buffer array = Buffer.state(plan.structure().maximumState());
    if (stage == Stage.MAXIMUM) {
      Expr stored = new Expr.Load(array);
      Expr v = loop.secondMoment();
      Expr value;
      if (maxCorrection != null) {
        value = max(stored, mul(v, maxCorrection.ref()));
      } else if (maxRescale != null) {
        value = max(mul(stored, maxRescale.ref()), v);
      } else {
        value = max(stored, v);
      }
      Var vMax = loop.let("vMax", value);
      loop.denominatorOperand(vMax);
    } else if (stage == Stage.STORE_STATE) {
      loop.store(array, loop.denominatorOperand());
    }
  }
}
