package io.github.optkernels.runtime;

import java.util.List;
import java.util.Set;

/**
 * What a generated optimizer is: its name, the spec it came from, its structural choices in a
 * canonical form (the spec's identity) and which hyperparameters it uses.
 */
public final class SpecInfo {
  private final String name;
  private final String specClass;
  private final String structure;
  private final List<String> stateNames;
  private final Set<Hyperparameter> usedHyperparameters;

  /**
   * @param name the generated optimizer's name, e.g. {@code AdamW}
   * @param specClass canonical name of the annotated interface
   * @param structure canonical {@code member=VALUE,...} string of every structural choice
   * @param stateNames per-element state names in slot order
   * @param usedHyperparameters the hyperparameters this spec reads
   */
  public SpecInfo(String name, String specClass, String structure, List<String> stateNames,
      Set<Hyperparameter> usedHyperparameters) {
    this.name = name;
    this.specClass = specClass;
    this.structure = structure;
    this.stateNames = List.copyOf(stateNames);
    this.usedHyperparameters = Set.copyOf(usedHyperparameters);
  }

  /** The generated optimizer's name. */
  public String name() {
    return name;
  }

  /** Canonical name of the annotated spec interface. */
  public String specClass() {
    return specClass;
  }

  /** Canonical form of every structural choice; two specs with equal strings compute the same thing. */
  public String structure() {
    return structure;
  }

  /** Per-element state names in slot order. */
  public List<String> stateNames() {
    return stateNames;
  }

  /** The hyperparameters this spec reads. */
  public Set<Hyperparameter> usedHyperparameters() {
    return usedHyperparameters;
  }

  /**
   * Rejects hyperparameters that this spec would silently ignore: a non-zero weight decay without
   * a decay mode, an ε_root without the inside-sqrt placement, a {@code max_lr} without fully
   * decoupled decay, an Adam-2k warm-up for a rule that does not read one. Fully decoupled decay may leave {@code max_lr} unset (NaN): a parameter group
   * then uses its schedule's peak learning rate ({@link ParamGroup#maxLr()}); a caller who
   * prepares a kernel directly sets it. Also rejects values that lack a hyperparameter the spec
   * reads (one the spec declares, when {@code h} was built without it).
   *
   * @throws IllegalArgumentException naming the hyperparameter
   */
  public void check(Hyperparameters h) {
    for (Hyperparameter used : usedHyperparameters) {
      if (!h.has(used)) {
        throw new IllegalArgumentException(name + " reads the hyperparameter " + used + " (" + used.description()
            + "), which these hyperparameters do not have: " + h);
      }
    }
    if (h.weightDecay() != 0 && !usedHyperparameters.contains(Hyperparameter.WEIGHT_DECAY)) {
      throw new IllegalArgumentException(name + " has no weight decay (spec " + specClass
          + " has decay = NONE), but weightDecay = " + h.weightDecay());
    }
    if (h.epsRoot() != 0 && !usedHyperparameters.contains(Hyperparameter.EPS_ROOT)) {
      throw new IllegalArgumentException(name + " does not use epsRoot (spec " + specClass
          + " does not place eps inside the sqrt), but epsRoot = " + h.epsRoot());
    }
    if (h.varianceWarmupSteps() != 0 && !usedHyperparameters.contains(Hyperparameter.VARIANCE_WARMUP_STEPS)) {
      throw new IllegalArgumentException(name + " has no Adam-2k warm-up (spec " + specClass
          + " is a rule that does not read varianceWarmupSteps), but varianceWarmupSteps = "
          + h.varianceWarmupSteps());
    }
    if (!usedHyperparameters.contains(Hyperparameter.MAX_LR) && !Double.isNaN(h.maxLr())) {
      throw new IllegalArgumentException(name + " does not use maxLr (spec " + specClass
          + " is not fully decoupled), but maxLr = " + h.maxLr());
    }
  }

  @Override
  public String toString() {
    return name + " (" + specClass + "): " + structure;
  }
}
