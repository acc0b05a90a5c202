package io.github.optkernels.processor.rule;

import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import io.github.optkernels.processor.generation.ir.Expr;
import io.github.optkernels.processor.generation.ir.StepStatement;
import io.github.optkernels.processor.generation.ir.Var;
import io.github.optkernels.processor.validation.Message;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates one {@code @PerStep} method's body into {@code prepare} statements in double: its
 * locals, then a let of the method's own variable. Names resolve through {@link Scope}; the
 * method's parameters were checked by {@link RuleReader}.
 */
final class StepTranslator {
  /** The type of a per-step value. */
  enum Type { DOUBLE, INTEGRAL, BOOLEAN }

  /** A translated expression and its Java type. */
  record Typed(Expr expr, Type type) {}

  /** Resolves the names a per-step method reads (its parameters). */
  interface Scope {
    /** The value of {@code name}, or null if it is not one (reported by the caller). */
    Typed resolve(String name, Tree where);

    /** Whether {@code name} is a parameter already reported as wrong: reads of it say nothing more. */
    boolean failed(String name);
  }

  private static final String CALLS = "Math.pow, Math.sqrt, Math.abs, Math.min and Math.max";

  private final Problems problems;
  private final Scope scope;
  private final List<StepStatement> out;
  private final Map<String, Typed> locals = new HashMap<>();

  StepTranslator(Problems problems, Scope scope, List<StepStatement> out) {
    this.problems = problems;
    this.scope = scope;
    this.out = out;
  }

  /** Adds the body's statements to the output; returns the value of its {@code return}, or null. */
  Typed body(String method, List<? extends StatementTree> statements, Tree where) {
    Typed result = null;
    for (int k = 0; k < statements.size(); k++) {
      StatementTree statement = statements.get(k);
      boolean last = k == statements.size() - 1;
      if (statement instanceof VariableTree local) {
        declare(local);
      } else if (statement instanceof ReturnTree ret && last && ret.getExpression() != null) {
        result = expression(ret.getExpression());
      } else {
        problems.at(statement, Message.RULE_STATEMENT, Operators.describe(statement),
            "a @PerStep method declares locals and ends with one return; use ?: for choices");
      }
    }
    if (result == null && (statements.isEmpty() || !(statements.get(statements.size() - 1) instanceof ReturnTree))) {
      problems.at(where, Message.RULE_RETURN, "@PerStep method " + method + " must end with 'return <value>;'");
    }
    return result;
  }

  private void declare(VariableTree local) {
    String name = local.getName().toString();
    if (local.getInitializer() == null) {
      problems.at(local, Message.RULE_STATEMENT, "a local without a value", "declare it with its value, e.g. double x = ...;");
      return;
    }
    Typed value = expression(local.getInitializer());
    String declared = local.getType().toString();
    Type type = switch (declared) {
      case "double" -> Type.DOUBLE;
      case "long", "int" -> Type.INTEGRAL;
      case "boolean" -> Type.BOOLEAN;
      default -> null;
    };
    if (type == null) {
      problems.at(local.getType(), Message.RULE_STATEMENT, "a local of type " + declared,
          "per-step locals are double, long, int or boolean");
      return;
    }
    if (value != null && type == Type.INTEGRAL && value.type() != Type.INTEGRAL) {
      problems.at(local.getInitializer(), Message.RULE_EXPRESSION, "a non-integer value in " + declared + " " + name,
          "declare it double");
      return;
    }
    if (value == null) {
      return;
    }
    // an integral local is held in a double (exact below 2^53): its type only guards division
    Var var = new Var(name, type == Type.BOOLEAN ? Var.Kind.STEP_FLAG : Var.Kind.STEP);
    out.add(new StepStatement.Let(var, value.expr()));
    locals.put(name, new Typed(var, type));
  }

