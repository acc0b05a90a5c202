package io.github.optkernels.processor.generation.ir;

import java.util.function.Consumer;

/** Walks expressions. */
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
}
