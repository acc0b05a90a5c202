package io.github.optkernels.processor.generation.kernel;

import com.palantir.javapoet.CodeBlock;
import io.github.optkernels.annotations.WeightDecay;
import io.github.optkernels.processor.model.Phase;
import java.util.EnumSet;

/** Loads the gradient (negated for {@code maximize}) and the parameter, and applies L2 weight decay. */
public final class GradientFeature implements KernelFeature {

  @Override
  public void plan(KernelPlan plan) {
    if (plan.structure().maximize()) {
      plan.math("g ← −g                                   (maximize)");
    }
    if (hasL2(plan)) {
      plan.scalar("l2", "λ, the L2 weight-decay coefficient added to the gradient", EnumSet.allOf(Phase.class));
      plan.prepare(PrepareSection.GRADIENT, CodeBlock.builder()
          .addStatement("this.l2 = $L", plan.format().fromDouble(CodeBlock.of("h.weightDecay()")))
          .build());
      plan.math("g ← g + λ·p                              (L2 weight decay)");
    }
  }

  private static boolean hasL2(KernelPlan plan) {
    return plan.structure().decay() == WeightDecay.L2;
  }

  @Override
  public void buffers(Phase phase, KernelPlan plan, BufferUse use) {
    use.reads("grad");
    if (phase.changesParameter() || hasL2(plan)) {
      use.reads("param");
    }
  }

  @Override
  public CodeBlock element(Stage stage, Phase phase, KernelPlan plan) {
    CodeBlock.Builder code = CodeBlock.builder();
    if (stage == Stage.LOAD) {
      code.addStatement("$T g = $Lgrad[i]", plan.format().computeType(),
          plan.structure().maximize() ? "-" : "");
      if (phase.changesParameter() || hasL2(plan)) {
        code.addStatement("$T p = param[i]", plan.format().computeType());
      }
    } else if (stage == Stage.GRADIENT && hasL2(plan)) {
      code.addStatement("g += l2 * p");
    }
    return code.build();
  }
}
