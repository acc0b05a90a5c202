package io.github.optkernels.cluster.specs;

import io.github.optkernels.annotations.FirstMoment;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.WeightDecay;

/** {@code torch.optim.NAdam} (PyTorch ≥ 2.0 formula): Nesterov momentum with ψ = 0.004, torch's lr 2e-3. */
@Optimizer(firstMoment = FirstMoment.NESTEROV, decay = WeightDecay.L2, lr = 2e-3, beta1 = 0.9,
    beta2 = 0.999, eps = 1e-8, momentumDecay = 0.004)
public interface NAdamSpec {}
