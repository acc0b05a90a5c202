package io.github.optkernels.processor.generation.kernel;

import com.palantir.javapoet.CodeBlock;
import io.github.optkernels.annotations.FirstMoment;
import io.github.optkernels.annotations.Rectification;
import io.github.optkernels.processor.model.Phase;
import java.util.EnumSet;

/**
 * The update {@code u}: the numerator (bias-corrected {@code m}, or NAdam's gradient-plus-momentum
 * mix) times the step size, divided by the denominator on adaptive steps. All per-step factors
 * (lr, 1/bc1, the rectification term, the {@code sqrt(bc2)} moved out of the denominator, NAdam's
 * weights) are multiplied into one or two step sizes in double, once per step.
 */
public final class NumeratorFeature implements KernelFeature {

  private static boolean nesterov(KernelPlan plan) {
    return plan.structure().firstMoment() == FirstMoment.NESTEROV;
  }

  private static boolean hasUnadapted(KernelPlan plan) {
    return plan.structure().rectify() == Rectification.RADAM_SGD_FALLBACK;
  }

  @Override
  public void plan(KernelPlan plan) {
    boolean corrected = plan.structure().storesCorrected();
    EnumSet<Phase> adaptive = EnumSet.of(Phase.ADAPTIVE);
    EnumSet<Phase> unadapted = EnumSet.of(Phase.UNADAPTED);
    String factors = plan.adaptiveFactorProduct();
    CodeBlock.Builder step = CodeBlock.builder();
    if (nesterov(plan)) {
      plan.prepare(PrepareSection.NUMERATOR, CodeBlock.builder()
          .add("// NAdam: μ_t = β1·(1 − ½·0.96^(τψ)), and Π, the product of μ over the momentum steps\n")
          .addStatement("double psi = h.momentumDecay()")
          .addStatement("double mu = beta1 * (1 - 0.5 * $T.pow(0.96, tau * psi))", Math.class)
          .addStatement("double muNext = beta1 * (1 - 0.5 * $T.pow(0.96, (tau + 1) * psi))", Math.class)
          .addStatement("double muProduct = momentumProduct * mu")
          .addStatement("this.momentumProductAfter = muProduct")
          .addStatement("double gradWeight = (1 - mu) / (1 - muProduct)")
          .add(corrected ? "// the stored m is m_raw/bc1, so its weight carries bc1\n" : "")
          .addStatement(corrected
              ? "double momentumWeight = muNext / (1 - muProduct * muNext) * bc1"
              : "double momentumWeight = muNext / (1 - muProduct * muNext)")
          .build());
      plan.scalar("gradStepSize", "lr·r_t·(1 − μ_t)/(1 − Π_t), with the denominator's folded factor", adaptive);
      plan.scalar("momentumStepSize", "lr·r_t·μ_{t+1}/(1 − Π_t·μ_{t+1}), with the denominator's folded factor", adaptive);
      step.addStatement("this.gradStepSize = $L", plan.format().fromDouble(CodeBlock.of("lr$L * gradWeight", factors)));
      step.addStatement("this.momentumStepSize = $L", plan.format().fromDouble(CodeBlock.of("lr$L * momentumWeight", factors)));
      if (hasUnadapted(plan)) {
        plan.scalar("sgdGradStepSize", "lr·(1 − μ_t)/(1 − Π_t), for the un-adapted step", unadapted);
        plan.scalar("sgdMomentumStepSize", "lr·μ_{t+1}/(1 − Π_t·μ_{t+1}), for the un-adapted step", unadapted);
        step.addStatement("this.sgdGradStepSize = $L", plan.format().fromDouble(CodeBlock.of("lr * gradWeight")));
        step.addStatement("this.sgdMomentumStepSize = $L", plan.format().fromDouble(CodeBlock.of("lr * momentumWeight")));
      }
      plan.math("n = (1 − μ_t)/(1 − Π_t)·g + μ_{t+1}/(1 − Π_t·μ_{t+1})·m      (NAdam)");
    } else {
      String correction = corrected ? "" : " / bc1";
      plan.scalar("stepSize", "lr·r_t/bc1, with the denominator's folded factor", adaptive);
      step.addStatement("this.stepSize = $L", plan.format().fromDouble(CodeBlock.of("lr$L$L", factors, correction)));
      if (hasUnadapted(plan)) {
        plan.scalar("sgdStepSize", "lr/bc1, for the un-adapted step", unadapted);
        step.addStatement("this.sgdStepSize = $L", plan.format().fromDouble(CodeBlock.of("lr$L", correction)));
      }
      plan.math(corrected ? "n = m                                      (m is stored bias-corrected)"
          : "n = m/(1 − β1^τ)");
    }
    plan.math(plan.structure().rectify() == Rectification.NONE
        ? "p ← p − lr·n/d" : "rectified: p ← p − lr·r_t·n/d");
    plan.prepare(PrepareSection.STEP, step.build());
  }

  @Override
  public CodeBlock element(Stage stage, Phase phase, KernelPlan plan) {
    if (stage != Stage.UPDATE) {
      return CodeBlock.of("");
    }
    CodeBlock.Builder code = CodeBlock.builder();
    if (phase == Phase.ADAPTIVE) {
      code.addStatement(nesterov(plan)
          ? "$T u = -(gradStepSize * g + momentumStepSize * m) / d"
          : "$T u = -stepSize * m / d", plan.format().computeType());
    } else if (phase == Phase.UNADAPTED) {
      code.addStatement(nesterov(plan)
          ? "$T u = -(sgdGradStepSize * g + sgdMomentumStepSize * m)"
          : "$T u = -sgdStepSize * m", plan.format().computeType());
    }
    return code.build();
  }
}
