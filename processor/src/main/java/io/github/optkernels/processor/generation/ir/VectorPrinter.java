package io.github.optkernels.processor.generation.ir;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import io.github.optkernels.processor.generation.vector.LaneType;
import io.github.optkernels.processor.generation.vector.VectorTypes;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Prints an element loop's statements as Vector API code over the lanes {@code [i, i + F.length())}
 * of a fused loop (compute type float: 16-bit and float kernels; or double, {@code D}, for a double
 * kernel's loops over native memory, {@link LaneType}): every buffer element and every local
 * computed from one is a {@code FloatVector} or {@code DoubleVector} (a {@code VectorMask} for a
 * comparison), per-step scalars and what is computed from them alone stay {@code float} or
 * {@code double}, printed by the {@link JavaPrinter}. Each
 * operation maps to the lanewise operation of the same IEEE meaning, operands in the same order or
 * swapped only where the operation commutes exactly ({@code a * b} as {@code b.mul(a)} where only
 * {@code b} is a vector), so each lane computes exactly what the scalar statement computes.
 *
 * <p>A store writes nothing here: it names the vector the buffer gets ({@link #stores()}), and the
 * loop writes them all at the end of the iteration, once it knows every lane rounds as the block
 * loop rounds it. A load after a store reads that vector, as the block loop reads its float32 copy.
 */
public final class VectorPrinter {
  private final LaneType lanes;
  private final Function<Var, String> names;
  private final Function<String, String> freshName;
  private final JavaPrinter scalars;
  private final Set<Var> vectors = new HashSet<>();
  private final Map<Buffer, String> stores = new LinkedHashMap<>();

  /**
   * @param lanes what the lanes compute in
   * @param names the name of each local
   * @param freshName a new local name from a hint, for a stored vector no local holds
   */
  public VectorPrinter(LaneType lanes, Function<Var, String> names, Function<String, String> freshName) {
    this.lanes = lanes;
    this.names = names;
    this.freshName = freshName;
    this.scalars = new JavaPrinter(lanes.scalar(), names);
  }

  /** The stores printed so far: buffer → the name of the vector it gets, in store order. */
  public Map<Buffer, String> stores() {
    return Collections.unmodifiableMap(stores);
  }

  /** The Vector API form of {@code statement}. */
  public CodeBlock statement(Statement statement) {
    CodeBlock.Builder code = CodeBlock.builder();
    if (statement instanceof Statement.Let let) {
      boolean mask = let.var().kind() == Var.Kind.ELEMENT_MASK;
      if (isVector(let.value())) {
        vectors.add(let.var());
        return code.addStatement("$T $N = $L", mask ? lanes.mask() : lanes.vector(), names.apply(let.var()),
            vector(let.value())).build();
      }
      return code.addStatement("$T $N = $L", mask ? TypeName.BOOLEAN : lanes.scalar(), names.apply(let.var()),
          scalars.elementExpression(let.value())).build();
    }
    Statement.Store store = (Statement.Store) statement;
    String value;
    if (store.value() instanceof Var var && vectors.contains(var)) {
      value = names.apply(var);
    } else {
      value = freshName.apply("new" + Character.toUpperCase(store.buffer().name().charAt(0))
          + store.buffer().name().substring(1));
      code.addStatement("$T $N = $L", lanes.vector(), value, asVector(store.value()));
    }
    stores.put(store.buffer(), value);
    return code.build();
  }

  /** Whether {@code expr} varies by lane: it loads a buffer or reads a vector local. */
  boolean isVector(Expr expr) {
    boolean[] vector = {false};
    Exprs.visit(expr, node -> {
      if (node instanceof Expr.Load || node instanceof Var var && vectors.contains(var)) {
        vector[0] = true;
      }
    });
    return vector[0];
  }

  /** {@code expr} as a vector expression, broadcasting it if it is lane-independent. */
  CodeBlock asVector(Expr expr) {
    return isVector(expr) ? vector(expr) : broadcast(expr);
  }

  private CodeBlock broadcast(Expr scalar) {
    return CodeBlock.of("$T.broadcast($N, $L)", lanes.vector(), lanes.species(), scalars.elementExpression(scalar));
  }

  /** A lane-independent argument of a vector method: a float (double) expression. */
  private CodeBlock scalar(Expr expr) {
    return scalars.elementExpression(expr);
  }

  /** An operand of a vector method that may be either. */
  private CodeBlock operand(Expr expr) {
    return isVector(expr) ? vector(expr) : scalar(expr);
  }

  /** A vector expression ({@link #isVector} holds). */
  private CodeBlock vector(Expr expr) {
    if (expr instanceof Var var) {
      return CodeBlock.of("$N", names.apply(var));
    }
    if (expr instanceof Expr.Load load) {
      String stored = stores.get(load.buffer());
      return CodeBlock.of("$N", stored != null ? stored : load.buffer().name());
    }
    if (expr instanceof Expr.Unary unary) {
      CodeBlock x = vector(unary.operand());
      switch (unary.op()) {
        case NEG:
          return CodeBlock.of("$L.neg()", x);
        case SQRT:
          // correctly rounded, as the scalar (float) Math.sqrt(x) in float and Math.sqrt(x) in double
          return CodeBlock.of("$L.sqrt()", x);
        case ABS:
          return CodeBlock.of("$L.abs()", x);
        case SIGN:
          // Math.signum: ±1 for non-zero numbers; ±0 and NaN are returned as they are
          return CodeBlock.of("$L.blend($L, $L.compare($T.GT, $L)).blend($L, $L.compare($T.LT, $L))",
              x, lanes.literal(1), x, VectorTypes.OPERATORS, lanes.literal(0), lanes.literal(-1), x,
              VectorTypes.OPERATORS, lanes.literal(0));
        default:
          throw new AssertionError(unary.op());
      }
    }
    if (expr instanceof Expr.Binary binary) {
      return binary(binary);
    }
    if (expr instanceof Expr.Fma fma) {
      Expr a = fma.a();
      Expr b = fma.b();
      if (!isVector(a) && isVector(b)) {
        // a·b + c with one rounding: the product commutes exactly
        Expr swap = a;
        a = b;
        b = swap;
      }
      if (!isVector(b) && !isVector(fma.c())) {
        return CodeBlock.of("$L.fma($L, $L)", asVector(a), scalar(b), scalar(fma.c()));
      }
      return CodeBlock.of("$L.fma($L, $L)", asVector(a), asVector(b), asVector(fma.c()));
    }
    if (expr instanceof Expr.Compare compare) {
      if (isVector(compare.left())) {
        return CodeBlock.of("$L.compare($T.$L, $L)", vector(compare.left()), VectorTypes.OPERATORS,
            compare.op().name(), operand(compare.right()));
      }
      // a < v is v > a: the same comparison, the vector first
      return CodeBlock.of("$L.compare($T.$L, $L)", vector(compare.right()), VectorTypes.OPERATORS,
          flipped(compare.op()).name(), scalar(compare.left()));
    }
    if (expr instanceof Expr.Select select) {
      if (!isVector(select.condition())) {
        return CodeBlock.of("($L ? $L : $L)", scalars.element(select.condition()).at(JavaPrinter.TERNARY + 1),
            asVector(select.ifTrue()),
            asVector(select.ifFalse()));
      }
      // blend takes the argument's lanes where the mask is set
      return CodeBlock.of("$L.blend($L, $L)", asVector(select.ifFalse()), operand(select.ifTrue()),
          vector(select.condition()));
    }
    throw new IllegalArgumentException("not a vector expression: " + expr);
  }

  private CodeBlock binary(Expr.Binary binary) {
    String method = method(binary.op());
    boolean leftVector = isVector(binary.left());
    boolean rightVector = isVector(binary.right());
    if (leftVector) {
      return CodeBlock.of("$L.$L($L)", vector(binary.left()), method, operand(binary.right()));
    }
    if (commutesExactly(binary.op())) {
      return CodeBlock.of("$L.$L($L)", vector(binary.right()), method, scalar(binary.left()));
    }
    assert rightVector;
    return CodeBlock.of("$L.$L($L)", broadcast(binary.left()), method, vector(binary.right()));
  }

  /**
   * Whether swapping the operands changes no bit: IEEE sums and products commute, and so do
   * {@code Math.min/max} and their lanewise forms (NaN if either is NaN, −0 below +0).
   */
  private static boolean commutesExactly(Expr.Binary.Op op) {
    return op == Expr.Binary.Op.ADD || op == Expr.Binary.Op.MUL || op == Expr.Binary.Op.MIN
        || op == Expr.Binary.Op.MAX;
  }

  private static String method(Expr.Binary.Op op) {
    switch (op) {
      case ADD:
        return "add";
      case SUB:
        return "sub";
      case MUL:
        return "mul";
      case DIV:
        return "div";
      case MIN:
        return "min";
      case MAX:
        return "max";
      default:
        throw new IllegalArgumentException(op + " has no lanewise form with the scalar's rounding");
    }
  }

  private static Expr.Compare.Op flipped(Expr.Compare.Op op) {
    switch (op) {
      case LT:
        return Expr.Compare.Op.GT;
      case LE:
        return Expr.Compare.Op.GE;
      case GT:
        return Expr.Compare.Op.LT;
      case GE:
        return Expr.Compare.Op.LE;
      default:
        return op;
    }
  }
}
