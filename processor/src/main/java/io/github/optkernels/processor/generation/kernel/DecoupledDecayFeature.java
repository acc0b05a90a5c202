package io.github.optkernels.processor.generation.kernel;

import com.palantir.javapoet.CodeBlock;
import io.github.optkernels.annotations.WeightDecay;
import io.github.optkernels.processor.model.Phase;
import java.util.EnumSet;

/**
 * Decoupled ({@code p ← p·(1 − lr·λ)}) and fully decoupled ({@code p ← p·(1 − λ·lr/max_lr)})
 * weight decay: a per-step factor applied to the parameter on steps that change it. Folded into
 * the parameter's single store (the conformance model allows either).
 */
public final class DecoupledDecayFeature implements KernelFeature {

  @Override
  public void plan(KernelPlan plan) {
    WeightDecay decay = plan.structure().decay();
    if (decay != WeightDecay.DECOUPLED && decay != WeightDecay.FULLY_DECOUPLED) {
      return;
    }
    plan.scalar("decayFactor", "the decoupled weight-decay factor the parameter is multiplied by",
        EnumSet.of(Phase.UNADAPTED, Phase.ADAPTIVE));
    CodeBlock.Builder prepare = CodeBlock.builder();
    if (decay == WeightDecay.DECOUPLED) {
      prepare.addStatement("this.decayFactor = $L",
          plan.format().fromDouble(CodeBlock.of("1 - lr * h.weightDecay()")));
      plan.math("p ← p·(1 − lr·λ)                         (decoupled weight decay)");
    } else {
      prepare.addStatement("double weightDecay = h.weightDecay()");
      prepare.add("// without decay the factor is exactly 1 (and max_lr need not be set)\n");
      prepare.addStatement("this.decayFactor = $L", plan.format().fromDouble(
          CodeBlock.of("weightDecay == 0 ? 1 : 1 - weightDecay * lr / h.maxLr()")));
      plan.math("p ← p·(1 − λ·lr/max_lr)                  (fully decoupled weight decay)");
    }
    plan.prepare(PrepareSection.STEP, prepare.build());
  }

  @Override
  public CodeBlock element(Stage stage, Phase phase, KernelPlan plan) {
    WeightDecay decay = plan.structure().decay();
    boolean decoupled = decay == WeightDecay.DECOUPLED || decay == WeightDecay.FULLY_DECOUPLED;
    if (stage == Stage.DECAY && decoupled && phase.changesParameter()) {
      return CodeBlock.builder().addStatement("p *= decayFactor").build();
    }
    return CodeBlock.of("");
  }
}
