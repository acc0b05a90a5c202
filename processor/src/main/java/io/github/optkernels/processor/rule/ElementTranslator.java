package io.github.optkernels.processor.rule;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionStatementTree;
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
import io.github.optkernels.processor.generation.ir.Buffer;
import io.github.optkernels.processor.generation.ir.Expr;
import io.github.optkernels.processor.generation.ir.Exprs;
import io.github.optkernels.processor.generation.ir.Statement;
import io.github.optkernels.processor.generation.ir.StepScalar;
import io.github.optkernels.processor.generation.ir.Var;
import io.github.optkernels.processor.model.RuleModel;
import io.github.optkernels.processor.validation.Message;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates a {@code @Rule} method's body into the element program: SSA lets (a reassigned
 * local or slot becomes a new variable), one store per written slot at the end, and the returned
 * update (or the assigned parameter of a {@code void} rule). Java's float semantics are kept: an
 * operation the float kernel would compute in double is refused where it occurs.
 */
final class ElementTranslator {
  /**
   * The type of an element value. {@code SQRT} is {@code Math.sqrt}'s double, legal only under a
   * float cast; every other double is refused where it appears, so there is no double type.
   */
  enum Type { FLOAT, BOOLEAN, SQRT }

  record Typed(Expr expr, Type type) {}

  /** What the rule's parameters (other than slots) and literals resolve to. */
  interface Scope {
    /** {@code g}, {@code p}, a hyperparameter or per-step value; null if the name is none. */
    Typed resolve(String name);

    /** A float-inexact literal as a per-step scalar (rounded once from the written decimal). */
    StepScalar literal(double value);

    /** A new per-tensor norm's result scalar. */
    StepScalar norm(int index);

    /** Whether {@code name} is a parameter already reported as wrong: reads of it say nothing more. */
    boolean failed(String name);
  }

  private static final String CALLS =
      "Math.sqrt, Math.abs, Math.min, Math.max, Math.signum, Math.fma and Tensor.norm";

  private final Problems problems;
  private final Scope scope;
  private final List<Statement> statements = new ArrayList<>();
  private final Map<String, Expr> locals = new HashMap<>();
  private final Map<String, Type> localTypes = new HashMap<>();
  /** The slots by parameter name, with their current value (null until first read or write). */
  private final Map<String, Buffer> slots = new LinkedHashMap<>();
  private final Map<String, Expr> slotValues = new HashMap<>();
  private final Map<String, Boolean> slotWritten = new HashMap<>();
  private final List<RuleModel.Norm> norms = new ArrayList<>();
  private final boolean returnsUpdate;
  private Expr update;
  private boolean returned;
  private Expr newParameter;
  private boolean assignedParameter;

  ElementTranslator(Problems problems, Scope scope, Map<String, Buffer> slots, boolean returnsUpdate) {
    this.problems = problems;
    this.scope = scope;
    this.slots.putAll(slots);
    this.returnsUpdate = returnsUpdate;
  }

  List<Statement> statements() {
    return statements;
  }

  List<RuleModel.Norm> norms() {
    return norms;
  }

  Expr update() {
    return update;
  }

  Expr newParameter() {
    return newParameter;
  }

  void body(String method, List<? extends StatementTree> body, Tree where) {
    for (int k = 0; k < body.size(); k++) {
      StatementTree statement = body.get(k);
      boolean last = k == body.size() - 1;
      if (statement instanceof VariableTree local) {
        declare(local);
      } else if (statement instanceof ExpressionStatementTree expression) {
        assignment(expression.getExpression());
      } else if (statement instanceof ReturnTree ret) {
        if (!last) {
          problems.at(statement, Message.RULE_STATEMENT, "a return before the end",
              "a rule ends with its one return; use ?: for choices");
        } else if (returnsUpdate && ret.getExpression() != null) {
          returned = true;
          Typed value = floatValue(ret.getExpression());
          update = value == null ? null : value.expr();
        } else if (returnsUpdate || ret.getExpression() != null) {
          problems.at(statement, Message.RULE_RETURN, returnsUpdate
              ? "rule " + method + " returns float: end it with 'return <update>;'"
              : "rule " + method + " is void: it assigns p and returns nothing");
        }
      } else {
        problems.at(statement, Message.RULE_STATEMENT, Operators.describe(statement), advice(statement));
      }
    }
    if (returnsUpdate && !returned) {
      problems.at(where, Message.RULE_RETURN, "rule " + method
          + " never returns the update: end it with 'return <u>;' (p ← p + u), or make it void and assign p");
    }
    if (!returnsUpdate && !assignedParameter) {
      problems.at(where, Message.RULE_RETURN, "void rule " + method
          + " never assigns p: assign the new parameter (p = ...), or return the update as a float");
    }
    for (Map.Entry<String, Buffer> slot : slots.entrySet()) {
      if (slotWritten.getOrDefault(slot.getKey(), false)) {
        statements.add(new Statement.Store(slot.getValue(), slotValues.get(slot.getKey())));
      }
    }
  }

