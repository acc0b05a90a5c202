package io.github.optkernels.processor.generation.kernel;

import static io.github.optkernels.processor.generation.ir.Expr.oneMinus;
import static io.github.optkernels.processor.generation.ir.Expr.pow;
import static io.github.optkernels.processor.generation.ir.Expr.sub;

import io.github.optkernels.processor.generation.ir.ElementLoop;
import io.github.optkernels.processor.generation.ir.MathPrinter;
import io.github.optkernels.processor.generation.ir.StepStatement;
import io.github.optkernels.processor.generation.ir.Var;
import io.github.optkernels.processor.model.Phase;
import io.github.optkernels.processor.model.Structure;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel IR of one spec: {@code prepare}'s statements (the skeleton's locals, then the
 * features' sections in their fixed order) and one {@link ElementLoop} per phase, each built
 * stage by stage from every feature. It does not depend on the precision: the printers decide
 * the arithmetic type and where the buffers live.
 */
public final class KernelIr {
  private final Structure structure;
  private final KernelPlan plan;
  private final Map<Phase, ElementLoop> loops = new EnumMap<>(Phase.class);
  private final RuleFeature rule;

  /** The features of a rule spec: the skeleton's decay and store around the user's rule. */
  private static List<KernelFeature> ruleFeatures(RuleFeature rule, boolean divideProximalInStore) {
    ProximalDecayFeature proximal = new ProximalDecayFeature();
    return List.of(new GradientFeature(), new DecoupledDecayFeature(), proximal, rule,
        new ParameterStoreFeature(proximal::divisor, divideProximalInStore));
  }

  /** The features, in the order their prepare statements and element statements appear. */
  static List<KernelFeature> features() {
    // Rectification and the denominator add step-size factors that the numerator multiplies in,
    // so they come before it.
    return List.of(new GradientFeature(), new DecoupledDecayFeature(), new FirstMomentFeature(),
        new SecondMomentFeature(), new MaximumFeature(), new RectificationFeature(),
        new DenominatorFeature(), new NumeratorFeature(), new ParameterStoreFeature());
  }

  public KernelIr(Structure structure) {
    this(structure, true);
  }

  /**
   * @param divideProximalInStore whether proximal decay divides in the parameter's store (false
   *     for a Kahan-compensated 16-bit kernel, which divides the stored parameter afterwards)
   */
  public KernelIr(Structure structure, boolean divideProximalInStore) {
    this.structure = structure;
    this.plan = new KernelPlan(structure);
    this.rule = structure.hasRule() ? new RuleFeature(structure.rule()) : null;
    List<KernelFeature> features = rule != null ? ruleFeatures(rule, divideProximalInStore) : features();
    for (KernelFeature feature : features) {
      feature.plan(plan);
    }
    for (Phase phase : structure.phases()) {
      ElementLoop loop = new ElementLoop(phase);
      for (Stage stage : Stage.values()) {
        for (KernelFeature feature : features) {
          feature.element(stage, loop, plan);
        }
      }
      loops.put(phase, loop);
    }
  }

  public KernelPlan plan() {
    return plan;
  }

  /** The loop of {@code phase} (one of the structure's phases). */
  public ElementLoop loop(Phase phase) {
    ElementLoop loop = loops.get(phase);
    if (loop == null) {
      throw new IllegalArgumentException(phase + " is not a phase of " + structure);
    }
    return loop;
  }

