package io.github.optkernels.cluster;

import io.github.optkernels.runtime.KernelOptimizer;
import java.util.function.Supplier;

/** The single-process optimizer fed the reduced gradient of W workers: what a sharded run must equal. */
final class ReferenceRun {
  final KernelOptimizer optimizer;
  final Object[] params = new Object[Workload.TENSORS];
  final Object[] grads = new Object[Workload.TENSORS];
  private final int workers;
  private final GradientReduction reduction;

  ReferenceRun(Supplier<KernelOptimizer> factory, int workers, GradientReduction reduction) {
    this.optimizer = factory.get();
    this.workers = workers;
    this.reduction = reduction;
    for (int k = 0; k < Workload.TENSORS; k++) {
      params[k] = Workload.initialParam(k);
      grads[k] = Workload.newArray(k);
      optimizer.groups().get(Workload.group(k)).add(params[k], grads[k]);
    }
  }

  /** Takes step {@code step} (1, 2, ...). */
  void step(long step) {
    for (int k = 0; k < Workload.TENSORS; k++) {
      Workload.fillReduced(grads[k], k, step, workers, reduction);
    }
    optimizer.step();
  }
}
