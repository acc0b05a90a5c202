package io.github.optkernels.processor.generation.ir;

import java.util.Map;
import java.util.function.Consumer;

/** Walks and rewrites expressions. */
public final class Exprs {
  private Exprs() {}

  /** Calls {@code visitor} on {@code expr} and every node under it, parents first. */
  public static void visit(Expr expr, Consumer<Expr> visitor) {
    visitor.accept(expr);
    if (expr instanceof Expr.Unary unary) {
      visit(unary.operand(), visitor);
    } else if (expr instanceof Expr.Binary binary) {
      visit(binary.left(), visitor);
      visit(binary.right(), visitor);
    } else if (expr instanceof Expr.Fma fma) {
      visit(fma.a(), visitor);
      visit(fma.b(), visitor);
      visit(fma.c(), visitor);
    } else if (expr instanceof Expr.Compare compare) {
      visit(compare.left(), visitor);
      visit(compare.right(), visitor);
    } else if (expr instanceof Expr.Select select) {
      visit(select.condition(), visitor);
      visit(select.ifTrue(), visitor);
      visit(select.ifFalse(), visitor);
    }
  }

  /** {@code expr} with every variable in {@code replacements} replaced (the tree is rebuilt where needed). */
  public static Expr substitute(Expr expr, Map<Var, Expr> replacements) {
    if (expr instanceof Var var) {
      return replacements.getOrDefault(var, var);
    }
    if (expr instanceof Expr.Unary unary) {
      return new Expr.Unary(unary.op(), substitute(unary.operand(), replacements));
    }
    if (expr instanceof Expr.Binary binary) {
      return new Expr.Binary(binary.op(), substitute(binary.left(), replacements),
          substitute(binary.right(), replacements));
    }
    if (expr instanceof Expr.Fma fma) {
      return new Expr.Fma(substitute(fma.a(), replacements), substitute(fma.b(), replacements),
          substitute(fma.c(), replacements));
    }
    if (expr instanceof Expr.Compare compare) {
      return new Expr.Compare(compare.op(), substitute(compare.left(), replacements),
          substitute(compare.right(), replacements));
    }
    if (expr instanceof Expr.Select select) {
      return new Expr.Select(substitute(select.condition(), replacements),
          substitute(select.ifTrue(), replacements), substitute(select.ifFalse(), replacements));
    }
    return expr;
  }
}
