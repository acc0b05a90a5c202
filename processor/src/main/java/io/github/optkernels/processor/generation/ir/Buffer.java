package io.github.optkernels.processor.generation.ir;

/**
 * An array an element loop loads from and stores to, at the loop index.
 *
 * @param name the loop method's parameter (and, in the fused loop, the widened vector's) name
 * @param label how the math in the Javadoc names it: {@code param}, {@code grad} or the state name
 * @param role what it is
 */
public record Buffer(String name, String label, Role role) {
  /** What a buffer is, which decides how a 16-bit kernel stores it. */
  public enum Role { PARAM, GRAD, STATE }

  public static final Buffer PARAM = new Buffer("param", "param", Role.PARAM);
  public static final Buffer GRAD = new Buffer("grad", "grad", Role.GRAD);

  /** A per-element state slot, e.g. {@code exp_avg_sq} as {@code expAvgSq}. */
  public static Buffer state(String stateName) {
    return new Buffer(javaName(stateName), stateName, Role.STATE);
  }

  /** Local and parameter name of a state array, e.g. {@code exp_avg_sq} → {@code expAvgSq}. */
  public static String javaName(String stateName) {
    StringBuilder camel = new StringBuilder();
    boolean upper = false;
    for (char c : stateName.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        camel.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return camel.toString();
  }
}
