package io.github.optkernels.processor.model;

import io.github.optkernels.annotations.Amsgrad;
import io.github.optkernels.annotations.EpsPlacement;
import io.github.optkernels.annotations.FirstMoment;
import io.github.optkernels.annotations.MomentStorage;
import io.github.optkernels.annotations.Rectification;
import io.github.optkernels.annotations.RectifyThreshold;
import io.github.optkernels.annotations.SecondMoment;
import io.github.optkernels.annotations.WeightDecay;
import io.github.optkernels.runtime.Hyperparameter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every structural choice of a spec: what the kernel computes, independent of precision.
 *
 * @param firstMoment EMA or Nesterov
 * @param secondMoment squared gradient or belief
 * @param amsgrad running maximum, and of which form
 * @param rectify RAdam rectification mode
 * @param rectifyThreshold {@code >} or {@code ≥} 5; normalised to RHO_ABOVE_5 when rectify is NONE
 * @param epsPlacement where ε sits
 * @param momentStorage raw or bias-corrected state
 * @param decay weight-decay mode
 * @param maximize ascend instead of descend
 * @param rule the rule the user wrote, or null for the built-in Adam family (whose members
 *     above then say what it computes; with a rule only {@code decay} and {@code maximize} count)
 */
public record Structure(
    FirstMoment firstMoment,
    SecondMoment secondMoment,
    Amsgrad amsgrad,
    Rectification rectify,
    RectifyThreshold rectifyThreshold,
    EpsPlacement epsPlacement,
    MomentStorage momentStorage,
    WeightDecay decay,
    boolean maximize,
    RuleModel rule) {

  /** Normalises choices that have no effect, so equal math gives equal structures. */
  public Structure {
    if (rectify == Rectification.NONE) {
      rectifyThreshold = RectifyThreshold.RHO_ABOVE_5;
    }
  }

  /** A structure of the built-in family. */
  public Structure(FirstMoment firstMoment, SecondMoment secondMoment, Amsgrad amsgrad,
      Rectification rectify, RectifyThreshold rectifyThreshold, EpsPlacement epsPlacement,
      MomentStorage momentStorage, WeightDecay decay, boolean maximize) {
    this(firstMoment, secondMoment, amsgrad, rectify, rectifyThreshold, epsPlacement, momentStorage,
        decay, maximize, null);
  }

  /** Whether the user wrote the rule (else it is the built-in family's). */
  public boolean hasRule() {
    return rule != null;
  }

  public boolean isBelief() {
    return secondMoment != SecondMoment.SQUARED_GRADIENT;
  }

  public boolean hasMaximum() {
    return amsgrad != Amsgrad.OFF;
  }

  public boolean storesCorrected() {
    return momentStorage == MomentStorage.BIAS_CORRECTED;
  }

  /**
   * Whether the quantity under the denominator's square root is an uncorrected second moment
   * (so the kernel folds {@code 1/sqrt(bc2)} into the step size) rather than an already
   * corrected one.
   */
  public boolean denominatorReadsRawMoment() {
    return !storesCorrected() && amsgrad != Amsgrad.MAX_OF_CORRECTED;
  }

  /** Name of the second-moment state. */
  public String secondMomentState() {
    return isBelief() ? "exp_avg_var" : "exp_avg_sq";
  }

  /** Name of the AMSGrad maximum state. */
  public String maximumState() {
    return "max_" + secondMomentState();
  }

  /** Per-element state names in slot order. */
  public List<String> stateNames() {
    if (hasRule()) {
      return rule.stateNames();
    }
    List<String> names = new ArrayList<>();
    names.add("exp_avg");
    names.add(secondMomentState());
    if (hasMaximum()) {
      names.add(maximumState());
    }
    return List.copyOf(names);
  }

  /** The loops a kernel of this structure needs. */
  public List<Phase> phases() {
    if (hasRule()) {
      return List.of(Phase.ADAPTIVE);
    }
    List<Phase> phases = new ArrayList<>();
    phases.add(Phase.VARIANCE_WARMUP);
    if (rectify == Rectification.RADAM_SKIP_UPDATE) {
      phases.add(Phase.MOMENTS_ONLY);
    }
    if (rectify == Rectification.RADAM_SGD_FALLBACK) {
      phases.add(Phase.UNADAPTED);
    }
    phases.add(Phase.ADAPTIVE);
    return List.copyOf(phases);
  }

  /** Run-time hyperparameters this structure reads, in {@link Hyperparameter#BUILT_IN} order. */
  public Set<Hyperparameter> usedHyperparameters() {
    if (hasRule()) {
      Set<Hyperparameter> used = new LinkedHashSet<>();
      for (Hyperparameter h : Hyperparameter.BUILT_IN) {
        if (h.equals(Hyperparameter.LR) || rule.usedBuiltIns().contains(h)
            || (h.equals(Hyperparameter.WEIGHT_DECAY) && decay != WeightDecay.NONE)
            || (h.equals(Hyperparameter.MAX_LR) && decay == WeightDecay.FULLY_DECOUPLED)) {
          used.add(h);
        }
      }
      return used;
    }
    Set<Hyperparameter> used = new LinkedHashSet<>(
        List.of(Hyperparameter.LR, Hyperparameter.BETA1, Hyperparameter.BETA2, Hyperparameter.EPS));
    if (epsPlacement == EpsPlacement.INSIDE_CORRECTED_SQRT) {
      used.add(Hyperparameter.EPS_ROOT);
    }
    if (decay != WeightDecay.NONE) {
      used.add(Hyperparameter.WEIGHT_DECAY);
    }
    if (decay == WeightDecay.FULLY_DECOUPLED) {
      used.add(Hyperparameter.MAX_LR);
    }
    if (firstMoment == FirstMoment.NESTEROV) {
      used.add(Hyperparameter.MOMENTUM_DECAY);
    }
    used.add(Hyperparameter.VARIANCE_WARMUP_STEPS);
    return used;
  }

  /** Canonical {@code member=VALUE,...} form: the spec's identity (checkpoints compare it). */
  public String canonical() {
    if (hasRule()) {
      return "rule=" + String.join("+", rule.stateNames()) + ",ruleSource=" + rule.sourceDigest()
          + ",decay=" + decay + ",maximize=" + maximize;
    }
    return "firstMoment=" + firstMoment + ",secondMoment=" + secondMoment + ",amsgrad=" + amsgrad
        + ",rectify=" + rectify + ",rectifyThreshold=" + rectifyThreshold
        + ",epsPlacement=" + epsPlacement + ",momentStorage=" + momentStorage + ",decay=" + decay
        + ",maximize=" + maximize;
  }
}
