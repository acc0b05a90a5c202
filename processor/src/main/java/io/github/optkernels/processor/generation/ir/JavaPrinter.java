package io.github.optkernels.processor.generation.ir;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import io.github.optkernels.processor.generation.Literals;
import io.github.optkernels.processor.generation.RuntimeTypes;
import java.util.function.Function;

/**
 * Prints the IR as Java: element statements in the loop's compute type (the float and double
 * loops, and the 16-bit kernels' block loops, which run the float statements over float32
 * blocks), and {@code prepare}'s per-step statements in double. Parentheses come from operator
 * precedence, so the printed expression evaluates in exactly the order of the tree.
 */
public final class JavaPrinter {
  // Java's precedence levels, loosest first, as far as the IR uses them
  static final int TERNARY = 1;
  static final int EQUALITY = 2;
  static final int RELATIONAL = 3;
  static final int ADDITIVE = 4;
  static final int MULTIPLICATIVE = 5;
  static final int UNARY = 6;
  static final int PRIMARY = 7;

  /** An expression's code and the precedence of its outermost operator. */
  record Printed(CodeBlock code, int precedence) {
    CodeBlock at(int least) {
      return precedence < least ? CodeBlock.of("($L)", code) : code;
    }
  }

  private final boolean floatArithmetic;
  private final Function<Var, String> names;

  /**
   * @param computeType {@code float} or {@code double}: the type element expressions compute in
   *     (per-step expressions are always double)
   * @param names the name each local has in the printed method
   */
  public JavaPrinter(TypeName computeType, Function<Var, String> names) {
    this.floatArithmetic = computeType.equals(TypeName.FLOAT);
    this.names = names;
  }

  // ---- element statements ----

  /** {@code float v = ...;} or {@code expAvg[i] = ...;}. */
  public CodeBlock statement(Statement statement) {
    if (statement instanceof Statement.Let let) {
      TypeName type = let.var().kind() == Var.Kind.ELEMENT_MASK ? TypeName.BOOLEAN
          : floatArithmetic ? TypeName.FLOAT : TypeName.DOUBLE;
      return CodeBlock.builder()
          .addStatement("$T $N = $L", type, names.apply(let.var()), element(let.value()).code())
          .build();
    }
    Statement.Store store = (Statement.Store) statement;
    return CodeBlock.builder()
        .addStatement("$N[i] = $L", store.buffer().name(), element(store.value()).code())
        .build();
  }

  /** An element expression in the compute type. */
  public CodeBlock elementExpression(Expr expr) {
    return element(expr).code();
  }

  Printed element(Expr expr) {
    return print(expr, floatArithmetic);
  }

  // ---- prepare ----

  /** One statement of {@code prepare}; a scalar is rounded once to the compute type. */
  public CodeBlock stepStatement(StepStatement statement) {
    CodeBlock.Builder code = CodeBlock.builder();
    if (statement instanceof StepStatement.Comment comment) {
      return code.add("// $L\n", comment.text()).build();
    }
    if (statement instanceof StepStatement.Let let) {
      TypeName type = let.var().kind() == Var.Kind.STEP_COUNT ? TypeName.LONG
          : let.var().kind() == Var.Kind.STEP_FLAG ? TypeName.BOOLEAN : TypeName.DOUBLE;
      return code.addStatement("$T $N = $L", type, names.apply(let.var()), step(let.value()).code()).build();
    }
    if (statement instanceof StepStatement.SetScalar set) {
      Printed value = step(set.value());
      CodeBlock rounded = floatArithmetic ? CodeBlock.of("(float) $L", value.at(UNARY)) : value.code();
      return code.addStatement("this.$N = $L", set.scalar().name(), rounded).build();
    }
    if (statement instanceof StepStatement.SetField set) {
      return code.addStatement("this.$N = $L", set.field(), step(set.value()).code()).build();
    }
    if (statement instanceof StepStatement.SetPhase set) {
      return code.addStatement("this.phase = $T.$L", RuntimeTypes.STEP_PHASE, set.phase().name()).build();
    }
    StepStatement.ChoosePhase choose = (StepStatement.ChoosePhase) statement;
    return code.beginControlFlow("if ($L)", step(choose.condition()).code())
        .addStatement("this.phase = $T.$L", RuntimeTypes.STEP_PHASE, choose.whenTrue().name())
        .nextControlFlow("else")
        .addStatement("this.phase = $T.$L", RuntimeTypes.STEP_PHASE, choose.whenFalse().name())
        .endControlFlow()
        .build();
  }

  /** A per-step expression, in double. */
  public CodeBlock stepExpression(Expr expr) {
    return step(expr).code();
  }

  Printed step(Expr expr) {
    return print(expr, false);
  }

  // ---- expressions ----

