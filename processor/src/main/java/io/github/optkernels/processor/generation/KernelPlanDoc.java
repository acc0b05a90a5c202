package io.github.optkernels.processor.generation;

import io.github.optkernels.processor.generation.kernel.KernelFeature;
import io.github.optkernels.processor.generation.kernel.KernelPlan;
import io.github.optkernels.processor.generation.kernel.NumericFormat;
import io.github.optkernels.processor.model.OptimizerModel;
import java.util.List;

/** The per-element math of a spec, as the kernel features state it, for the optimizer's Javadoc. */
final class KernelPlanDoc {
  private final KernelPlan plan;

  KernelPlanDoc(OptimizerModel model) {
    // The math does not depend on the precision; DOUBLE is just a format to plan with.
    plan = new KernelPlan(model.structure(), NumericFormat.DOUBLE);
    for (KernelFeature feature : KernelGenerator.features()) {
      feature.plan(plan);
    }
  }

  List<String> lines() {
    return plan.math();
  }
}
