package io.github.optkernels.examples.faults;

import io.github.optkernels.examples.variants.half.AMSGradMixedKahan;
import io.github.optkernels.examples.variants.half.NAdamMixedKahan;
import io.github.optkernels.runtime.Bf16;
import io.github.optkernels.runtime.Fp16;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.LrSchedule;
import io.github.optkernels.runtime.ParamGroup;
import java.util.SplittableRandom;

/**
 * The subject of the checkpoint fault tests: a real generated 16-bit optimizer with as much state
 * as a small file can hold. A bf16 tensor in the default group and an fp16 tensor in a second
 * group, each with float32 moments and a Kahan buffer; the groups differ in hyperparameters and
 * schedule. Training is deterministic: the gradient of step {@code s} depends on the seed, the
 * step and the current parameters (as a loss's would), so two runs agree bit for bit exactly
 * when their parameters and optimizer state do.
 */
final class HalfSubject {
  /** Which generated optimizer: the one with the most state arrays, and the one with Π. */
  enum Kind {
    /** exp_avg, exp_avg_sq, max_exp_avg_sq (float32), kahan_comp (16-bit). */
    AMSGRAD_MIXED_KAHAN,
    /** exp_avg, exp_avg_sq (float32), kahan_comp (16-bit), and NAdam's momentum product Π per tensor. */
    NADAM_MIXED_KAHAN
  }

  /** Elements of the bf16 tensor (default group) and of the fp16 tensor (second group). */
  private static final int BF16_LENGTH = 3;
  private static final int FP16_LENGTH = 2;

  final KernelOptimizer optimizer;
  final short[] bf16Param = new short[BF16_LENGTH];
  final short[] bf16Grad = new short[BF16_LENGTH];
  final short[] fp16Param = new short[FP16_LENGTH];
  final short[] fp16Grad = new short[FP16_LENGTH];
  private final long seed;

  /** A fresh optimizer of {@code kind} (nothing stepped), parameters initialised from {@code seed}. */
  HalfSubject(Kind kind, long seed) {
    this.seed = seed;
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < BF16_LENGTH; i++) {
      bf16Param[i] = Bf16.fromFloat((float) (2 * random.nextDouble() - 1));
    }
    for (int i = 0; i < FP16_LENGTH; i++) {
      fp16Param[i] = Fp16.fromFloat((float) (2 * random.nextDouble() - 1));
    }
    switch (kind) {
      case AMSGRAD_MIXED_KAHAN: {
        AMSGradMixedKahan o = AMSGradMixedKahan.builder().lr(1e-2).weightDecay(0.01).build();
        ParamGroup second = o.addGroup(o.hyperparameters().withLr(3e-3).withBeta1(0.8).withWeightDecay(0));
        o.addBf16(bf16Param, bf16Grad).addFp16(second, fp16Param, fp16Grad);
        optimizer = o;
        break;
      }
      case NADAM_MIXED_KAHAN: {
        NAdamMixedKahan o = NAdamMixedKahan.builder().lr(1e-2).build();
        ParamGroup second = o.addGroup(o.hyperparameters().withLr(3e-3).withMomentumDecay(0.01));
        o.addBf16(bf16Param, bf16Grad).addFp16(second, fp16Param, fp16Grad);
        optimizer = o;
        break;
      }
      default:
        throw new AssertionError(kind);
    }
    optimizer.setSchedule(LrSchedule.warmupCosine(3, 40, 0.1));
    optimizer.groups().get(1).setSchedule(LrSchedule.explicit(3e-3, 1e-2, 5e-3, 2e-3));
  }

  /** Runs steps until the optimizer has finished {@code steps} of them. */
  HalfSubject trainTo(long steps) {
    while (optimizer.stepCount() < steps) {
      step();
    }
    return this;
  }

  /** One training step: this step's gradients, then {@link KernelOptimizer#step()}. */
  void step() {
    long s = optimizer.stepCount() + 1;
    SplittableRandom random = new SplittableRandom(seed * 1_000_003 + s);
    for (int i = 0; i < BF16_LENGTH; i++) {
      float p = Bf16.toFloat(bf16Param[i]);
      bf16Grad[i] = Bf16.fromFloat((float) (0.5 * p + random.nextDouble() - 0.5));
    }
    for (int i = 0; i < FP16_LENGTH; i++) {
      float p = Fp16.toFloat(fp16Param[i]);
      fp16Grad[i] = Fp16.fromFloat((float) (0.5 * p + random.nextDouble() - 0.5));
    }
    optimizer.step();
  }
}
