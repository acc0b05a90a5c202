package io.github.optkernels.processor.generation.kernel;

import static io.github.optkernels.processor.generation.ir.Expr.compare;
import static io.github.optkernels.processor.generation.ir.Expr.constant;
import static io.github.optkernels.processor.generation.ir.Expr.div;
import static io.github.optkernels.processor.generation.ir.Expr.mul;
import static io.github.optkernels.processor.generation.ir.Expr.oneMinus;
import static io.github.optkernels.processor.generation.ir.Expr.select;
import static io.github.optkernels.processor.generation.ir.Expr.sqrt;
import static io.github.optkernels.processor.generation.ir.Expr.sub;

import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import io.github.optkernels.annotations.Rectification;
import io.github.optkernels.annotations.RectifyThreshold;
import io.github.optkernels.processor.generation.ir.ElementLoop;
import io.github.optkernels.processor.generation.ir.Expr;
import io.github.optkernels.processor.generation.ir.Var;
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
    Phase fallback = rectify == Rectification.RADAM_SGD_FALLBACK ? Phase.UNADAPTED : Phase.MOMENTS_ONLY;
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
    PrepareSection section = PrepareSection.PHASE;
    plan.comment(section, "ρ_t: the length of the simple moving average the EMA of g² approximates (RAdam)");
    Var rhoInf = plan.let(section, "rhoInf", sub(div(constant(2), oneMinus(plan.beta2)), constant(1)));
    Var rho = plan.let(section, "rho",
        sub(rhoInf, div(mul(mul(constant(2), plan.step), plan.beta2Power), plan.bc2)));
    Var rectified = plan.let(section, "rectified",
        compare(atLeast ? Expr.Compare.Op.GE : Expr.Compare.Op.GT, rho, constant(5)));
    Expr ratio = div(mul(mul(sub(rho, constant(4)), sub(rho, constant(2))), rhoInf),
        mul(mul(sub(rhoInf, constant(4)), sub(rhoInf, constant(2))), rho));
    Var rectification = plan.let(section, "rectification", select(rectified, sqrt(ratio), constant(Double.NaN)));
    plan.choosePhase(section, rectified, Phase.ADAPTIVE, fallback);
    plan.field(section, "rectification", rectification);
    plan.adaptiveFactor(rectification);
  }

  @Override
  public void element(Stage stage, ElementLoop loop, KernelPlan plan) {}
}
