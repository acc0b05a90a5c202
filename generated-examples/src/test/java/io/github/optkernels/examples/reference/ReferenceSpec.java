package io.github.optkernels.examples.reference;

import io.github.optkernels.annotations.Amsgrad;
import io.github.optkernels.annotations.EpsPlacement;
import io.github.optkernels.annotations.FirstMoment;
import io.github.optkernels.annotations.MomentStorage;
import io.github.optkernels.annotations.Rectification;
import io.github.optkernels.annotations.RectifyThreshold;
import io.github.optkernels.annotations.SecondMoment;
import io.github.optkernels.annotations.WeightDecay;
import java.util.Objects;

/**
 * The structural choices of an {@code @Optimizer} spec that change what a step computes, for the
 * {@link ReferenceOptimizer}. Precision, Kahan summation and rounding are left out: the reference
 * computes in double and stores nothing in a narrower type.
 *
 * @param firstMoment plain EMA or NAdam's Nesterov momentum
 * @param secondMoment squared gradient or a belief rule
 * @param amsgrad whether and how the running maximum is taken
 * @param rectify RAdam rectification and its fallback before it engages
 * @param rectifyThreshold {@code ρ_t > 5} or {@code ρ_t ≥ 5}; ignored without rectification
 * @param epsPlacement where ε enters the denominator
 * @param momentStorage raw or bias-corrected stored state (changes {@link ReferenceOptimizer#state}, not the trajectory)
 * @param decay how the weight-decay coefficient acts
 * @param maximize whether the step uses {@code −g}
 */
