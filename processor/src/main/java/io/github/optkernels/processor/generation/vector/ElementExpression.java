package io.github.optkernels.processor.generation.vector;

import java.util.List;

/**
 * One expression of a kernel's element statements, as {@link ElementParser} reads it: the small
 * language the features write in (names, {@code array[i]}, numbers, {@code + - * /}, unary minus,
 * {@code (float)} casts, {@code Math.sqrt} and {@code Math.max}).
 */
sealed interface ElementExpression {

  /** A number as written, e.g. {@code 0.5f}. */
  record Number(String text) implements ElementExpression {}

  /** A local of the loop or a per-step scalar. */
  record Name(String name) implements ElementExpression {}

  /** {@code array[i]}: a buffer's element at the loop index. */
  record Load(String array) implements ElementExpression {}

  /** {@code -operand}. */
  record Negation(ElementExpression operand) implements ElementExpression {}

  /** {@code left op right}, op one of {@code + - * /}. */
  record Binary(char operator, ElementExpression left, ElementExpression right) implements ElementExpression {}

  /** {@code (float) operand}. */
  record FloatCast(ElementExpression operand) implements ElementExpression {}

  /** {@code Math.sqrt(x)} or {@code Math.max(a, b)}; {@code function} is the simple name. */
  record Call(String function, List<ElementExpression> arguments) implements ElementExpression {}
}
