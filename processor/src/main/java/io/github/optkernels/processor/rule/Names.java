package io.github.optkernels.processor.rule;

import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import java.util.Set;

/** How a rule's source names things: calls, and the snake-case names of state slots. */
final class Names {
  private Names() {}

  /**
   * Names a generated kernel uses for itself, which its per-step scalars (fields, and locals of
   * the loop methods) and state arrays (parameters of the loop methods) must not take: the loop
   * methods' own locals and parameters (KernelGenerator.loopNames), its fields, and the skeleton's
   * decay scalars. WellFormedSpecTest compiles a rule using each.
   */
  static final Set<String> KERNEL_OWN = Set.of(
      "i", "from", "to", "base", "n", "block", "noiseKey", "kernel", "upper", "compensation",
      "kahanComp", "F", "I", "S", "LANES", "param", "grad", "paramStored", "gradStored",
      "phase", "momentumProductAfter", "seed", "STATE_NAMES", "STATE_TYPES",
      "l2", "decayFactor", "proximalDivisor");

  /** {@code Math.sqrt} for {@code Math.sqrt(x)} or {@code java.lang.Math.sqrt(x)}; the name as written otherwise. */
  static String callee(MethodInvocationTree call) {
    ExpressionTree select = call.getMethodSelect();
    if (select instanceof MemberSelectTree member) {
      String owner = member.getExpression().toString();
      if (owner.equals("java.lang.Math")) {
        owner = "Math";
      } else if (owner.equals("io.github.optkernels.annotations.Tensor")) {
        owner = "Tensor";
      }
      return owner + "." + member.getIdentifier();
    }
    if (select instanceof IdentifierTree identifier) {
      return identifier.getName().toString();
    }
    return select.toString();
  }

  /** {@code expAvgSq} → {@code exp_avg_sq}. */
  static String snakeCase(String javaName) {
    StringBuilder snake = new StringBuilder();
    for (char c : javaName.toCharArray()) {
      if (Character.isUpperCase(c)) {
        snake.append('_').append(Character.toLowerCase(c));
      } else {
        snake.append(c);
      }
    }
    return snake.toString();
  }

  /** {@code beta3} → {@code BETA3}, {@code weightLrPower} → {@code WEIGHT_LR_POWER}. */
  static String constantName(String javaName) {
    return snakeCase(javaName).toUpperCase(java.util.Locale.ROOT);
  }
}