  private static String advice(Tree statement) {
    return switch (statement.getKind()) {
      case IF -> "use a ternary, c ? a : b (the element loop has no branches)";
      case FOR_LOOP, ENHANCED_FOR_LOOP, WHILE_LOOP, DO_WHILE_LOOP ->
          "the rule runs once per element; the kernel is the loop (for a sum over the tensor use Tensor.norm)";
      default -> "a rule declares float and boolean locals, assigns locals and @State slots, and returns its update";
    };
  }

  private void declare(VariableTree local) {
    String name = local.getName().toString();
    String type = local.getType().toString();
    if (slots.containsKey(name) || scope.resolve(name) != null) {
      problems.at(local, Message.RULE_COLLISION, "local", name, "a parameter of the rule");
      return;
    }
    if (!type.equals("float") && !type.equals("boolean")) {
      if (type.equals("double")) {
        problems.at(local.getType(), Message.RULE_DOUBLE, "double " + name, "declare it float");
      } else {
        problems.at(local.getType(), Message.RULE_STATEMENT, "a local of type " + type,
            "element locals are float (or boolean, for a comparison)");
      }
      return;
    }
    if (local.getInitializer() == null) {
      problems.at(local, Message.RULE_STATEMENT, "a local without a value", "declare it with its value: float x = ...;");
      return;
    }
    Typed value = type.equals("float") ? floatValue(local.getInitializer()) : expression(local.getInitializer());
    if (value == null) {
      return;
    }
    if (type.equals("boolean") != (value.type() == Type.BOOLEAN)) {
      problems.at(local.getInitializer(), Message.RULE_EXPRESSION, "a " + value.type().name().toLowerCase()
          + " value in " + type + " " + name, "keep numbers in float locals and comparisons in boolean ones");
      return;
    }
    bind(name, value);
  }

  private void bind(String name, Typed value) {
    Expr expr = value.expr();
    if (!(expr instanceof Var) || ((Var) expr).isStep()) {
      Var var = new Var(name, value.type() == Type.BOOLEAN ? Var.Kind.ELEMENT_MASK : Var.Kind.ELEMENT);
      statements.add(new Statement.Let(var, expr));
      expr = var;
    }
    locals.put(name, expr);
    localTypes.put(name, value.type());
  }

