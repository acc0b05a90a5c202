package io.github.optkernels.processor.generation.kernel;

import com.palantir.javapoet.CodeBlock;
import io.github.optkernels.processor.model.Phase;

/** Writes the parameter once per element: the decayed parameter plus the step's update. */
public final class ParameterStoreFeature implements KernelFeature {

  @Override
  public void plan(KernelPlan plan) {}

  @Override
  public CodeBlock element(Stage stage, Phase phase, KernelPlan plan) {
    if (stage == Stage.STORE_PARAM && phase.changesParameter()) {
      return CodeBlock.builder().addStatement("param[i] = p + u").build();
    }
    return CodeBlock.of("");
  }
}
