package com.example.consumer;

import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.WeightDecay;

/** A user's own spec: AdamW with a larger default learning rate. */
@Optimizer(decay = WeightDecay.DECOUPLED, lr = 0.1, weightDecay = 0.01)
interface MyAdamSpec {}
