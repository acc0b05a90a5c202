package io.github.optkernels.processor.generation.kernel;

import com.palantir.javapoet.CodeBlock;
import io.github.optkernels.annotations.EpsPlacement;
import io.github.optkernels.processor.model.Phase;
import java.util.EnumSet;

/**
 * The denominator, with ε where the spec puts it. Whenever the loop reads an uncorrected second
 * moment, {@code 1/sqrt(bc2)} is factored out of the denominator into the step size, so every
 * placement becomes {@code d = sqrt(v [+ rootTerm]) + epsTerm}: one sqrt, one add, one divide
 * per element, and the per-placement difference lives in two per-step scalars.
 */
public final class DenominatorFeature implements KernelFeature {

  @Override
  public void plan(KernelPlan plan) {
    EpsPlacement placement = plan.structure().epsPlacement();
    boolean raw = plan.structure().denominatorReadsRawMoment();
    EnumSet<Phase> adaptive = EnumSet.of(Phase.ADAPTIVE);
    plan.scalar("epsTerm", "ε as added to sqrt of the moment the loop reads", adaptive);
    CodeBlock.Builder prepare = CodeBlock.builder();
    if (raw) {
      prepare.add("// the loop reads raw v: sqrt(v/bc2) = sqrt(v)/sqrt(bc2), and 1/sqrt(bc2) moves into the step size\n");
      prepare.addStatement("double sqrtBc2 = $T.sqrt(bc2)", Math.class);
      plan.adaptiveFactor("sqrtBc2");
    }
    switch (placement) {
      case OUTSIDE_CORRECTED_SQRT:
        prepare.addStatement("this.epsTerm = $L",
            plan.format().fromDouble(CodeBlock.of(raw ? "eps * sqrtBc2" : "eps")));
        plan.math("d = sqrt(v̂) + ε                            (ε after the bias-corrected sqrt)");
        break;
      case OUTSIDE_RAW_SQRT:
        if (!raw) {
          prepare.add("// (sqrt(v_raw) + ε)/sqrt(bc2) = sqrt(v̂) + ε/sqrt(bc2)\n");
        }
        prepare.addStatement("this.epsTerm = $L",
            plan.format().fromDouble(raw ? CodeBlock.of("eps") : CodeBlock.of("eps / $T.sqrt(bc2)", Math.class)));
        plan.math("d = (sqrt(v_raw) + ε)/sqrt(bc2)              (ε on the uncorrected sqrt)");
        break;
      case INSIDE_CORRECTED_SQRT:
        plan.scalar("rootTerm", "ε_root as added to the moment the loop reads", adaptive);
        prepare.addStatement("this.rootTerm = $L",
            plan.format().fromDouble(CodeBlock.of(raw ? "h.epsRoot() * bc2" : "h.epsRoot()")));
        prepare.addStatement("this.epsTerm = $L",
            plan.format().fromDouble(CodeBlock.of(raw ? "eps * sqrtBc2" : "eps")));
        plan.math("d = sqrt(v̂ + ε_root) + ε                     (optax's eps_root inside the sqrt)");
        break;
      default:
        throw new AssertionError(placement);
    }
    plan.prepare(PrepareSection.STEP, prepare.build());
  }

  @Override
  public CodeBlock element(Stage stage, Phase phase, KernelPlan plan) {
    if (stage != Stage.DENOMINATOR || phase != Phase.ADAPTIVE) {
      return CodeBlock.of("");
    }
    String operand = plan.denominatorOperand();
    if (plan.structure().epsPlacement() == EpsPlacement.INSIDE_CORRECTED_SQRT) {
      operand = operand + " + rootTerm";
    }
    return CodeBlock.builder()
        .addStatement("$T d = $L + epsTerm", plan.format().computeType(),
            plan.format().sqrt(CodeBlock.of("$L", operand)))
        .build();
  }
}
