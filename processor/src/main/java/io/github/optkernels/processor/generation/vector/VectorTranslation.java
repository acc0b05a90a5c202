package io.github.optkernels.processor.generation.vector;

import static io.github.optkernels.processor.generation.vector.VectorTypes.FLOAT_VECTOR;

import com.palantir.javapoet.CodeBlock;
import io.github.optkernels.processor.generation.vector.ElementExpression.Binary;
import io.github.optkernels.processor.generation.vector.ElementExpression.Call;
import io.github.optkernels.processor.generation.vector.ElementExpression.FloatCast;
import io.github.optkernels.processor.generation.vector.ElementExpression.Load;
import io.github.optkernels.processor.generation.vector.ElementExpression.Name;
import io.github.optkernels.processor.generation.vector.ElementExpression.Negation;
import io.github.optkernels.processor.generation.vector.ElementExpression.Number;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Writes element statements as Vector API code over lanes {@code [i, i + F.length())}: every
 * buffer element and every local computed from one becomes a {@code FloatVector}, per-step scalars
 * stay {@code float}. Each operation maps to the lanewise operation of the same IEEE meaning, in
 * the same order ({@code a * b} as {@code b.mul(a)} where only {@code b} is a vector: products and
 * sums commute exactly), so each lane computes exactly what the scalar statement computes.
 *
 * <p>A store writes nothing here: it names the vector the buffer gets ({@link #stores()}), and
 * the loop stores them all at the end of the iteration, once it knows every lane rounds as the
 * block loop rounds it. A load after a store reads that vector, as the block loop reads its
 * float32 copy.
 */
final class VectorTranslation {
  /** Names that hold a vector: the widened buffers, then each vector local as it is declared. */
  private final Set<String> vectors = new HashSet<>();
  /** Buffer → the vector it gets, in the order of the stores. */
  private final Map<String, String> stores = new LinkedHashMap<>();

  /** @param buffers the buffers the loop reads, each already widened into a vector of its name */
  VectorTranslation(Set<String> buffers) {
    this.vectors.addAll(buffers);
  }

  /** The stores of the statements translated so far: buffer → the name of the vector it gets. */
  Map<String, String> stores() {
    return Collections.unmodifiableMap(stores);
  }

  /** The Vector API form of {@code statement}. */
  CodeBlock translate(ElementStatement statement) {
    CodeBlock.Builder code = CodeBlock.builder();
    if (statement instanceof ElementStatement.Comment comment) {
      return code.add("// $L\n", comment.text()).build();
    }
    if (statement instanceof ElementStatement.Declaration declaration) {
      Rendered value = render(declaration.value());
      if (value.vector()) {
        vectors.add(declaration.name());
        return code.addStatement("$T $N = $L", FLOAT_VECTOR, declaration.name(), value.code()).build();
      }
      return code.addStatement("float $N = $L", declaration.name(), value.code()).build();
    }
    if (statement instanceof ElementStatement.CompoundAssignment assignment) {
      if (!vectors.contains(assignment.name())) {
        throw new IllegalArgumentException("compound assignment to a scalar: " + assignment);
      }
      // a store of this vector comes later in the loop: it keeps the value it was given
      for (Map.Entry<String, String> pending : stores.entrySet()) {
        if (pending.getValue().equals(assignment.name())) {
          String kept = storedName(pending.getKey());
          code.addStatement("$T $N = $N", FLOAT_VECTOR, kept, assignment.name());
          vectors.add(kept);
          pending.setValue(kept);
        }
      }
      Rendered value = render(assignment.value());
      return code.addStatement("$N = $N.$L($L)", assignment.name(), assignment.name(),
          method(assignment.operator()), value.code()).build();
    }
    ElementStatement.Store write = (ElementStatement.Store) statement;
    if (stores.containsKey(write.array())) {
      throw new IllegalArgumentException("second store to " + write.array() + ": " + write);
    }
    String value;
    if (write.value() instanceof Name name && vectors.contains(name.name())) {
      value = name.name();
    } else {
      Rendered rendered = render(write.value());
      if (!rendered.vector()) {
        throw new IllegalArgumentException("store of a scalar: " + write);
      }
      value = storedName(write.array());
      code.addStatement("$T $N = $L", FLOAT_VECTOR, value, rendered.code());
    }
    stores.put(write.array(), value);
    return code.build();
  }

  /** {@code newExpAvg} for {@code expAvg}: the vector a buffer gets when no local holds it. */
  private static String storedName(String array) {
    return "new" + Character.toUpperCase(array.charAt(0)) + array.substring(1);
  }

  /** An expression's code and whether it is a vector. */
  private record Rendered(CodeBlock code, boolean vector) {}

  private Rendered render(ElementExpression expression) {
    if (expression instanceof Number number) {
      return new Rendered(CodeBlock.of("$L", number.text()), false);
    }
    if (expression instanceof Name name) {
      return new Rendered(CodeBlock.of("$N", name.name()), vectors.contains(name.name()));
    }
    if (expression instanceof Load load) {
      if (stores.containsKey(load.array())) {
        return new Rendered(CodeBlock.of("$N", stores.get(load.array())), true);
      }
      if (!vectors.contains(load.array())) {
        throw new IllegalArgumentException("load of a buffer that was not widened: " + load.array());
      }
      return new Rendered(CodeBlock.of("$N", load.array()), true);
    }
    if (expression instanceof Negation negation) {
      Rendered operand = render(negation.operand());
      return operand.vector()
          ? new Rendered(CodeBlock.of("$L.neg()", operand.code()), true)
          : new Rendered(CodeBlock.of("-$L", operand.code()), false);
    }
    if (expression instanceof FloatCast cast) {
      Rendered operand = render(cast.operand());
      // a vector's lanes are float already (the scalar code's cast narrows sqrt's double result,
      // which FloatVector.sqrt computes correctly rounded in float to begin with)
      return operand.vector() ? operand : new Rendered(CodeBlock.of("((float) $L)", operand.code()), false);
    }
    if (expression instanceof Call call) {
      return renderCall(call);
    }
    Binary binary = (Binary) expression;
    Rendered left = render(binary.left());
    Rendered right = render(binary.right());
    String method = method(binary.operator());
    if (!left.vector() && !right.vector()) {
      return new Rendered(CodeBlock.of("($L $L $L)", left.code(), binary.operator(), right.code()), false);
    }
    if (left.vector()) {
      return new Rendered(CodeBlock.of("$L.$L($L)", left.code(), method, right.code()), true);
    }
    if (binary.operator() == '+' || binary.operator() == '*') {
      return new Rendered(CodeBlock.of("$L.$L($L)", right.code(), method, left.code()), true);
    }
    return new Rendered(CodeBlock.of("$T.broadcast(F, $L).$L($L)", FLOAT_VECTOR, left.code(), method, right.code()),
        true);
  }

  private Rendered renderCall(Call call) {
    if (call.function().equals("sqrt")) {
      Rendered operand = render(call.arguments().get(0));
      return operand.vector()
          ? new Rendered(CodeBlock.of("$L.sqrt()", operand.code()), true)
          : new Rendered(CodeBlock.of("$T.sqrt($L)", Math.class, operand.code()), false);
    }
    Rendered a = render(call.arguments().get(0));
    Rendered b = render(call.arguments().get(1));
    if (a.vector()) {
      return new Rendered(CodeBlock.of("$L.max($L)", a.code(), b.code()), true);
    }
    if (b.vector()) {
      // Math.max is symmetric (NaN if either is NaN; +0 above −0), and so is the lanewise max
      return new Rendered(CodeBlock.of("$L.max($L)", b.code(), a.code()), true);
    }
    return new Rendered(CodeBlock.of("$T.max($L, $L)", Math.class, a.code(), b.code()), false);
  }

  private static String method(char operator) {
    switch (operator) {
      case '+':
        return "add";
      case '-':
        return "sub";
      case '*':
        return "mul";
      case '/':
        return "div";
      default:
        throw new IllegalArgumentException("operator " + operator);
    }
  }
}
