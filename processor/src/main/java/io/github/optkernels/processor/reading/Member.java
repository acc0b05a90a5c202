package io.github.optkernels.processor.reading;

/** The members of {@code @Optimizer}, by their Java names; the single place these names are spelled. */
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
  LR("lr"),
  BETA1("beta1"),
  BETA2("beta2"),
  EPS("eps"),
  EPS_ROOT("epsRoot"),
  WEIGHT_DECAY("weightDecay"),
  MAX_LR("maxLr"),
  MOMENTUM_DECAY("momentumDecay"),
  VARIANCE_WARMUP_STEPS("varianceWarmupSteps");

  private final String javaName;

  Member(String javaName) {
    this.javaName = javaName;
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
