package io.github.optkernels.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** An optimizer whose {@code float[]} tensors get a {@link NormScaledKernel}: sums and carried values. */
final class NormScaledOptimizer extends KernelOptimizer {
  static final SpecInfo SPEC = new SpecInfo("TestNormScaled", "test.TestNormScaledSpec", "rule=NORM_SCALED",
      List.of("m"), Set.of(Hyperparameter.LR, Hyperparameter.BETA1, Hyperparameter.BETA2, Hyperparameter.EPS,
          Hyperparameter.WEIGHT_DECAY, Hyperparameter.VARIANCE_WARMUP_STEPS));
  static final Hyperparameters H = new Hyperparameters(0.01, 0.9, 0.999, 1e-8, 0, 0, Double.NaN, 0.004, 0);

  /** Every kernel this optimizer made, in registration order. */
  final List<NormScaledKernel> kernels = new ArrayList<>();

  NormScaledOptimizer() {
    super(SPEC, H);
  }

  @Override
  protected StepKernel newKernel(Class<?> bufferType) {
    if (bufferType != float[].class) {
      return null;
    }
    NormScaledKernel kernel = new NormScaledKernel();
    kernels.add(kernel);
    return kernel;
  }
}
