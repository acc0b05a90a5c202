package io.github.optkernels.examples.variants;

import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.SecondMoment;
import io.github.optkernels.annotations.WeightDecay;

/** adabelief-pytorch 0.2.1 with {@code rectify=False}: Adam's update on the belief second moment. */
@Optimizer(secondMoment = SecondMoment.BELIEF, decay = WeightDecay.DECOUPLED, lr = 1e-3,
    beta1 = 0.9, beta2 = 0.999, eps = 1e-16)
public interface AdaBeliefAdamSpec {}