  /** Translates an expression; null after reporting a problem. */
  Typed expression(ExpressionTree tree) {
    if (tree instanceof ParenthesizedTree parens) {
      return expression(parens.getExpression());
    }
    if (tree instanceof IdentifierTree identifier) {
      String name = identifier.getName().toString();
      Typed local = locals.get(name);
      if (local != null) {
        return local;
      }
      Typed resolved = scope.resolve(name, tree);
      if (resolved == null && !scope.failed(name)) {
        problems.at(tree, Message.RULE_UNDEFINED, name, "read only the method's parameters and locals");
      }
      return resolved;
    }
    if (tree instanceof LiteralTree literal) {
      Object value = literal.getValue();
      if (value instanceof Integer || value instanceof Long) {
        return new Typed(Expr.constant(((Number) value).doubleValue()), Type.INTEGRAL);
      }
      if (value instanceof Double || value instanceof Float) {
        return new Typed(Expr.constant(Double.parseDouble(value.toString())), Type.DOUBLE);
      }
      problems.at(tree, Message.RULE_EXPRESSION, "the literal " + tree, "use numbers");
      return null;
    }
    if (tree instanceof TypeCastTree cast) {
      Typed operand = expression(cast.getExpression());
      String to = cast.getType().toString();
      if (operand == null) {
        return null;
      }
      if (to.equals("double")) {
        return operand.type() == Type.BOOLEAN ? fail(cast, "a cast of a boolean") : new Typed(operand.expr(), Type.DOUBLE);
      }
      return fail(cast, "a cast to " + to + " (per-step values are double)");
    }
    if (tree instanceof UnaryTree unary) {
      if (tree.getKind() == Tree.Kind.UNARY_MINUS || tree.getKind() == Tree.Kind.UNARY_PLUS) {
        Typed operand = number(unary.getExpression());
        if (operand == null) {
          return null;
        }
        return tree.getKind() == Tree.Kind.UNARY_PLUS ? operand : new Typed(Expr.neg(operand.expr()), operand.type());
      }
      return fail(tree, "the operator " + Operators.name(tree.getKind()));
    }
    if (tree instanceof BinaryTree binary) {
      return binary(binary);
    }
    if (tree instanceof ConditionalExpressionTree conditional) {
      Typed condition = expression(conditional.getCondition());
      Typed a = expression(conditional.getTrueExpression());
      Typed b = expression(conditional.getFalseExpression());
      if (condition == null || a == null || b == null) {
        return null;
      }
      if (condition.type() != Type.BOOLEAN) {
        return fail(conditional.getCondition(), "a non-boolean condition");
      }
      Type type = a.type() == Type.INTEGRAL && b.type() == Type.INTEGRAL ? Type.INTEGRAL
          : a.type() == Type.BOOLEAN || b.type() == Type.BOOLEAN ? null : Type.DOUBLE;
      if (type == null) {
        return fail(conditional, "a choice between booleans (nest comparisons instead)");
      }
      return new Typed(Expr.select(condition.expr(), a.expr(), b.expr()), type);
    }
    if (tree instanceof MethodInvocationTree call) {
      return call(call);
    }
    return fail(tree, Operators.describe(tree));
  }

  private Typed call(MethodInvocationTree call) {
    String callee = Names.callee(call);
    List<? extends ExpressionTree> args = call.getArguments();
    int arity = switch (callee) {
      case "Math.sqrt", "Math.abs" -> 1;
      case "Math.pow", "Math.min", "Math.max" -> 2;
      default -> -1;
    };
    if (arity < 0) {
      problems.at(call, Message.RULE_CALL, callee, "a @PerStep method", CALLS);
      return null;
    }
    if (args.size() != arity) {
      return fail(call, callee + " with " + args.size() + " arguments");
    }
    Typed a = number(args.get(0));
    Typed b = arity == 2 ? number(args.get(1)) : null;
    if (a == null || (arity == 2 && b == null)) {
      return null;
    }
    return switch (callee) {
      case "Math.sqrt" -> new Typed(Expr.sqrt(a.expr()), Type.DOUBLE);
      case "Math.abs" -> new Typed(new Expr.Unary(Expr.Unary.Op.ABS, a.expr()), a.type() == Type.INTEGRAL ? Type.INTEGRAL : Type.DOUBLE);
      case "Math.pow" -> new Typed(Expr.pow(a.expr(), b.expr()), Type.DOUBLE);
      case "Math.min" -> new Typed(Expr.min(a.expr(), b.expr()), join(a, b));
      default -> new Typed(Expr.max(a.expr(), b.expr()), join(a, b));
    };
  }

  private static Type join(Typed a, Typed b) {
    return a.type() == Type.INTEGRAL && b.type() == Type.INTEGRAL ? Type.INTEGRAL : Type.DOUBLE;
  }

  private Typed binary(BinaryTree tree) {
    Tree.Kind kind = tree.getKind();
    Expr.Binary.Op arithmetic = Operators.arithmetic(kind);
    Expr.Compare.Op comparison = Operators.comparison(kind);
    if (arithmetic == null && comparison == null) {
      return fail(tree, "the operator " + Operators.name(kind) + (kind == Tree.Kind.CONDITIONAL_AND
          || kind == Tree.Kind.CONDITIONAL_OR ? " (nest ?: instead)" : ""));
    }
    Typed left = number(tree.getLeftOperand());
    Typed right = number(tree.getRightOperand());
    if (left == null || right == null) {
      return null;
    }
    if (comparison != null) {
      return new Typed(Expr.compare(comparison, left.expr(), right.expr()), Type.BOOLEAN);
    }
    if (arithmetic == Expr.Binary.Op.DIV && left.type() == Type.INTEGRAL && right.type() == Type.INTEGRAL) {
      problems.at(tree, Message.RULE_INTEGER_DIVISION, tree, tree.getLeftOperand());
      return null;
    }
    return new Typed(new Expr.Binary(arithmetic, left.expr(), right.expr()), join(left, right));
  }

  /** A number operand (not a boolean). */
  private Typed number(ExpressionTree tree) {
    Typed typed = expression(tree);
    if (typed != null && typed.type() == Type.BOOLEAN) {
      return fail(tree, "a boolean used as a number");
    }
    return typed;
  }

  private Typed fail(Tree tree, String what) {
    problems.at(tree, Message.RULE_EXPRESSION, what,
        "a @PerStep method computes with + - * /, comparisons, ?: and " + CALLS);
    return null;
  }
}