  private void assignment(ExpressionTree tree) {
    ExpressionTree target;
    Typed value;
    if (tree instanceof AssignmentTree assign) {
      target = assign.getVariable();
      value = null;
      if (target instanceof IdentifierTree) {
        value = floatValueOrFlag(assign.getExpression(), target);
      }
    } else if (tree instanceof CompoundAssignmentTree compound) {
      target = compound.getVariable();
      Expr.Binary.Op op = switch (tree.getKind()) {
        case PLUS_ASSIGNMENT -> Expr.Binary.Op.ADD;
        case MINUS_ASSIGNMENT -> Expr.Binary.Op.SUB;
        case MULTIPLY_ASSIGNMENT -> Expr.Binary.Op.MUL;
        case DIVIDE_ASSIGNMENT -> Expr.Binary.Op.DIV;
        default -> null;
      };
      if (op == null) {
        problems.at(tree, Message.RULE_EXPRESSION, "the operator " + tree.getKind(), "use + - * /");
        return;
      }
      Typed current = target instanceof IdentifierTree ? floatValue(target) : null;
      Typed right = floatValue(compound.getExpression());
      value = current == null || right == null ? null
          : new Typed(new Expr.Binary(op, current.expr(), right.expr()), Type.FLOAT);
    } else {
      problems.at(tree, Message.RULE_STATEMENT, "the expression statement '" + tree + "'",
          "a statement of a rule declares or assigns a value");
      return;
    }
    if (target instanceof IdentifierTree named && scope.failed(named.getName().toString())) {
      return;
    }
    if (!(target instanceof IdentifierTree identifier)) {
      problems.at(target, Message.RULE_READ_ONLY, target, "a rule assigns only its locals, its @State slots and, if void, p");
      return;
    }
    String name = identifier.getName().toString();
    if (slots.containsKey(name)) {
      if (value != null) {
        if (value.type() != Type.FLOAT) {
          problems.at(tree, Message.RULE_EXPRESSION, "a boolean stored in state slot " + name, "slots hold numbers");
          return;
        }
        Var var = new Var(name, Var.Kind.ELEMENT);
        statements.add(new Statement.Let(var, value.expr()));
        slotValues.put(name, var);
        slotWritten.put(name, true);
      }
      return;
    }
    if (locals.containsKey(name)) {
      if (value != null) {
        if ((value.type() == Type.BOOLEAN) != (localTypes.get(name) == Type.BOOLEAN)) {
          problems.at(tree, Message.RULE_EXPRESSION, "a change of type of local " + name, "use another local");
          return;
        }
        bind(name, value);
      }
      return;
    }
    if (name.equals("p") && !returnsUpdate) {
      assignedParameter = true;
      if (value != null) {
        newParameter = value.expr();
      }
      return;
    }
    String why = name.equals("p")
        ? "this rule returns an additive update (p ← p + u); return it, or make the rule void to assign p"
        : scope.resolve(name) != null
            ? "it is an input of the step (the gradient, a hyperparameter or a per-step value); copy it into a local"
            : "it is not a local or @State parameter of the rule";
    problems.at(target, Message.RULE_READ_ONLY, name, why);
  }

  private Typed floatValueOrFlag(ExpressionTree tree, ExpressionTree target) {
    String name = target.toString();
    if (localTypes.get(name) == Type.BOOLEAN) {
      return expression(tree);
    }
    return floatValue(tree);
  }

  /** An expression that must be a float (an operand, a returned update, a slot's value). */
  private Typed floatValue(ExpressionTree tree) {
    Typed typed = expression(tree);
    if (typed == null) {
      return null;
    }
    if (typed.type() == Type.SQRT) {
      problems.at(tree, Message.RULE_DOUBLE, "'" + tree + "'",
          "cast Math.sqrt back to float at once: (float) Math.sqrt(x)");
      return null;
    }
    if (typed.type() == Type.BOOLEAN) {
      problems.at(tree, Message.RULE_EXPRESSION, "a boolean used as a number", "use c ? a : b");
      return null;
    }
    return typed;
  }