  /**
   * What {@code prepare} runs on every step, Adam-2k warm-up steps included: the second moment's
   * locals and scalars and the gradient's.
   */
  public List<StepStatement> prepareBeforeWarmup() {
    List<StepStatement> statements = new ArrayList<>();
    if (rule != null) {
      // a rule has no Adam-2k warm-up: everything is computed here
      statements.add(new StepStatement.Let(plan.lr, KernelPlan.LR));
      statements.addAll(plan.prepare(PrepareSection.GRADIENT));
      statements.addAll(plan.prepare(PrepareSection.STEP));
      statements.addAll(plan.prepare(PrepareSection.RULE));
      return statements;
    }
    statements.add(new StepStatement.Let(plan.beta2, KernelPlan.BETA2));
    statements.add(new StepStatement.Let(plan.beta2Power, pow(plan.beta2, plan.step)));
    statements.add(new StepStatement.Let(plan.bc2, oneMinus(plan.beta2Power)));
    statements.add(new StepStatement.Let(plan.eps, KernelPlan.EPS));
    statements.addAll(plan.prepare(PrepareSection.SECOND_MOMENT));
    statements.addAll(plan.prepare(PrepareSection.GRADIENT));
    return statements;
  }

  /** What {@code prepare} runs after the warm-up check: the momentum steps' locals, then the rest. */
  public List<StepStatement> prepareAfterWarmup() {
    List<StepStatement> statements = new ArrayList<>();
    if (rule != null) {
      statements.add(new StepStatement.SetPhase(Phase.ADAPTIVE));
      return statements;
    }
    statements.add(new StepStatement.Comment("τ counts momentum steps: the first moment starts after the warm-up"));
    statements.add(new StepStatement.Let(plan.tau, sub(plan.step, KernelPlan.VARIANCE_WARMUP_STEPS)));
    statements.add(new StepStatement.Let(plan.lr, KernelPlan.LR));
    statements.add(new StepStatement.Let(plan.beta1, KernelPlan.BETA1));
    statements.add(new StepStatement.Let(plan.beta1Power, pow(plan.beta1, plan.tau)));
    statements.add(new StepStatement.Let(plan.bc1, oneMinus(plan.beta1Power)));
    statements.addAll(plan.prepare(PrepareSection.FIRST_MOMENT));
    List<StepStatement> phase = plan.prepare(PrepareSection.PHASE);
    if (phase.isEmpty()) {
      statements.add(new StepStatement.SetPhase(Phase.ADAPTIVE));
    } else {
      statements.addAll(phase);
    }
    statements.addAll(plan.prepare(PrepareSection.NUMERATOR));
    statements.addAll(plan.prepare(PrepareSection.STEP));
    return statements;
  }

  /** The names {@code prepare} fixes: its step parameter and the Π it reads from its carried values. */
  public List<Var> prepareParameters() {
    return List.of(rule != null ? structure.rule().step() : plan.step, plan.momentumProduct);
  }

  /** Whether {@code prepare} checks for the Adam-2k warm-up (the built-in family does). */
  public boolean hasVarianceWarmup() {
    return rule == null;
  }

  /** A rule's per-tensor norms with the loop's values bound (empty without a rule or norms). */
  public List<io.github.optkernels.processor.model.RuleModel.Norm> norms() {
    return rule == null ? List.of() : rule.norms();
  }

  /**
   * The math of the kernel for the Javadoc, printed from this IR: per step, then per element, by
   * loop.
   *
   * @param computeType the loop's arithmetic type, as the doc names it
   */
  public List<String> math(String computeType) {
    MathPrinter printer = new MathPrinter(Var::hint);
    List<String> lines = new ArrayList<>();
    lines.add("per step (double; scalars rounded once to " + computeType + "):");
    for (StepStatement statement : prepareBeforeWarmup()) {
      addLine(lines, printer.step(statement));
    }
    if (rule == null && structure.phases().contains(Phase.VARIANCE_WARMUP)) {
      lines.add("  loop: VARIANCE_WARMUP if t ≤ K (and nothing below)");
    }
    for (StepStatement statement : prepareAfterWarmup()) {
      addLine(lines, printer.step(statement));
    }
    for (Phase phase : structure.phases()) {
      lines.add("per element, " + phase + " loop (" + computeType + "):");
      for (String line : printer.loop(loops.get(phase))) {
        addLine(lines, line);
      }
    }
    return lines;
  }

  private static void addLine(List<String> lines, String line) {
    if (line != null) {
      lines.add("  " + line);
    }
  }
}
