package io.github.optkernels.processor.rule;

import com.sun.source.tree.Tree;
import io.github.optkernels.processor.generation.ir.Expr;

/**
 * The Java operators a rule and its per-step methods may use, as IR operations, and how messages
 * name what they may not use. Both translators read them, so the two subsets agree.
 */
final class Operators {
  private Operators() {}

  /** The IR operation of {@code + - * /}, or null for any other operator. */
  static Expr.Binary.Op arithmetic(Tree.Kind kind) {
    return switch (kind) {
      case PLUS -> Expr.Binary.Op.ADD;
      case MINUS -> Expr.Binary.Op.SUB;
      case MULTIPLY -> Expr.Binary.Op.MUL;
      case DIVIDE -> Expr.Binary.Op.DIV;
      default -> null;
    };
  }

  /** The IR comparison of {@code < <= > >= == !=}, or null for any other operator. */
  static Expr.Compare.Op comparison(Tree.Kind kind) {
    return switch (kind) {
      case LESS_THAN -> Expr.Compare.Op.LT;
      case LESS_THAN_EQUAL -> Expr.Compare.Op.LE;
      case GREATER_THAN -> Expr.Compare.Op.GT;
      case GREATER_THAN_EQUAL -> Expr.Compare.Op.GE;
      case EQUAL_TO -> Expr.Compare.Op.EQ;
      case NOT_EQUAL_TO -> Expr.Compare.Op.NE;
      default -> null;
    };
  }

  /** An operator as Java spells it, for a message. */
  static String name(Tree.Kind kind) {
    return switch (kind) {
      case REMAINDER -> "%";
      case CONDITIONAL_AND -> "&&";
      case CONDITIONAL_OR -> "||";
      case LOGICAL_COMPLEMENT -> "!";
      case AND -> "&";
      case OR -> "|";
      case XOR -> "^";
      case LEFT_SHIFT -> "<<";
      case RIGHT_SHIFT -> ">>";
      case UNSIGNED_RIGHT_SHIFT -> ">>>";
      case BITWISE_COMPLEMENT -> "~";
      case PREFIX_INCREMENT, POSTFIX_INCREMENT -> "++";
      case PREFIX_DECREMENT, POSTFIX_DECREMENT -> "--";
      default -> kind.toString().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /** What a statement or expression is, for a message. */
  static String describe(Tree tree) {
    return switch (tree.getKind()) {
      case IF -> "an if statement";
      case FOR_LOOP, ENHANCED_FOR_LOOP, WHILE_LOOP, DO_WHILE_LOOP -> "a loop";
      case SWITCH, SWITCH_EXPRESSION -> "a switch";
      case TRY -> "a try statement";
      case THROW -> "a throw statement";
      case BLOCK -> "a nested block";
      case NEW_CLASS -> "an allocation (new ...)";
      case NEW_ARRAY -> "an array allocation";
      case MEMBER_SELECT -> "the field " + tree;
      case ARRAY_ACCESS -> "an array access";
      case LAMBDA_EXPRESSION -> "a lambda";
      case STRING_LITERAL -> "a string";
      case INSTANCE_OF -> "instanceof";
      default -> "'" + tree + "'";
    };
  }
}
