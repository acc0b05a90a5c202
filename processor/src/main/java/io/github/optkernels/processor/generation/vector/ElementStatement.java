package io.github.optkernels.processor.generation.vector;

/** One statement of a kernel's element loop, as {@link ElementParser} reads it. */
sealed interface ElementStatement {

  /** {@code float name = value;} */
  record Declaration(String name, ElementExpression value) implements ElementStatement {}

  /** {@code name op= value;}, op one of {@code + - * /}. */
  record CompoundAssignment(String name, char operator, ElementExpression value) implements ElementStatement {}

  /** {@code array[i] = value;} */
  record Store(String array, ElementExpression value) implements ElementStatement {}

  /** {@code // text}: kept, since the features explain themselves in comments. */
  record Comment(String text) implements ElementStatement {}
}
