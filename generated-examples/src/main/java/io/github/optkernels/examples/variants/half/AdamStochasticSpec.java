package io.github.optkernels.examples.variants.half;

import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.ParamRounding;
import io.github.optkernels.annotations.Precision;
import io.github.optkernels.annotations.WeightDecay;

/**
 * {@code adam} with bf16 and fp16 parameters, float32 moments and stochastically rounded parameter
 * stores (which replaces Kahan compensation: {@code kahan = AUTO} is off with stochastic rounding).
 * The random bits are a hash of (seed, step, element index); the builder's {@code seed(long)}
 * chooses the seed.
 */
@Optimizer(decay = WeightDecay.L2, lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8,
    precisions = {Precision.BFLOAT16, Precision.FLOAT16}, rounding = ParamRounding.STOCHASTIC)
public interface AdamStochasticSpec {}
