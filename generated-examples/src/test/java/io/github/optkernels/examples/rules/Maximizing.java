package io.github.optkernels.examples.rules;

import io.github.optkernels.annotations.Amsgrad;
import io.github.optkernels.annotations.MomentStorage;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.Rectification;
import io.github.optkernels.annotations.WeightDecay;

/**
 * Two variants with {@code maximize = true}, built in and as rules (each rule spec takes its rule
 * from the spec it extends): the gradient's sign is the skeleton's, before L2 decay, for a rule as
 * for the built-in family. No conformance case maximizes, so {@link RulesMatchBuiltInsTest} runs
 * these pairs against each other on the cases of the variants they maximize.
 */
final class Maximizing {
  private Maximizing() {}

  /** {@code variants.AMSGradSpec}, maximizing. */
  @Optimizer(name = "AMSGradMaximizing", maximize = true, amsgrad = Amsgrad.MAX_OF_RAW,
      decay = WeightDecay.L2, lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8)
  interface AMSGrad {}

  /**
   * {@link AMSGradRuleSpec}, maximizing (a rule is read from source, so the spec it extends is one
   * of these test sources; {@code AdamRuleSpec} is compiled with the main sources).
   */
  @Optimizer(name = "AMSGradRuleMaximizing", maximize = true, decay = WeightDecay.L2, lr = 1e-3,
      beta1 = 0.9, beta2 = 0.999, eps = 1e-8)
  interface AMSGradAsRule extends AMSGradRuleSpec {}

  /** {@code variants.RAdamWFullyDecoupledSpec}, maximizing. */
  @Optimizer(name = "RAdamWFullyDecoupledMaximizing", maximize = true,
      rectify = Rectification.RADAM_SGD_FALLBACK, momentStorage = MomentStorage.BIAS_CORRECTED,
      decay = WeightDecay.FULLY_DECOUPLED, lr = 1e-3, beta1 = 0.9, beta2 = 0.99, eps = 1e-6,
      weightDecay = 1e-5)
  interface RAdamWFullyDecoupled {}

  /** {@link RAdamWFullyDecoupledRuleSpec}, maximizing. */
  @Optimizer(name = "RAdamWFullyDecoupledRuleMaximizing", maximize = true,
      decay = WeightDecay.FULLY_DECOUPLED, lr = 1e-3, beta1 = 0.9, beta2 = 0.99, eps = 1e-6,
      weightDecay = 1e-5)
  interface RAdamWFullyDecoupledAsRule extends RAdamWFullyDecoupledRuleSpec {}
}
