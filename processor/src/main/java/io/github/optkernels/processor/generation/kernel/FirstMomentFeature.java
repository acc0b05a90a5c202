package io.github.optkernels.processor.generation.kernel;

import com.palantir.javapoet.CodeBlock;
import io.github.optkernels.processor.model.Phase;
import java.util.EnumSet;
import java.util.Set;

/**
 * The first moment {@code m ← β1·m + (1 − β1)·g}. With bias-corrected storage the betas are
 * optimi's step-dependent {@code β̂1 = (β1^τ − β1)/(β1^τ − 1)}, which keeps the stored {@code m}
 * equal to {@code m_raw/(1 − β1^τ)}.
 */
public final class FirstMomentFeature implements KernelFeature {
  private static final Set<Phase> MOMENT_PHASES =
      EnumSet.of(Phase.MOMENTS_ONLY, Phase.UNADAPTED, Phase.ADAPTIVE);

  @Override
  public void plan(KernelPlan plan) {
    boolean corrected = plan.structure().storesCorrected();
    String keep = keepName(plan);
    String gain = gainName(plan);
    plan.scalar(keep, corrected ? "β̂1, optimi's debiased first-moment decay of this step" : "β1",
        MOMENT_PHASES);
    plan.scalar(gain, corrected ? "1 − β̂1" : "1 − β1", MOMENT_PHASES);
    CodeBlock.Builder prepare = CodeBlock.builder();
    if (corrected) {
      prepare.add("// stored m stays equal to m_raw / bc1\n");
      prepare.addStatement("double beta1Hat = (beta1Power - beta1) / (beta1Power - 1)");
      prepare.addStatement("this.$L = $L", keep, plan.format().fromDouble(CodeBlock.of("beta1Hat")));
      prepare.addStatement("this.$L = $L", gain, plan.format().fromDouble(CodeBlock.of("1 - beta1Hat")));
      plan.math("m ← β̂1·m + (1 − β̂1)·g,  β̂1 = (β1^τ − β1)/(β1^τ − 1)   (m stored bias-corrected)");
    } else {
      prepare.addStatement("this.$L = $L", keep, plan.format().fromDouble(CodeBlock.of("beta1")));
      prepare.addStatement("this.$L = $L", gain, plan.format().fromDouble(CodeBlock.of("1 - beta1")));
      plan.math("m ← β1·m + (1 − β1)·g");
    }
    plan.prepare(PrepareSection.FIRST_MOMENT, prepare.build());
  }

  private static String keepName(KernelPlan plan) {
    return plan.structure().storesCorrected() ? "beta1Hat" : "beta1";
  }

  private static String gainName(KernelPlan plan) {
    return plan.structure().storesCorrected() ? "oneMinusBeta1Hat" : "oneMinusBeta1";
  }

  @Override
  public void buffers(Phase phase, KernelPlan plan, BufferUse use) {
    if (phase.updatesFirstMoment() || plan.structure().isBelief()) {
      use.reads("expAvg");
    }
    if (phase.updatesFirstMoment()) {
      use.writes("expAvg");
    }
  }

  @Override
  public CodeBlock element(Stage stage, Phase phase, KernelPlan plan) {
    CodeBlock.Builder code = CodeBlock.builder();
    if (stage == Stage.FIRST_MOMENT) {
      if (phase.updatesFirstMoment() && plan.structure().isBelief()) {
        // the belief rule measures the deviation from the old moment too
        code.addStatement("$T mOld = expAvg[i]", plan.format().computeType());
        code.addStatement("$T m = $L * mOld + $L * g", plan.format().computeType(),
            keepName(plan), gainName(plan));
      } else if (phase.updatesFirstMoment()) {
        code.addStatement("$T m = $L * expAvg[i] + $L * g", plan.format().computeType(),
            keepName(plan), gainName(plan));
      } else if (plan.structure().isBelief()) {
        // the belief rule measures g against m even while m itself is frozen (Adam-2k warm-up)
        code.addStatement("$T m = expAvg[i]", plan.format().computeType());
      }
    } else if (stage == Stage.STORE_STATE && phase.updatesFirstMoment()) {
      code.addStatement("expAvg[i] = m");
    }
    return code.build();
  }
}