  private Typed expression(ExpressionTree tree) {
    if (tree instanceof ParenthesizedTree parens) {
      return expression(parens.getExpression());
    }
    if (tree instanceof IdentifierTree identifier) {
      return identifier(identifier);
    }
    if (tree instanceof LiteralTree literal) {
      return literal(literal);
    }
    if (tree instanceof TypeCastTree cast) {
      Typed operand = expression(cast.getExpression());
      String to = cast.getType().toString();
      if (operand == null) {
        return null;
      }
      if (to.equals("float") && operand.type() != Type.BOOLEAN) {
        return new Typed(operand.expr(), Type.FLOAT);
      }
      if (to.equals("double")) {
        problems.at(cast, Message.RULE_DOUBLE, "'" + cast + "'", "keep the rule in float");
        return null;
      }
      problems.at(cast, Message.RULE_EXPRESSION, "a cast to " + to, "a rule computes in float");
      return null;
    }
    if (tree instanceof UnaryTree unary) {
      if (tree.getKind() == Tree.Kind.UNARY_MINUS || tree.getKind() == Tree.Kind.UNARY_PLUS) {
        Typed operand = floatValue(unary.getExpression());
        if (operand == null) {
          return null;
        }
        return tree.getKind() == Tree.Kind.UNARY_PLUS ? operand : new Typed(Expr.neg(operand.expr()), Type.FLOAT);
      }
      problems.at(tree, Message.RULE_EXPRESSION, "the operator " + Operators.name(tree.getKind()),
          tree.getKind() == Tree.Kind.LOGICAL_COMPLEMENT ? "invert the comparison instead" : "use + - * /");
      return null;
    }
    if (tree instanceof BinaryTree binary) {
      return binary(binary);
    }
    if (tree instanceof ConditionalExpressionTree conditional) {
      Typed condition = expression(conditional.getCondition());
      Typed a = floatValue(conditional.getTrueExpression());
      Typed b = floatValue(conditional.getFalseExpression());
      if (condition == null || a == null || b == null) {
        return null;
      }
      if (condition.type() != Type.BOOLEAN) {
        problems.at(conditional.getCondition(), Message.RULE_EXPRESSION, "a non-boolean condition", "compare");
        return null;
      }
      return new Typed(Expr.select(condition.expr(), a.expr(), b.expr()), Type.FLOAT);
    }
    if (tree instanceof MethodInvocationTree call) {
      return call(call);
    }
    if (tree instanceof AssignmentTree || tree instanceof CompoundAssignmentTree) {
      problems.at(tree, Message.RULE_EXPRESSION, "an assignment inside an expression", "assign in its own statement");
      return null;
    }
    problems.at(tree, Message.RULE_EXPRESSION, Operators.describe(tree),
        tree.getKind() == Tree.Kind.MEMBER_SELECT
            ? "take the value as a parameter of the rule (a hyperparameter, a @PerStep value or a @State slot)"
            : "a rule computes with + - * /, comparisons, ?: and " + CALLS);
    return null;
  }

  private Typed identifier(IdentifierTree identifier) {
    String name = identifier.getName().toString();
    Expr local = locals.get(name);
    if (local != null) {
      return new Typed(local, localTypes.get(name));
    }
    Buffer slot = slots.get(name);
    if (slot != null) {
      Expr current = slotValues.get(name);
      if (current == null) {
        Var loaded = new Var(name, Var.Kind.ELEMENT);
        statements.add(new Statement.Let(loaded, new Expr.Load(slot)));
        slotValues.put(name, loaded);
        current = loaded;
      }
      return new Typed(current, Type.FLOAT);
    }
    if (name.equals("p") && !returnsUpdate && newParameter != null) {
      return new Typed(newParameter, Type.FLOAT);
    }
    Typed resolved = scope.resolve(name);
    if (resolved == null && !scope.failed(name)) {
      problems.at(identifier, Message.RULE_UNDEFINED, name,
          "a rule reads its parameters and locals (a field or constant must be a parameter: a @Hyper or @PerStep)");
    }
    return resolved;
  }

  private Typed literal(LiteralTree literal) {
    Object value = literal.getValue();
    if (value instanceof Integer || value instanceof Long) {
      double d = ((Number) value).doubleValue();
      return constant(d);
    }
    if (value instanceof Float) {
      // the decimal as written, rounded once to the kernel's type (the double kernel keeps 0.1 as 0.1)
      return constant(Double.parseDouble(value.toString()));
    }
    if (value instanceof Double) {
      problems.at(literal, Message.RULE_DOUBLE, "the double literal " + literal, "write it as a float literal, " + literal + "f");
      return null;
    }
    if (value instanceof Boolean) {
      problems.at(literal, Message.RULE_EXPRESSION, "a boolean literal", "compare values instead");
      return null;
    }
    problems.at(literal, Message.RULE_EXPRESSION, "the literal " + literal, "use numbers");
    return null;
  }

  private Typed constant(double value) {
    if ((double) (float) value == value) {
      return new Typed(Expr.constant(value), Type.FLOAT);
    }
    return new Typed(scope.literal(value).ref(), Type.FLOAT);
  }

