package io.github.optkernels.examples.demo;

import io.github.optkernels.examples.variants.AMSGrad;
import io.github.optkernels.examples.variants.AdaBelief;
import io.github.optkernels.examples.variants.Adam;
import io.github.optkernels.examples.variants.AdamW;
import io.github.optkernels.examples.variants.NAdam;
import io.github.optkernels.examples.variants.RAdam;
import io.github.optkernels.examples.variants.half.AMSGradMixedKahan;
import io.github.optkernels.examples.variants.half.AdaBeliefMixedKahan;
import io.github.optkernels.examples.variants.half.AdamMixedKahan;
import io.github.optkernels.examples.variants.half.AdamWMixedKahan;
import io.github.optkernels.examples.variants.half.NAdamMixedKahan;
import io.github.optkernels.examples.variants.half.RAdamMixedKahan;
import io.github.optkernels.examples.rules.Adan;
import io.github.optkernels.examples.rules.AdanMixedKahan;
import io.github.optkernels.examples.rules.Lamb;
import io.github.optkernels.examples.rules.LambMixedKahan;
import io.github.optkernels.examples.rules.Lion;
import io.github.optkernels.examples.rules.LionMixedKahan;
import io.github.optkernels.examples.rules.ScheduleFreeAdamW;
import io.github.optkernels.examples.rules.ScheduleFreeAdamWMixed;
import io.github.optkernels.runtime.KernelOptimizer;
import java.util.function.BiConsumer;
import java.util.function.DoubleFunction;

/**
 * The generated optimizers the digits model is trained with. Each is built through its generated
 * builder with the spec's defaults (betas, ε, weight decay; see {@code variants/}) and the demo's
 * learning rate, so the runs differ only in the update rule.
 *
 * <p>For bf16 parameters each has a twin in {@code variants/half}, its {@code MixedKahan} spec:
 * the same structure and defaults, with bf16 parameters and gradients, float32 moments and
 * Kahan-compensated updates ({@code PrecisionTest} holds the twins to that).
 */
enum TrainedOptimizer {
  ADAM("Adam", lr -> Adam.builder().lr(lr).build(),
      lr -> bf16(AdamMixedKahan.builder().lr(lr).build(), AdamMixedKahan::addBf16)),
  ADAMW("AdamW", lr -> AdamW.builder().lr(lr).build(),
      lr -> bf16(AdamWMixedKahan.builder().lr(lr).build(), AdamWMixedKahan::addBf16)),
  AMSGRAD("AMSGrad", lr -> AMSGrad.builder().lr(lr).build(),
      lr -> bf16(AMSGradMixedKahan.builder().lr(lr).build(), AMSGradMixedKahan::addBf16)),
  RADAM("RAdam", lr -> RAdam.builder().lr(lr).build(),
      lr -> bf16(RAdamMixedKahan.builder().lr(lr).build(), RAdamMixedKahan::addBf16)),
  ADABELIEF("AdaBelief", lr -> AdaBelief.builder().lr(lr).build(),
      lr -> bf16(AdaBeliefMixedKahan.builder().lr(lr).build(), AdaBeliefMixedKahan::addBf16)),
  NADAM("NAdam", lr -> NAdam.builder().lr(lr).build(),
      lr -> bf16(NAdamMixedKahan.builder().lr(lr).build(), NAdamMixedKahan::addBf16)),
  // the families written as rules (examples.rules), and one rule of the demo's own (LaPropSpec).
  // Lion's sign update moves every weight by the full lr, so it is run at a third of it, as its
  // authors advise (3-10x smaller than AdamW's).
  LION("Lion", lr -> Lion.builder().lr(lr / 3).build(),
      lr -> bf16(LionMixedKahan.builder().lr(lr / 3).build(), LionMixedKahan::addBf16)),
  ADAN("Adan", lr -> Adan.builder().lr(lr).build(),
      lr -> bf16(AdanMixedKahan.builder().lr(lr).build(), AdanMixedKahan::addBf16)),
  LAMB("LAMB", lr -> Lamb.builder().lr(lr).build(),
      lr -> bf16(LambMixedKahan.builder().lr(lr).build(), LambMixedKahan::addBf16)),
  // trains at y (the parameters) and is evaluated at x (TrainingExperiment switches); its bf16 twin
  // has no Kahan buffer: its rule sets the parameter from float32 x and z, which are the accumulators
  SCHEDULE_FREE_ADAMW("Schedule-free AdamW", lr -> ScheduleFreeAdamW.builder().lr(lr).build(),
      lr -> bf16(ScheduleFreeAdamWMixed.builder().lr(lr).build(), ScheduleFreeAdamWMixed::addBf16)),
  LAPROP("LaProp (demo's rule)", lr -> LaProp.builder().lr(lr).build(),
      lr -> bf16(LaPropMixedKahan.builder().lr(lr).build(), LaPropMixedKahan::addBf16));

  private final String displayName;
  private final DoubleFunction<KernelOptimizer> factory;
  private final DoubleFunction<Bf16Optimizer> bf16Factory;

  TrainedOptimizer(String displayName, DoubleFunction<KernelOptimizer> factory,
      DoubleFunction<Bf16Optimizer> bf16Factory) {
    this.displayName = displayName;
    this.factory = factory;
    this.bf16Factory = bf16Factory;
  }

  String displayName() {
    return displayName;
  }

  /** A new optimizer for float32 tensors, with no tensors, learning rate {@code lr}. */
  KernelOptimizer create(double lr) {
    return factory.apply(lr);
  }

  /** A new optimizer for bf16 tensors (the {@code MixedKahan} twin), no tensors, learning rate {@code lr}. */
  Bf16Optimizer createBf16(double lr) {
    return bf16Factory.apply(lr);
  }

  /** Puts {@code optimizer}'s evaluation point into its parameters, if it has one (schedule-free AdamW). */
  static void useEvaluationPoint(KernelOptimizer optimizer) {
    if (optimizer instanceof ScheduleFreeAdamW o) {
      o.useEvaluationPoint();
    } else if (optimizer instanceof ScheduleFreeAdamWMixed o) {
      o.useEvaluationPoint();
    }
  }

  /** Puts the training point back (after {@link #useEvaluationPoint}). */
  static void useTrainingPoint(KernelOptimizer optimizer) {
    if (optimizer instanceof ScheduleFreeAdamW o) {
      o.useTrainingPoint();
    } else if (optimizer instanceof ScheduleFreeAdamWMixed o) {
      o.useTrainingPoint();
    }
  }

  /**
   * A bf16 optimizer and its {@code addBf16}. That method is on each generated class, not on
   * {@link KernelOptimizer}: the twins also have fp16 kernels, and both formats are
   * {@code short[]}, so the untyped {@code add(Object, Object)} refuses {@code short[]}.
   */
  record Bf16Optimizer(KernelOptimizer optimizer, BiConsumer<short[], short[]> addBf16) {}

  /** {@code T::addBf16}, where {@code T} is a generated optimizer class. */
  private interface AddBf16<T> {
    void add(T optimizer, short[] param, short[] grad);
  }

  private static <T extends KernelOptimizer> Bf16Optimizer bf16(T optimizer, AddBf16<T> add) {
    return new Bf16Optimizer(optimizer, (param, grad) -> add.add(optimizer, param, grad));
  }
}
