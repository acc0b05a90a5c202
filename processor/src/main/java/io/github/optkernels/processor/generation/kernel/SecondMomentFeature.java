package io.github.optkernels.processor.generation.kernel;

import com.palantir.javapoet.CodeBlock;
import io.github.optkernels.annotations.SecondMoment;
import io.github.optkernels.processor.model.Phase;
import java.util.EnumSet;

/**
 * The second moment: {@code v ← β2·v + (1 − β2)·g²}, or AdaBelief's
 * {@code v ← β2·v + (1 − β2)·(g − m)² [+ ε]}. Bias-corrected storage uses the debiased
 * {@code β̂2}, and the belief rule's ε becomes {@code ε/bc2} in that form.
 */
public final class SecondMomentFeature implements KernelFeature {

  @Override
  public void plan(KernelPlan plan) {
    boolean corrected = plan.structure().storesCorrected();
    EnumSet<Phase> all = EnumSet.allOf(Phase.class);
    plan.scalar(keepName(plan), corrected ? "β̂2, optimi's debiased second-moment decay of this step" : "β2", all);
    plan.scalar(gainName(plan), corrected ? "1 − β̂2" : "1 − β2", all);
    CodeBlock.Builder prepare = CodeBlock.builder();
    if (corrected) {
      prepare.add("// stored v stays equal to v_raw / bc2\n");
      prepare.addStatement("double beta2Hat = (beta2Power - beta2) / (beta2Power - 1)");
      prepare.addStatement("this.beta2Hat = $L", plan.format().fromDouble(CodeBlock.of("beta2Hat")));
      prepare.addStatement("this.oneMinusBeta2Hat = $L", plan.format().fromDouble(CodeBlock.of("1 - beta2Hat")));
    } else {
      prepare.addStatement("this.beta2 = $L", plan.format().fromDouble(CodeBlock.of("beta2")));
      prepare.addStatement("this.oneMinusBeta2 = $L", plan.format().fromDouble(CodeBlock.of("1 - beta2")));
    }
    String beta = corrected ? "β̂2" : "β2";
    SecondMoment rule = plan.structure().secondMoment();
    if (plan.structure().isBelief() && corrected) {
      // The deviation needs the raw moment: m_raw(τ−1) = m_stored·bc1(τ−1), and β1 itself.
      EnumSet<Phase> momentPhases = EnumSet.of(Phase.MOMENTS_ONLY, Phase.UNADAPTED, Phase.ADAPTIVE);
      plan.scalar("beta1", "β1 (raw), for the belief deviation β1·g − β1·m_raw(τ−1)", momentPhases);
      plan.scalar("deviationScale", "β1·bc1(τ−1): turns the stored m into β1·m_raw(τ−1)", momentPhases);
      plan.prepare(PrepareSection.FIRST_MOMENT, CodeBlock.builder()
          .addStatement("this.beta1 = $L", plan.format().fromDouble(CodeBlock.of("beta1")))
          .addStatement("this.deviationScale = $L",
              plan.format().fromDouble(CodeBlock.of("beta1 * (1 - $T.pow(beta1, tau - 1))", Math.class)))
          .build());
    }
    if (rule == SecondMoment.BELIEF) {
      plan.scalar("stateEps", corrected ? "ε/bc2, AdaBelief's ε added to the stored (corrected) state"
          : "ε, AdaBelief's ε added to the stored state", all);
      prepare.addStatement("this.stateEps = $L",
          plan.format().fromDouble(CodeBlock.of(corrected ? "eps / bc2" : "eps")));
      plan.math("v ← " + beta + "·v + (1 − " + beta + ")·(g − m)² + ε" + (corrected ? "/bc2" : "")
          + "                (AdaBelief: ε accumulates in the state)");
    } else if (rule == SecondMoment.BELIEF_WITHOUT_STATE_EPS) {
      plan.math("v ← " + beta + "·v + (1 − " + beta + ")·(g − m)²                  (belief)");
    } else {
      plan.math("v ← " + beta + "·v + (1 − " + beta + ")·g²");
    }
    plan.prepare(PrepareSection.SECOND_MOMENT, prepare.build());
  }

  private static String keepName(KernelPlan plan) {
    return plan.structure().storesCorrected() ? "beta2Hat" : "beta2";
  }

  private static String gainName(KernelPlan plan) {
    return plan.structure().storesCorrected() ? "oneMinusBeta2Hat" : "oneMinusBeta2";
  }

  @Override
  public void buffers(Phase phase, KernelPlan plan, BufferUse use) {
    String array = KernelPlan.arrayName(plan.structure().secondMomentState());
    use.reads(array);
    use.writes(array);
  }

  @Override
  public CodeBlock element(Stage stage, Phase phase, KernelPlan plan) {
    CodeBlock.Builder code = CodeBlock.builder();
    String array = KernelPlan.arrayName(plan.structure().secondMomentState());
    if (stage == Stage.SECOND_MOMENT) {
      SecondMoment rule = plan.structure().secondMoment();
      if (rule == SecondMoment.SQUARED_GRADIENT) {
        code.addStatement("$T v = $L * $L[i] + $L * g * g", plan.format().computeType(),
            keepName(plan), array, gainName(plan));
      } else {
        if (phase.updatesFirstMoment()) {
          // g − m(τ) = β1·g − β1·m(τ−1) exactly. Of the equal forms, this is the one C2
          // vectorizes reliably (JDK 17 and 25, 1e3 to 1e6 elements); g − m and β1·(g − m(τ−1))
          // ran 6-7x slower, unvectorized, in some or all contexts (docs/KERNEL_LOOPS.md).
          code.addStatement(plan.structure().storesCorrected()
              ? "$T r = beta1 * g - deviationScale * mOld" : "$T r = beta1 * g - beta1 * mOld",
              plan.format().computeType());
        } else {
          // warm-up: the first moment has not started (m = 0), so the deviation is g itself
          code.addStatement("$T r = g - m", plan.format().computeType());
        }
        code.addStatement("$T v = $L * $L[i] + $L * r * r$L", plan.format().computeType(),
            keepName(plan), array, gainName(plan), rule == SecondMoment.BELIEF ? " + stateEps" : "");
      }
    } else if (stage == Stage.STORE_STATE) {
      code.addStatement("$L[i] = v", array);
    }
    return code.build();
  }
}
