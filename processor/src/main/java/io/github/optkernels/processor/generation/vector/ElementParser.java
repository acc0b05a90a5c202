package io.github.optkernels.processor.generation.vector;

import io.github.optkernels.processor.generation.vector.ElementExpression.Binary;
import io.github.optkernels.processor.generation.vector.ElementExpression.Call;
import io.github.optkernels.processor.generation.vector.ElementExpression.FloatCast;
import io.github.optkernels.processor.generation.vector.ElementExpression.Load;
import io.github.optkernels.processor.generation.vector.ElementExpression.Name;
import io.github.optkernels.processor.generation.vector.ElementExpression.Negation;
import io.github.optkernels.processor.generation.vector.ElementExpression.Number;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the element statements the kernel features wrote for the scalar loop back into
 * {@link ElementStatement}s, so the fused vector loop is a mechanical translation of exactly the
 * statements the block loop runs: one source of truth for the arithmetic, and the same operations
 * in the same order (hence the same bits).
 *
 * <p>The language is what the features write and nothing more: declarations of {@code float}
 * locals, compound assignments, stores to {@code array[i]}, comments; expressions of names,
 * {@code array[i]}, numbers, {@code + - * /}, unary minus, parentheses, {@code (float)} casts,
 * {@code Math.sqrt} and {@code Math.max}. Anything else is a processor bug and fails loudly.
 */
final class ElementParser {
  private final List<String> tokens;
  private int next;

  private ElementParser(List<String> tokens) {
    this.tokens = tokens;
  }

  /** The statements of {@code source}, the scalar element loop's body. */
  static List<ElementStatement> parse(String source) {
    List<ElementStatement> statements = new ArrayList<>();
    for (String line : source.split("\n")) {
      String text = line.strip();
      if (text.isEmpty()) {
        continue;
      }
      if (text.startsWith("//")) {
        statements.add(new ElementStatement.Comment(text.substring(2).strip()));
        continue;
      }
      ElementParser parser = new ElementParser(tokenize(text));
      statements.add(parser.statement());
      parser.expectEnd();
    }
    return statements;
  }

  private ElementStatement statement() {
    String first = take();
    if (first.equals("float")) {
      String name = take();
      expect("=");
      ElementExpression value = expression();
      expect(";");
      return new ElementStatement.Declaration(name, value);
    }
    if (peek("[")) {
      expect("[");
      expect("i");
      expect("]");
      expect("=");
      ElementExpression value = expression();
      expect(";");
      return new ElementStatement.Store(first, value);
    }
    String assignment = take();
    if (assignment.length() != 2 || assignment.charAt(1) != '=' || "+-*/".indexOf(assignment.charAt(0)) < 0) {
      throw fail("an assignment", assignment);
    }
    ElementExpression value = expression();
    expect(";");
    return new ElementStatement.CompoundAssignment(first, assignment.charAt(0), value);
  }

  // additive := multiplicative (('+' | '-') multiplicative)*
  private ElementExpression expression() {
    ElementExpression left = term();
    while (peek("+") || peek("-")) {
      char operator = take().charAt(0);
      left = new Binary(operator, left, term());
    }
    return left;
  }

  // multiplicative := unary (('*' | '/') unary)*
  private ElementExpression term() {
    ElementExpression left = unary();
    while (peek("*") || peek("/")) {
      char operator = take().charAt(0);
      left = new Binary(operator, left, unary());
    }
    return left;
  }

  // unary := '-' unary | '(' 'float' ')' unary | primary
  private ElementExpression unary() {
    if (peek("-")) {
      take();
      return new Negation(unary());
    }
    if (peek("(") && next + 2 < tokens.size() && tokens.get(next + 1).equals("float")
        && tokens.get(next + 2).equals(")")) {
      next += 3;
      return new FloatCast(unary());
    }
    return primary();
  }

  // primary := number | name | name '[' 'i' ']' | function '(' args ')' | '(' expression ')'
  private ElementExpression primary() {
    String token = take();
    if (token.equals("(")) {
      ElementExpression inner = expression();
      expect(")");
      return inner;
    }
    if (Character.isDigit(token.charAt(0)) || token.charAt(0) == '.') {
      return new Number(token);
    }
    if (!Character.isJavaIdentifierStart(token.charAt(0))) {
      throw fail("an operand", token);
    }
    if (peek("[")) {
      expect("[");
      expect("i");
      expect("]");
      return new Load(token);
    }
    if (peek("(")) {
      String function = token.substring(token.lastIndexOf('.') + 1);
      if (!(token.equals("Math." + function) || token.equals("java.lang.Math." + function))
          || !(function.equals("sqrt") || function.equals("max"))) {
        throw fail("Math.sqrt or Math.max", token);
      }
      expect("(");
      List<ElementExpression> arguments = new ArrayList<>();
      arguments.add(expression());
      while (peek(",")) {
        take();
        arguments.add(expression());
      }
      expect(")");
      if (arguments.size() != (function.equals("sqrt") ? 1 : 2)) {
        throw new IllegalArgumentException(function + " with " + arguments.size() + " arguments");
      }
      return new Call(function, List.copyOf(arguments));
    }
    if (token.contains(".")) {
      throw fail("a name", token);
    }
    return new Name(token);
  }

  private static List<String> tokenize(String text) {
    List<String> tokens = new ArrayList<>();
    int k = 0;
    while (k < text.length()) {
      char c = text.charAt(k);
      if (Character.isWhitespace(c)) {
        k++;
      } else if (Character.isJavaIdentifierStart(c)) {
        int start = k;
        while (k < text.length() && (Character.isJavaIdentifierPart(text.charAt(k)) || text.charAt(k) == '.')) {
          k++;
        }
        tokens.add(text.substring(start, k));
      } else if (Character.isDigit(c) || (c == '.' && k + 1 < text.length() && Character.isDigit(text.charAt(k + 1)))) {
        int start = k;
        while (k < text.length() && (Character.isLetterOrDigit(text.charAt(k)) || text.charAt(k) == '.'
            || ((text.charAt(k) == '-' || text.charAt(k) == '+')
                && (text.charAt(k - 1) == 'e' || text.charAt(k - 1) == 'E')))) {
          k++;
        }
        tokens.add(text.substring(start, k));
      } else if ("+-*/".indexOf(c) >= 0 && k + 1 < text.length() && text.charAt(k + 1) == '=') {
        tokens.add(text.substring(k, k + 2));
        k += 2;
      } else if ("+-*/=()[],;".indexOf(c) >= 0) {
        tokens.add(String.valueOf(c));
        k++;
      } else {
        throw new IllegalArgumentException("unexpected '" + c + "' in element statement: " + text);
      }
    }
    return tokens;
  }

  private boolean peek(String token) {
    return next < tokens.size() && tokens.get(next).equals(token);
  }

  private String take() {
    if (next >= tokens.size()) {
      throw new IllegalArgumentException("element statement ends early: " + String.join(" ", tokens));
    }
    return tokens.get(next++);
  }

  private void expect(String token) {
    String actual = take();
    if (!actual.equals(token)) {
      throw fail("'" + token + "'", actual);
    }
  }

  private void expectEnd() {
    if (next != tokens.size()) {
      throw fail("the end of the statement", tokens.get(next));
    }
  }

  private IllegalArgumentException fail(String expected, String actual) {
    return new IllegalArgumentException("expected " + expected + " but found '" + actual
        + "' in element statement: " + String.join(" ", tokens));
  }
}