  private Typed binary(BinaryTree tree) {
    Tree.Kind kind = tree.getKind();
    Expr.Binary.Op arithmetic = Operators.arithmetic(kind);
    Expr.Compare.Op comparison = Operators.comparison(kind);
    if (arithmetic == null && comparison == null) {
      problems.at(tree, Message.RULE_EXPRESSION, "the operator " + Operators.name(kind),
          kind == Tree.Kind.CONDITIONAL_AND || kind == Tree.Kind.CONDITIONAL_OR
              ? "nest ternaries: a ? (b ? x : y) : y" : "use + - * / and comparisons");
      return null;
    }
    Typed left = floatValue(tree.getLeftOperand());
    Typed right = floatValue(tree.getRightOperand());
    if (left == null || right == null) {
      return null;
    }
    if (comparison != null) {
      return new Typed(Expr.compare(comparison, left.expr(), right.expr()), Type.BOOLEAN);
    }
    return new Typed(new Expr.Binary(arithmetic, left.expr(), right.expr()), Type.FLOAT);
  }

  private Typed call(MethodInvocationTree call) {
    String callee = Names.callee(call);
    List<? extends ExpressionTree> args = call.getArguments();
    int arity = switch (callee) {
      case "Math.sqrt", "Math.abs", "Math.signum", "Tensor.norm" -> 1;
      case "Math.min", "Math.max" -> 2;
      case "Math.fma" -> 3;
      default -> -1;
    };
    if (arity < 0) {
      problems.at(call, Message.RULE_CALL, callee, "a rule", CALLS);
      return null;
    }
    if (args.size() != arity) {
      problems.at(call, Message.RULE_EXPRESSION, callee + " with " + args.size() + " arguments", "pass " + arity);
      return null;
    }
    List<Expr> operands = new ArrayList<>();
    for (ExpressionTree arg : args) {
      Typed operand = floatValue(arg);
      if (operand == null) {
        return null;
      }
      operands.add(operand.expr());
    }
    Expr a = operands.get(0);
    return switch (callee) {
      case "Math.sqrt" -> new Typed(Expr.sqrt(a), Type.SQRT);
      case "Math.abs" -> new Typed(new Expr.Unary(Expr.Unary.Op.ABS, a), Type.FLOAT);
      case "Math.signum" -> new Typed(new Expr.Unary(Expr.Unary.Op.SIGN, a), Type.FLOAT);
      case "Math.min" -> new Typed(Expr.min(a, operands.get(1)), Type.FLOAT);
      case "Math.max" -> new Typed(Expr.max(a, operands.get(1)), Type.FLOAT);
      case "Math.fma" -> new Typed(new Expr.Fma(a, operands.get(1), operands.get(2)), Type.FLOAT);
      default -> norm(call, a);
    };
  }

  private Typed norm(MethodInvocationTree call, Expr argument) {
    for (RuleModel.Norm earlier : norms) {
      if (dependsOn(argument, earlier.result())) {
        problems.at(call, Message.RULE_NORM, call.getArguments().get(0),
            "its argument depends on another norm, which is known only after the pass that sums it; a rule has one summing pass");
        return null;
      }
    }
    StepScalar result = scope.norm(norms.size());
    norms.add(new RuleModel.Norm(result, argument));
    return new Typed(result.ref(), Type.FLOAT);
  }

  /** Whether {@code expr} reads {@code scalar}, directly or through the lets of this rule. */
  private boolean dependsOn(Expr expr, StepScalar scalar) {
    Map<Var, Expr> definitions = new HashMap<>();
    for (Statement statement : statements) {
      if (statement instanceof Statement.Let let) {
        definitions.put(let.var(), let.value());
      }
    }
    boolean[] found = {false};
    List<Expr> pending = new ArrayList<>(List.of(expr));
    while (!pending.isEmpty() && !found[0]) {
      Exprs.visit(pending.remove(pending.size() - 1), node -> {
        if (node instanceof Expr.ScalarRef ref && ref.scalar() == scalar) {
          found[0] = true;
        } else if (node instanceof Var var && definitions.containsKey(var)) {
          pending.add(definitions.remove(var));
        }
      });
    }
    return found[0];
  }
}
