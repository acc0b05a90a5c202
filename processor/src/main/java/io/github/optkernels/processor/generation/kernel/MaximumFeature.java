package io.github.optkernels.processor.generation.kernel;

import com.palantir.javapoet.CodeBlock;
import io.github.optkernels.annotations.Amsgrad;
import io.github.optkernels.processor.model.Phase;
import java.util.EnumSet;

/**
 * AMSGrad's running maximum, on the stored second moment. Two forms need a per-step scalar: a
 * maximum of corrected values kept next to raw moments ({@code max(vMax, v/bc2)}), and a maximum
 * of raw values kept next to corrected moments, which is rescaled by {@code bc2(t−1)/bc2(t)}
 * before the comparison so that it stays {@code max_raw/bc2(t)}.
 */
public final class MaximumFeature implements KernelFeature {

  private enum Form {
    /** Maximum in the same form as the stored second moment. */
    PLAIN,
    /** Raw moments, corrected maximum. */
    CORRECT_BEFORE_MAX,
    /** Corrected moments, maximum of raw values. */
    RESCALE_MAX
  }

  private static Form form(KernelPlan plan) {
    boolean corrected = plan.structure().storesCorrected();
    Amsgrad amsgrad = plan.structure().amsgrad();
    if (!corrected && amsgrad == Amsgrad.MAX_OF_CORRECTED) {
      return Form.CORRECT_BEFORE_MAX;
    }
    if (corrected && amsgrad == Amsgrad.MAX_OF_RAW) {
      return Form.RESCALE_MAX;
    }
    return Form.PLAIN;
  }

  @Override
  public void plan(KernelPlan plan) {
    if (!plan.structure().hasMaximum()) {
      return;
    }
    EnumSet<Phase> all = EnumSet.allOf(Phase.class);
    switch (form(plan)) {
      case CORRECT_BEFORE_MAX:
        plan.scalar("maxCorrection", "1/bc2: the maximum is taken over corrected values", all);
        plan.prepare(PrepareSection.SECOND_MOMENT, CodeBlock.builder()
            .addStatement("this.maxCorrection = $L", plan.format().fromDouble(CodeBlock.of("1 / bc2")))
            .build());
        plan.math("v_max ← max(v_max, v/bc2)                 (AMSGrad on the corrected moment)");
        break;
      case RESCALE_MAX:
        plan.scalar("maxRescale", "bc2(t−1)/bc2(t): keeps the stored maximum equal to max_raw/bc2", all);
        plan.prepare(PrepareSection.SECOND_MOMENT, CodeBlock.builder()
            .addStatement("this.maxRescale = $L", plan.format().fromDouble(
                CodeBlock.of("step == 1 ? 0 : (1 - $T.pow(beta2, step - 1)) / bc2", Math.class)))
            .build());
        plan.math("v_max ← max(v_max·bc2(t−1)/bc2(t), v)     (AMSGrad on the raw moment, stored corrected)");
        break;
      default:
        plan.math("v_max ← max(v_max, v)                     (AMSGrad)");
        break;
    }
  }

  @Override
  public void buffers(Phase phase, KernelPlan plan, BufferUse use) {
    if (plan.structure().hasMaximum()) {
      String array = KernelPlan.arrayName(plan.structure().maximumState());
      use.reads(array);
      use.writes(array);
    }
  }

  @Override
  public CodeBlock element(Stage stage, Phase phase, KernelPlan plan) {
    CodeBlock.Builder code = CodeBlock.builder();
    if (!plan.structure().hasMaximum()) {
      return code.build();
    }
    String array = KernelPlan.arrayName(plan.structure().maximumState());
    if (stage == Stage.MAXIMUM) {
      switch (form(plan)) {
        case CORRECT_BEFORE_MAX:
          code.addStatement("$T vMax = $T.max($L[i], v * maxCorrection)", plan.format().computeType(), Math.class, array);
          break;
        case RESCALE_MAX:
          code.addStatement("$T vMax = $T.max($L[i] * maxRescale, v)", plan.format().computeType(), Math.class, array);
          break;
        default:
          code.addStatement("$T vMax = $T.max($L[i], v)", plan.format().computeType(), Math.class, array);
          break;
      }
    } else if (stage == Stage.STORE_STATE) {
      code.addStatement("$L[i] = vMax", array);
    }
    return code.build();
  }
}
