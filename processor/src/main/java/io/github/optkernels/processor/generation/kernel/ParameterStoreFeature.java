package io.github.optkernels.processor.generation.kernel;

import com.palantir.javapoet.CodeBlock;
import io.github.optkernels.processor.model.Phase;

/**
 * Writes the parameter once per element: the decayed parameter plus the step's update. In a
 * 16-bit kernel this is the float32 block; the block's store then rounds it (nearest even,
 * stochastically, or Kahan-compensated with {@code u} recovered as new − old), which is why the
 * decoupled decay is part of the compensated update there.
 */
public final class ParameterStoreFeature implements KernelFeature {

  @Override
  public void plan(KernelPlan plan) {}

  @Override
  public void buffers(Phase phase, KernelPlan plan, BufferUse use) {
    if (phase.changesParameter()) {
      use.writes("param");
    }
  }

  @Override
  public CodeBlock element(Stage stage, Phase phase, KernelPlan plan) {
    if (stage == Stage.STORE_PARAM && phase.changesParameter()) {
      return CodeBlock.builder().addStatement("param[i] = p + u").build();
    }
    return CodeBlock.of("");
  }
}
