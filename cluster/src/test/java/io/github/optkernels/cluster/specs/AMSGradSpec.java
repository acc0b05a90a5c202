package io.github.optkernels.cluster.specs;

import io.github.optkernels.annotations.Amsgrad;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.WeightDecay;

/** {@code torch.optim.Adam(amsgrad=True)}: the running maximum is kept on the uncorrected second moment. */
@Optimizer(amsgrad = Amsgrad.MAX_OF_RAW, decay = WeightDecay.L2, lr = 1e-3, beta1 = 0.9,
    beta2 = 0.999, eps = 1e-8)
public interface AMSGradSpec {}