public record ReferenceSpec(
    FirstMoment firstMoment,
    SecondMoment secondMoment,
    Amsgrad amsgrad,
    Rectification rectify,
    RectifyThreshold rectifyThreshold,
    EpsPlacement epsPlacement,
    MomentStorage momentStorage,
    WeightDecay decay,
    boolean maximize) {

  /** Rejects nulls: every choice has a meaning, there is no "unset". */
  public ReferenceSpec {
    Objects.requireNonNull(firstMoment, "firstMoment");
    Objects.requireNonNull(secondMoment, "secondMoment");
    Objects.requireNonNull(amsgrad, "amsgrad");
    Objects.requireNonNull(rectify, "rectify");
    Objects.requireNonNull(rectifyThreshold, "rectifyThreshold");
    Objects.requireNonNull(epsPlacement, "epsPlacement");
    Objects.requireNonNull(momentStorage, "momentStorage");
    Objects.requireNonNull(decay, "decay");
  }

  /** The {@code @Optimizer} defaults: plain Adam without weight decay. */
  public static ReferenceSpec defaults() {
    return new ReferenceSpec(FirstMoment.EMA, SecondMoment.SQUARED_GRADIENT, Amsgrad.OFF,
        Rectification.NONE, RectifyThreshold.RHO_ABOVE_5, EpsPlacement.OUTSIDE_CORRECTED_SQRT,
        MomentStorage.RAW, WeightDecay.NONE, false);
  }

  /**
   * The spec of a conformance variant: one line per row of the table "How the named variants map"
   * in {@code docs/SEMANTICS.md}, columns in the table's order, so the two can be compared by eye.
   * Variants without rectification ("–" in the threshold column) get the default threshold, which
   * they never consult.
   *
   * @throws IllegalArgumentException for a name that is not one of the ten variants
   */
  public static ReferenceSpec forVariant(String conformanceVariantName) {
    return switch (conformanceVariantName) {
      case "adam" -> row(FirstMoment.EMA, SecondMoment.SQUARED_GRADIENT, Amsgrad.OFF, Rectification.NONE,
          RectifyThreshold.RHO_ABOVE_5, EpsPlacement.OUTSIDE_CORRECTED_SQRT, MomentStorage.RAW, WeightDecay.L2);
      case "adamw" -> row(FirstMoment.EMA, SecondMoment.SQUARED_GRADIENT, Amsgrad.OFF, Rectification.NONE,
          RectifyThreshold.RHO_ABOVE_5, EpsPlacement.OUTSIDE_CORRECTED_SQRT, MomentStorage.RAW, WeightDecay.DECOUPLED);
      case "amsgrad" -> row(FirstMoment.EMA, SecondMoment.SQUARED_GRADIENT, Amsgrad.MAX_OF_RAW, Rectification.NONE,
          RectifyThreshold.RHO_ABOVE_5, EpsPlacement.OUTSIDE_CORRECTED_SQRT, MomentStorage.RAW, WeightDecay.L2);
      case "radam" -> row(FirstMoment.EMA, SecondMoment.SQUARED_GRADIENT, Amsgrad.OFF, Rectification.RADAM_SGD_FALLBACK,
          RectifyThreshold.RHO_ABOVE_5, EpsPlacement.OUTSIDE_RAW_SQRT, MomentStorage.RAW, WeightDecay.L2);
      case "radam_nosgd" -> row(FirstMoment.EMA, SecondMoment.SQUARED_GRADIENT, Amsgrad.OFF, Rectification.RADAM_SKIP_UPDATE,
          RectifyThreshold.RHO_ABOVE_5, EpsPlacement.OUTSIDE_RAW_SQRT, MomentStorage.RAW, WeightDecay.L2);
      case "radamw_fully_decoupled" -> row(FirstMoment.EMA, SecondMoment.SQUARED_GRADIENT, Amsgrad.OFF,
          Rectification.RADAM_SGD_FALLBACK, RectifyThreshold.RHO_ABOVE_5, EpsPlacement.OUTSIDE_CORRECTED_SQRT,
          MomentStorage.BIAS_CORRECTED, WeightDecay.FULLY_DECOUPLED);
      case "nadam" -> row(FirstMoment.NESTEROV, SecondMoment.SQUARED_GRADIENT, Amsgrad.OFF, Rectification.NONE,
          RectifyThreshold.RHO_ABOVE_5, EpsPlacement.OUTSIDE_CORRECTED_SQRT, MomentStorage.RAW, WeightDecay.L2);
      case "adabelief" -> row(FirstMoment.EMA, SecondMoment.BELIEF, Amsgrad.OFF, Rectification.RADAM_SGD_FALLBACK,
          RectifyThreshold.RHO_AT_LEAST_5, EpsPlacement.OUTSIDE_RAW_SQRT, MomentStorage.RAW, WeightDecay.DECOUPLED);
      case "adabelief_adam" -> row(FirstMoment.EMA, SecondMoment.BELIEF, Amsgrad.OFF, Rectification.NONE,
          RectifyThreshold.RHO_ABOVE_5, EpsPlacement.OUTSIDE_CORRECTED_SQRT, MomentStorage.RAW, WeightDecay.DECOUPLED);
      case "adabelief_amsgrad" -> row(FirstMoment.EMA, SecondMoment.BELIEF, Amsgrad.MAX_OF_RAW, Rectification.NONE,
          RectifyThreshold.RHO_ABOVE_5, EpsPlacement.OUTSIDE_CORRECTED_SQRT, MomentStorage.RAW, WeightDecay.DECOUPLED);
      default -> throw new IllegalArgumentException("not a conformance variant: " + conformanceVariantName);
    };
  }

  /** A table row; no named variant maximizes. */
  private static ReferenceSpec row(FirstMoment firstMoment, SecondMoment secondMoment, Amsgrad amsgrad,
      Rectification rectify, RectifyThreshold threshold, EpsPlacement epsPlacement, MomentStorage storage,
      WeightDecay decay) {
    return new ReferenceSpec(firstMoment, secondMoment, amsgrad, rectify, threshold, epsPlacement, storage, decay, false);
  }

  /** A copy with another first-moment rule. */
  public ReferenceSpec withFirstMoment(FirstMoment value) {
    return new ReferenceSpec(value, secondMoment, amsgrad, rectify, rectifyThreshold, epsPlacement, momentStorage, decay, maximize);
  }

  /** A copy with another second-moment rule. */
  public ReferenceSpec withSecondMoment(SecondMoment value) {
    return new ReferenceSpec(firstMoment, value, amsgrad, rectify, rectifyThreshold, epsPlacement, momentStorage, decay, maximize);
  }

  /** A copy with another AMSGrad choice. */
  public ReferenceSpec withAmsgrad(Amsgrad value) {
    return new ReferenceSpec(firstMoment, secondMoment, value, rectify, rectifyThreshold, epsPlacement, momentStorage, decay, maximize);
  }

  /** A copy with another rectification. */
  public ReferenceSpec withRectify(Rectification value) {
    return new ReferenceSpec(firstMoment, secondMoment, amsgrad, value, rectifyThreshold, epsPlacement, momentStorage, decay, maximize);
  }

  /** A copy with another rectification threshold. */
  public ReferenceSpec withRectifyThreshold(RectifyThreshold value) {
    return new ReferenceSpec(firstMoment, secondMoment, amsgrad, rectify, value, epsPlacement, momentStorage, decay, maximize);
  }

  /** A copy with another ε placement. */
  public ReferenceSpec withEpsPlacement(EpsPlacement value) {
    return new ReferenceSpec(firstMoment, secondMoment, amsgrad, rectify, rectifyThreshold, value, momentStorage, decay, maximize);
  }

  /** A copy with another moment storage. */
  public ReferenceSpec withMomentStorage(MomentStorage value) {
    return new ReferenceSpec(firstMoment, secondMoment, amsgrad, rectify, rectifyThreshold, epsPlacement, value, decay, maximize);
  }

  /** A copy with another weight-decay mode. */
  public ReferenceSpec withDecay(WeightDecay value) {
    return new ReferenceSpec(firstMoment, secondMoment, amsgrad, rectify, rectifyThreshold, epsPlacement, momentStorage, value, maximize);
  }

  /** A copy that maximizes (or not). */
  public ReferenceSpec withMaximize(boolean value) {
    return new ReferenceSpec(firstMoment, secondMoment, amsgrad, rectify, rectifyThreshold, epsPlacement, momentStorage, decay, value);
  }
}
