package io.github.optkernels.processor.generation.kernel;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import io.github.optkernels.annotations.Rectification;
import io.github.optkernels.annotations.RectifyThreshold;
import io.github.optkernels.processor.generation.RuntimeTypes;
import io.github.optkernels.processor.model.Phase;
import javax.lang.model.element.Modifier;

/**
 * RAdam's rectification: decides once per step, from ρ_t, whether the step is adaptive (scaled by
 * r_t) or falls back (un-adapted SGD step, or no parameter change). The decision is the phase;
 * no element loop branches on it.
 */
public final class RectificationFeature implements KernelFeature {

  @Override
  public void plan(KernelPlan plan) {
    Rectification rectify = plan.structure().rectify();
    if (rectify == Rectification.NONE) {
      return;
    }
    boolean atLeast = plan.structure().rectifyThreshold() == RectifyThreshold.RHO_AT_LEAST_5;
    String fallback = rectify == Rectification.RADAM_SGD_FALLBACK ? "UNADAPTED" : "MOMENTS_ONLY";
    plan.field(FieldSpec.builder(TypeName.DOUBLE, "rectification", Modifier.PRIVATE)
        .addJavadoc("r_t of the prepared step, or NaN when the step is not rectified.\n")
        .initializer("$T.NaN", Double.class)
        .build());
    plan.method(MethodSpec.methodBuilder("rectification")
        .addJavadoc("The rectification term r_t of the prepared step, NaN when ρ_t is below the threshold.\n")
        .addModifiers(Modifier.PUBLIC)
        .returns(TypeName.DOUBLE)
        .addStatement("return rectification")
        .build());
    plan.prepare(PrepareSection.PHASE, CodeBlock.builder()
        .add("// ρ_t: the length of the simple moving average the EMA of g² approximates (RAdam)\n")
        .addStatement("double rhoInf = 2 / (1 - beta2) - 1")
        .addStatement("double rho = rhoInf - 2 * step * beta2Power / bc2")
        .addStatement("double rectification")
        .beginControlFlow("if (rho $L 5)", atLeast ? ">=" : ">")
        .addStatement("rectification = $T.sqrt((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho))", Math.class)
        .addStatement("this.phase = $T.ADAPTIVE", RuntimeTypes.STEP_PHASE)
        .nextControlFlow("else")
        .addStatement("rectification = $T.NaN", Double.class)
        .addStatement("this.phase = $T.$L", RuntimeTypes.STEP_PHASE, fallback)
        .endControlFlow()
        .addStatement("this.rectification = rectification")
        .build());
    plan.adaptiveFactor("rectification");
    plan.math("ρ∞ = 2/(1 − β2) − 1,  ρ_t = ρ∞ − 2t·β2^t/(1 − β2^t),  rectified iff ρ_t "
        + (atLeast ? "≥" : ">") + " 5");
    plan.math("r_t = sqrt((ρ_t − 4)(ρ_t − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρ_t))");
    plan.math(rectify == Rectification.RADAM_SGD_FALLBACK
        ? "not rectified: p ← p − lr·n                (un-adapted SGD-with-momentum step)"
        : "not rectified: p unchanged                  (moments still update)");
  }

  @Override
  public CodeBlock element(Stage stage, Phase phase, KernelPlan plan) {
    return CodeBlock.of("");
  }
}