  private Printed print(Expr expr, boolean inFloat) {
    if (expr instanceof Expr.Const constant) {
      return constant(constant.value(), inFloat);
    }
    if (expr instanceof Var var) {
      return new Printed(CodeBlock.of("$N", names.apply(var)), PRIMARY);
    }
    if (expr instanceof Expr.ScalarRef ref) {
      return new Printed(CodeBlock.of("$N", ref.scalar().name()), PRIMARY);
    }
    if (expr instanceof Expr.Load load) {
      return new Printed(CodeBlock.of("$N[i]", load.buffer().name()), PRIMARY);
    }
    if (expr instanceof Expr.Hyper hyper) {
      return new Printed(hyper.constant() == null ? CodeBlock.of("h.$N()", hyper.name())
          : CodeBlock.of("h.value($L)", hyper.constant()), PRIMARY);
    }
    if (expr instanceof Expr.Unary unary) {
      Printed operand = print(unary.operand(), inFloat);
      switch (unary.op()) {
        case NEG:
          // "-" before an operand that starts with "-" would read as "--"
          return new Printed(CodeBlock.of("-$L", startsWithMinus(unary.operand()) ? CodeBlock.of("($L)", operand.code())
              : operand.at(UNARY)), UNARY);
        case SQRT:
          // For float, C2 turns (float) Math.sqrt(x) into a single-precision sqrt (and vectorizes
          // it): the double detour is not taken at run time, and the result is the correctly
          // rounded float square root either way.
          return inFloat
              ? new Printed(CodeBlock.of("(float) $T.sqrt($L)", Math.class, operand.code()), UNARY)
              : call("sqrt", operand);
        case ABS:
          return call("abs", operand);
        case SIGN:
          return call("signum", operand);
        default:
          throw new AssertionError(unary.op());
      }
    }
    if (expr instanceof Expr.Binary binary) {
      Printed left = print(binary.left(), inFloat);
      Printed right = print(binary.right(), inFloat);
      switch (binary.op()) {
        case ADD:
          return infix(left, "+", right, ADDITIVE);
        case SUB:
          return infix(left, "-", right, ADDITIVE);
        case MUL:
          return infix(left, "*", right, MULTIPLICATIVE);
        case DIV:
          return infix(left, "/", right, MULTIPLICATIVE);
        case MIN:
          return call("min", left, right);
        case MAX:
          return call("max", left, right);
        case POW:
          return call("pow", left, right);
        default:
          throw new AssertionError(binary.op());
      }
    }
    if (expr instanceof Expr.Fma fma) {
      return call("fma", print(fma.a(), inFloat), print(fma.b(), inFloat), print(fma.c(), inFloat));
    }
    if (expr instanceof Expr.Compare compare) {
      int level = compare.op() == Expr.Compare.Op.EQ || compare.op() == Expr.Compare.Op.NE ? EQUALITY : RELATIONAL;
      return infix(print(compare.left(), inFloat), operator(compare.op()), print(compare.right(), inFloat), level);
    }
    Expr.Select select = (Expr.Select) expr;
    return new Printed(CodeBlock.of("$L ? $L : $L", print(select.condition(), inFloat).at(TERNARY + 1),
        print(select.ifTrue(), inFloat).at(TERNARY + 1), print(select.ifFalse(), inFloat).at(TERNARY)), TERNARY);
  }

  /** Whether {@code expr} prints with a leading minus: a negation or a negative constant. */
  private static boolean startsWithMinus(Expr expr) {
    return expr instanceof Expr.Unary unary && unary.op() == Expr.Unary.Op.NEG
        || expr instanceof Expr.Const constant && (constant.value() < 0
            || constant.value() == 0 && 1 / constant.value() < 0);
  }

  /** Left-associative: the right operand needs parentheses already at the same level. */
  private static Printed infix(Printed left, String operator, Printed right, int level) {
    return new Printed(CodeBlock.of("$L $L $L", left.at(level), operator, right.at(level + 1)), level);
  }

  private static Printed call(String method, Printed... arguments) {
    CodeBlock.Builder code = CodeBlock.builder().add("$T.$L(", Math.class, method);
    for (int k = 0; k < arguments.length; k++) {
      code.add(k == 0 ? "$L" : ", $L", arguments[k].code());
    }
    return new Printed(code.add(")").build(), PRIMARY);
  }

  static String operator(Expr.Compare.Op op) {
    switch (op) {
      case LT:
        return "<";
      case LE:
        return "<=";
      case GT:
        return ">";
      case GE:
        return ">=";
      case EQ:
        return "==";
      case NE:
        return "!=";
      default:
        throw new AssertionError(op);
    }
  }

  /**
   * A constant as the literal of the arithmetic it enters: an integer as an int literal (exact in
   * float and double alike, and as {@code prepare} has always spelled {@code 1 - beta1}), else an
   * exact float or double literal. A float loop refuses a constant float cannot hold exactly.
   */
  static Printed constant(double value, boolean inFloat) {
    boolean integral = value == Math.rint(value) && Math.abs(value) <= (inFloat ? 1 << 24 : Integer.MAX_VALUE)
        && !(value == 0 && 1 / value < 0);
    if (integral) {
      int n = (int) value;
      return new Printed(Literals.ofInt(n), n < 0 ? UNARY : PRIMARY);
    }
    if (inFloat) {
      if ((float) value != value && !Double.isNaN(value)) {
        throw new IllegalArgumentException(value + " is not exactly a float: round it in a per-step scalar");
      }
      return new Printed(Literals.ofFloat((float) value), value < 0 ? UNARY : PRIMARY);
    }
    return new Printed(Literals.ofDouble(value), value < 0 ? UNARY : PRIMARY);
  }
}
