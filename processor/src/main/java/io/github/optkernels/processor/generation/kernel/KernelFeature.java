package io.github.optkernels.processor.generation.kernel;

import com.palantir.javapoet.CodeBlock;
import io.github.optkernels.processor.model.Phase;

/**
 * One concern of the kernel (weight decay, a moment rule, AMSGrad, ...). The skeleton asks every
 * feature for its contributions; a feature that has nothing to say for a stage or phase returns
 * an empty block.
 */
public interface KernelFeature {

  /** Declares per-step scalars, {@code prepare} code, step-size factors, extra members and doc lines. */
  void plan(KernelPlan plan);

  /** Statements for {@code stage} of the loop that runs in {@code phase}; empty if none. */
  CodeBlock element(Stage stage, Phase phase, KernelPlan plan);

  /**
   * The buffers ({@code param}, {@code grad}, a state array by its local name) that this
   * feature's statements read or write in the loop of {@code phase}. A 16-bit kernel widens a
   * block of exactly those it reads and narrows exactly those it writes, so a feature that
   * touches a buffer says so here. Most features touch none.
   */
  default void buffers(Phase phase, KernelPlan plan, BufferUse use) {}
}
