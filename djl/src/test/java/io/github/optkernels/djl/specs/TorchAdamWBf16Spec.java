package io.github.optkernels.djl.specs;

import io.github.optkernels.annotations.Kahan;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.Precision;
import io.github.optkernels.annotations.WeightDecay;

/**
 * {@link TorchAdamWSpec}'s AdamW with 16-bit parameters and float32 moments, for float32 weights
 * held as bf16 ({@code ParameterMemory.BF16_COPIES}): Kahan-compensated updates (the 16-bit
 * default; bf16 and fp16 kernels, so only the format named at registration tells them apart) and
 * updates rounded to nearest.
 */
public final class TorchAdamWBf16Spec {
  private TorchAdamWBf16Spec() {}

  @Optimizer(name = "TorchAdamWBf16Kahan", decay = WeightDecay.DECOUPLED, lr = 1e-3, beta1 = 0.9, beta2 = 0.999,
      eps = 1e-8, weightDecay = 0.01, precisions = {Precision.BFLOAT16, Precision.FLOAT16})
  public interface Kahan16 {}

  @Optimizer(name = "TorchAdamWBf16Nearest", decay = WeightDecay.DECOUPLED, lr = 1e-3, beta1 = 0.9, beta2 = 0.999,
      eps = 1e-8, weightDecay = 0.01, precisions = Precision.BFLOAT16, kahan = Kahan.OFF)
  public interface Nearest {}
}
