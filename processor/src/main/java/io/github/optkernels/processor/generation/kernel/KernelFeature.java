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
}
