package io.github.optkernels.examples.rules;

import io.github.optkernels.annotations.Carried;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.PerStep;
import io.github.optkernels.annotations.Rule;
import io.github.optkernels.annotations.State;
import io.github.optkernels.annotations.WeightDecay;

/**
 * NAdam written as a rule: the product Π of the momentum schedule is a value carried from step to
 * step ({@code @Carried}); everything else as {@link AdamRuleSpec}.
 */
@Optimizer(decay = WeightDecay.L2, lr = 2e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, momentumDecay = 0.004)
public interface NAdamRuleSpec {

  @PerStep
  static double oneMinusBeta1(double beta1) {
    return 1 - beta1;
  }

  @PerStep
  static double oneMinusBeta2(double beta2) {
    return 1 - beta2;
  }

  @PerStep
  static double sqrtBc2(long t, double beta2) {
    return Math.sqrt(1 - Math.pow(beta2, t));
  }

  @PerStep
  static double epsTerm(double eps, double sqrtBc2) {
    return eps * sqrtBc2;
  }

  @PerStep
  static double mu(long t, double beta1, double momentumDecay) {
    return beta1 * (1 - 0.5 * Math.pow(0.96, t * momentumDecay));
  }

  @PerStep
  static double muNext(long t, double beta1, double momentumDecay) {
    return beta1 * (1 - 0.5 * Math.pow(0.96, (t + 1) * momentumDecay));
  }

  @PerStep
  @Carried(initial = 1)
  static double muProduct(double muProduct, double mu) {
    return muProduct * mu;
  }

  @PerStep
  static double gradStepSize(double lr, double sqrtBc2, double mu, double muProduct) {
    return lr * sqrtBc2 * ((1 - mu) / (1 - muProduct));
  }

  @PerStep
  static double momentumStepSize(double lr, double sqrtBc2, double muNext, double muProduct) {
    return lr * sqrtBc2 * (muNext / (1 - muProduct * muNext));
  }

  @Rule
  static float update(float g, @State("exp_avg") float m, @State("exp_avg_sq") float v, float beta1,
      float oneMinusBeta1, float beta2, float oneMinusBeta2, float epsTerm, float gradStepSize,
      float momentumStepSize) {
    m = beta1 * m + oneMinusBeta1 * g;
    v = beta2 * v + oneMinusBeta2 * g * g;
    float d = (float) Math.sqrt(v) + epsTerm;
    return -(gradStepSize * g + momentumStepSize * m) / d;
  }
}
