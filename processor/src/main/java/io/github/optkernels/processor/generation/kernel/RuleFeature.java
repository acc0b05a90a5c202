package io.github.optkernels.processor.generation.kernel;

import io.github.optkernels.processor.generation.ir.Buffer;
import io.github.optkernels.processor.generation.ir.ElementLoop;
import io.github.optkernels.processor.generation.ir.Expr;
import io.github.optkernels.processor.generation.ir.Exprs;
import io.github.optkernels.processor.generation.ir.Statement;
import io.github.optkernels.processor.generation.ir.StepStatement;
import io.github.optkernels.processor.generation.ir.Var;
import io.github.optkernels.processor.model.RuleModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A rule the user wrote: its per-step statements go into {@code prepare}, its element program into
 * the loop at the update stage, with the rule's {@code g} and {@code p} bound to the loop's
 * gradient (after maximize and L2) and loaded parameter. It hands the loop its update (or, for a
 * rule that assigns the parameter, stores it itself).
 */
public final class RuleFeature implements KernelFeature {
  private final RuleModel rule;
  private final List<RuleModel.Norm> boundNorms = new ArrayList<>();

  public RuleFeature(RuleModel rule) {
    this.rule = rule;
  }

  @Override
  public void plan(KernelPlan plan) {
    for (StepStatement statement : rule.prepare()) {
      plan.statement(PrepareSection.RULE, statement);
    }
    for (RuleModel.Norm norm : rule.norms()) {
      plan.scalar(norm.result());
    }
  }

  @Override
  public void element(Stage stage, ElementLoop loop, KernelPlan plan) {
    if (stage != Stage.UPDATE) {
      return;
    }
    Map<Var, Expr> bind = new HashMap<>();
    bind.put(rule.gradient(), loop.gradient());
    bind.put(rule.parameter(), loop.loadedParameter() != null ? loop.loadedParameter() : new Expr.Load(Buffer.PARAM));
    for (Statement statement : rule.elements()) {
      if (statement instanceof Statement.Let let) {
        loop.let(let.var(), Exprs.substitute(let.value(), bind));
      } else {
        Statement.Store store = (Statement.Store) statement;
        loop.store(store.buffer(), Exprs.substitute(store.value(), bind));
      }
    }
    boundNorms.clear();
    for (RuleModel.Norm norm : rule.norms()) {
      boundNorms.add(new RuleModel.Norm(norm.result(), Exprs.substitute(norm.argument(), bind)));
    }
    if (rule.returnsUpdate()) {
      loop.update(Exprs.substitute(rule.update(), bind));
    } else {
      loop.store(Buffer.PARAM, Exprs.substitute(rule.newParameter(), bind));
    }
  }

  /** The norms with the loop's values bound (after {@link #element} ran for the loop). */
  public List<RuleModel.Norm> norms() {
    return List.copyOf(boundNorms);
  }
}
