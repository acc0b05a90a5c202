package io.github.optkernels.examples.handwritten;

import io.github.optkernels.runtime.Hyperparameter;
import io.github.optkernels.runtime.Hyperparameter.Domain;
import java.util.List;

/**
 * The numbers of the later families that are not built-in hyperparameters, declared the way a
 * spec declares its own ({@link Hyperparameter#declare}), so one
 * {@link io.github.optkernels.runtime.Hyperparameters} built with {@link #declaredBy} carries them
 * to the hand-written loops. Two hyperparameters are equal when name and domain are: values built
 * with a generated spec's constants of the same name and domain serve these loops too.
 */
public final class HandHyperparameters {
  /** Adan's third decay {@code β3}, the weight on the old {@code n} (the code's convention). */
  public static final Hyperparameter BETA3 =
      Hyperparameter.declare("beta3", Domain.UNIT_INTERVAL, "Adan's third decay β3, in [0, 1)");
  /** SGD's momentum coefficient {@code μ}. */
  public static final Hyperparameter MOMENTUM =
      Hyperparameter.declare("momentum", Domain.UNIT_INTERVAL, "momentum coefficient μ, in [0, 1)");
  /** SGD's dampening of the gradient in the buffer update (torch allows 1, which freezes it). */
  public static final Hyperparameter DAMPENING =
      Hyperparameter.declare("dampening", Domain.NON_NEGATIVE, "dampening of the momentum buffer's gradient term");
  /** Schedule-Free's linear warm-up length, in steps. */
  public static final Hyperparameter WARMUP_STEPS =
      Hyperparameter.declare("warmupSteps", Domain.COUNT, "Schedule-Free's warm-up length in steps");
  /** Schedule-Free's power of {@code t} in the averaging weight. */
  public static final Hyperparameter R =
      Hyperparameter.declare("r", Domain.NON_NEGATIVE, "Schedule-Free's power of t in the averaging weight");
  /** Schedule-Free's power of {@code lr_max} in the averaging weight. */
  public static final Hyperparameter WEIGHT_LR_POWER = Hyperparameter.declare("weightLrPower",
      Domain.NON_NEGATIVE, "Schedule-Free's power of lr_max in the averaging weight");

  private HandHyperparameters() {}

  /**
   * What {@code variant} declares beyond the built-in hyperparameters, for
   * {@link io.github.optkernels.runtime.Hyperparameters#builder(List)}; empty for the rest.
   */
  public static List<Hyperparameter> declaredBy(String variant) {
    switch (variant) {
      case "adan":
        return List.of(BETA3);
      case "sgd_momentum":
      case "sgd_nesterov":
        return List.of(MOMENTUM, DAMPENING);
      case "schedulefree_adamw":
        return List.of(WARMUP_STEPS, R, WEIGHT_LR_POWER);
      default:
        return List.of();
    }
  }
}
