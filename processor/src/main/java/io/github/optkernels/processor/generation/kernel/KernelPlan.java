package io.github.optkernels.processor.generation.kernel;

import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import io.github.optkernels.processor.generation.ir.Expr;
import io.github.optkernels.processor.generation.ir.StepScalar;
import io.github.optkernels.processor.generation.ir.StepStatement;
import io.github.optkernels.processor.generation.ir.Var;
import io.github.optkernels.processor.model.Phase;
import io.github.optkernels.processor.model.Structure;
import io.github.optkernels.runtime.Hyperparameter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where features meet: the per-step half of the kernel IR for one spec. Features add
 * {@code prepare} statements to its sections in {@link KernelFeature#plan}; the skeleton prints
 * them in a fixed order around its own locals (the step count, the betas and their powers, the
 * bias corrections), which features read through the typed handles below.
 */
public final class KernelPlan {
  // the hyperparameters (identities from the runtime's one list), as prepare reads them and as the
  // Javadoc names them
  public static final Expr.Hyper LR = hyper(Hyperparameter.LR, "lr");
  public static final Expr.Hyper BETA1 = hyper(Hyperparameter.BETA1, "β1");
  public static final Expr.Hyper BETA2 = hyper(Hyperparameter.BETA2, "β2");
  public static final Expr.Hyper EPS = hyper(Hyperparameter.EPS, "ε");
  public static final Expr.Hyper EPS_ROOT = hyper(Hyperparameter.EPS_ROOT, "ε_root");
  public static final Expr.Hyper WEIGHT_DECAY = hyper(Hyperparameter.WEIGHT_DECAY, "λ");
  public static final Expr.Hyper MAX_LR = hyper(Hyperparameter.MAX_LR, "max_lr");
  public static final Expr.Hyper MOMENTUM_DECAY = hyper(Hyperparameter.MOMENTUM_DECAY, "ψ");
  public static final Expr.Hyper VARIANCE_WARMUP_STEPS = hyper(Hyperparameter.VARIANCE_WARMUP_STEPS, "K");

  private static Expr.Hyper hyper(Hyperparameter hyperparameter, String symbol) {
    return new Expr.Hyper(hyperparameter.name(), symbol, null);
  }

  // prepare's parameters and the skeleton's locals
  /** The step count t (≥ 1), {@code prepare}'s parameter. */
  public final Var step = new Var("step", Var.Kind.STEP_COUNT);
  /** NAdam's Π before this step: {@code prepare}'s local, read from its carried values ({@code carried[0]}). */
  public final Var momentumProduct = new Var("momentumProduct", Var.Kind.STEP);
  public final Var beta2 = new Var("beta2", Var.Kind.STEP);
  /** β2^t. */
  public final Var beta2Power = new Var("beta2Power", Var.Kind.STEP);
  /** 1 − β2^t. */
  public final Var bc2 = new Var("bc2", Var.Kind.STEP);
  public final Var eps = new Var("eps", Var.Kind.STEP);
  /** τ = t − K: the momentum steps, after the Adam-2k warm-up (from the first-moment section on). */
  public final Var tau = new Var("tau", Var.Kind.STEP_COUNT);
  /** This step's (scheduled) learning rate. */
  public final Var lr = new Var("lr", Var.Kind.STEP);
  public final Var beta1 = new Var("beta1", Var.Kind.STEP);
  /** β1^τ. */
  public final Var beta1Power = new Var("beta1Power", Var.Kind.STEP);
  /** 1 − β1^τ. */
  public final Var bc1 = new Var("bc1", Var.Kind.STEP);

  private final Structure structure;
  private final Map<PrepareSection, List<StepStatement>> prepare = new EnumMap<>(PrepareSection.class);
  private final List<StepScalar> scalars = new ArrayList<>();
  private final List<Expr> adaptiveFactors = new ArrayList<>();
  private final List<FieldSpec> extraFields = new ArrayList<>();
  private final List<MethodSpec> extraMethods = new ArrayList<>();
  private StepScalar rawBeta1;

  public KernelPlan(Structure structure) {
    this.structure = structure;
    for (PrepareSection section : PrepareSection.values()) {
      prepare.put(section, new ArrayList<>());
    }
  }

  public Structure structure() {
    return structure;
  }

  /** Declares a per-step scalar, set in {@code section} to {@code value} (double, rounded once). */
  public StepScalar scalar(PrepareSection section, String name, String doc, Expr value) {
    StepScalar scalar = new StepScalar(name, doc);
    scalars.add(scalar);
    prepare.get(section).add(new StepStatement.SetScalar(scalar, value));
    return scalar;
  }

  /** Adopts a statement built elsewhere (a rule's), in {@code section}. */
  public void statement(PrepareSection section, StepStatement statement) {
    prepare.get(section).add(statement);
    if (statement instanceof StepStatement.SetScalar set && !scalars.contains(set.scalar())) {
      scalars.add(set.scalar());
    }
  }

  /** Adopts a per-step scalar that no prepare statement sets (a per-tensor norm, set before the update). */
  public void scalar(StepScalar scalar) {
    if (!scalars.contains(scalar)) {
      scalars.add(scalar);
    }
  }

  /** Declares a double local of {@code prepare} (a flag if {@code value} is a comparison). */
  public Var let(PrepareSection section, String name, Expr value) {
    Var var = new Var(name, value instanceof Expr.Compare ? Var.Kind.STEP_FLAG : Var.Kind.STEP);
    prepare.get(section).add(new StepStatement.Let(var, value));
    return var;
  }

  /** Sets a double field of the kernel in {@code section}. */
  public void field(PrepareSection section, String field, Expr value) {
    prepare.get(section).add(new StepStatement.SetField(field, value));
  }

  /** Picks the step's loop in {@code section} (the skeleton picks ADAPTIVE if no feature does). */
  public void choosePhase(PrepareSection section, Expr condition, Phase whenTrue, Phase whenFalse) {
    prepare.get(section).add(new StepStatement.ChoosePhase(condition, whenTrue, whenFalse));
  }

  /** A comment in {@code prepare}, saying why. */
  public void comment(PrepareSection section, String text) {
    prepare.get(section).add(new StepStatement.Comment(text));
  }

  /** The statements of {@code section}, in the order features added them. */
  public List<StepStatement> prepare(PrepareSection section) {
    return List.copyOf(prepare.get(section));
  }

  public List<StepScalar> scalars() {
    return List.copyOf(scalars);
  }

  /**
   * Multiplies every adaptive step size by {@code factor} (the rectification term, the
   * {@code sqrt(bc2)} moved out of the denominator).
   */
  public void adaptiveFactor(Expr factor) {
    adaptiveFactors.add(factor);
  }

  /** {@code lr · factor1 · factor2 ...}, left to right. */
  public Expr adaptiveStepSize() {
    Expr product = lr;
    for (Expr factor : adaptiveFactors) {
      product = Expr.mul(product, factor);
    }
    return product;
  }

  /** The per-step scalar holding the raw β1, once a feature has declared it (else null). */
  public StepScalar rawBeta1() {
    return rawBeta1;
  }

  public void rawBeta1(StepScalar scalar) {
    rawBeta1 = scalar;
  }

  /** Adds a field beyond the compute-type scalars (e.g. the rectification term, for inspection). */
  public void field(FieldSpec field) {
    extraFields.add(field);
  }

  /** Adds a method (e.g. an accessor for an inspection field). */
  public void method(MethodSpec method) {
    extraMethods.add(method);
  }

  public List<FieldSpec> extraFields() {
    return List.copyOf(extraFields);
  }

  public List<MethodSpec> extraMethods() {
    return List.copyOf(extraMethods);
  }
}
