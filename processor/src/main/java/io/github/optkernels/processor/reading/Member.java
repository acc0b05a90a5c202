package io.github.optkernels.processor.reading;

import io.github.optkernels.runtime.Hyperparameter;
import java.util.ArrayList;
import java.util.List;

/**
 * The members of {@code @Optimizer}, by their Java names. A numeric member is the default of a
 * run-time hyperparameter and takes its name from the runtime's {@link Hyperparameter}, the one
 * place hyperparameter names are spelled; the structural members are spelled here.
 */
public enum Member {
  NAME("name"),
  FIRST_MOMENT("firstMoment"),
  SECOND_MOMENT("secondMoment"),
  AMSGRAD("amsgrad"),
  RECTIFY("rectify"),
  RECTIFY_THRESHOLD("rectifyThreshold"),
  EPS_PLACEMENT("epsPlacement"),
  MOMENT_STORAGE("momentStorage"),
  DECAY("decay"),
  MAXIMIZE("maximize"),
  PRECISIONS("precisions"),
  STATE_PRECISION("statePrecision"),
  KAHAN("kahan"),
  ROUNDING("rounding"),
  LR(Hyperparameter.LR),
  BETA1(Hyperparameter.BETA1),
  BETA2(Hyperparameter.BETA2),
  EPS(Hyperparameter.EPS),
  EPS_ROOT(Hyperparameter.EPS_ROOT),
  WEIGHT_DECAY(Hyperparameter.WEIGHT_DECAY),
  MAX_LR(Hyperparameter.MAX_LR),
  MOMENTUM_DECAY(Hyperparameter.MOMENTUM_DECAY),
  VARIANCE_WARMUP_STEPS(Hyperparameter.VARIANCE_WARMUP_STEPS);

  private final String javaName;
  /** The hyperparameter whose default this member is; null for a structural member. */
  private final Hyperparameter hyperparameter;

  Member(String javaName) {
    this.javaName = javaName;
    this.hyperparameter = null;
  }

  Member(Hyperparameter hyperparameter) {
    this.javaName = hyperparameter.name();
    this.hyperparameter = hyperparameter;
  }

  /** The hyperparameter whose default this member is, or null for a structural member. */
  public Hyperparameter hyperparameter() {
    return hyperparameter;
  }

  /** The members that are hyperparameter defaults, in {@link Hyperparameter#BUILT_IN} order. */
  public static List<Member> hyperparameterDefaults() {
    List<Member> members = new ArrayList<>();
    for (Hyperparameter h : Hyperparameter.BUILT_IN) {
      members.add(of(h));
    }
    return members;
  }

  /** The member holding the default of {@code hyperparameter}. */
  public static Member of(Hyperparameter hyperparameter) {
    for (Member m : values()) {
      if (hyperparameter.equals(m.hyperparameter)) {
        return m;
      }
    }
    throw new IllegalArgumentException("@Optimizer has no member for the hyperparameter " + hyperparameter);
  }

  /** The member's name as written in source, e.g. {@code beta2}. */
  public String javaName() {
    return javaName;
  }

  /** Whether {@code @Optimizer} has a member spelled exactly {@code javaName}. */
  public static boolean isNamed(String javaName) {
    for (Member m : values()) {
      if (m.javaName.equals(javaName)) {
        return true;
      }
    }
    return false;
  }

  /** The member with this source name. */
  public static Member named(String javaName) {
    for (Member m : values()) {
      if (m.javaName.equals(javaName)) {
        return m;
      }
    }
    throw new IllegalArgumentException("@Optimizer has no member " + javaName);
  }
}
