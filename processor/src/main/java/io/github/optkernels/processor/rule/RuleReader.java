package io.github.optkernels.processor.rule;

import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import io.github.optkernels.annotations.Carried;
import io.github.optkernels.annotations.Hyper;
import io.github.optkernels.annotations.PerStep;
import io.github.optkernels.annotations.Rule;
import io.github.optkernels.annotations.State;
import io.github.optkernels.annotations.WeightDecay;
import io.github.optkernels.processor.generation.ir.Buffer;
import io.github.optkernels.processor.generation.ir.Expr;
import io.github.optkernels.processor.generation.ir.StepScalar;
import io.github.optkernels.processor.generation.ir.StepStatement;
import io.github.optkernels.processor.generation.ir.Var;
import io.github.optkernels.processor.model.RuleModel;
import io.github.optkernels.processor.reading.AnnotatedSpec;
import io.github.optkernels.processor.reading.Member;
import io.github.optkernels.processor.reading.SourceLocations;
import io.github.optkernels.processor.validation.Message;
import io.github.optkernels.processor.validation.ValidationReport;
import io.github.optkernels.runtime.Hyperparameter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;

/**
 * Reads a spec's rule: its {@code @Hyper} fields, {@code @PerStep} methods and the {@code @Rule}
 * method, from source (javac's Trees), into a {@link RuleModel}. Every problem is reported on the
 * member, parameter or exact expression that has it; a rule with problems gives no model.
 */
public final class RuleReader {
  /** The names a rule's gradient and parameter have. */
  static final String GRADIENT = "g";
  static final String PARAMETER = "p";
  /** The per-step methods' step count and learning rate. */
  static final String STEP = "t";
  static final String LR = "lr";
  /** The most state slots a rule may have: the runtime's 16-bit scratch has 16 buffers, two for p and g. */
  static final int MAX_SLOTS = 14;

  private final TypeElement spec;
  private final AnnotatedSpec annotated;
  private final SourceLocations locations;
  private final ValidationReport report;
  /** The generated optimizer class, which holds the declared hyperparameters' constants. */
  private final String optimizerClass;

  private final Map<String, Declared> declared = new LinkedHashMap<>();
  private final Map<String, ExecutableElement> perStep = new LinkedHashMap<>();
  private final Set<Hyperparameter> usedBuiltIns = new LinkedHashSet<>();
  private final Set<String> usedDeclared = new HashSet<>();
  private final List<StepStatement> prepare = new ArrayList<>();
  private final Map<String, StepTranslator.Typed> translated = new HashMap<>();
  private final Set<String> translating = new LinkedHashSet<>();
  /** Per-step methods that failed (reported once); what reads them says nothing more. */
  private final Set<String> failedMethods = new HashSet<>();
  private final List<RuleModel.CarriedValue> carried = new ArrayList<>();
  private final Var step = new Var("step", Var.Kind.STEP_COUNT);
  /** The source of the rule and every per-step method it reads: the rule's identity. */
  private final StringBuilder source = new StringBuilder();
  private int problems;

  private record Declared(Hyperparameter hyperparameter, String constant, double defaultValue, boolean integer) {}

  public RuleReader(AnnotatedSpec annotated, SourceLocations locations, ValidationReport report,
      String optimizerClass) {
    this.spec = annotated.element();
    this.annotated = annotated;
    this.locations = locations;
    this.report = report;
    this.optimizerClass = optimizerClass;
  }

  /** Whether {@code spec} declares a {@code @Rule} method, or takes one from an interface it extends. */
  public static boolean hasRule(TypeElement spec) {
    return members(spec).stream().anyMatch(e -> e.getAnnotation(Rule.class) != null);
  }

  /**
   * The spec's members, then those of the interfaces it extends (depth first), each name once: a
   * spec may take its rule from another (e.g. one per storage configuration, sharing one rule).
   */
  static List<Element> members(TypeElement spec) {
    List<Element> members = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    collect(spec, members, seen, new HashSet<>());
    return members;
  }

  private static void collect(TypeElement type, List<Element> members, Set<String> seen, Set<TypeElement> visited) {
    if (!visited.add(type)) {
      return;
    }
    for (Element member : type.getEnclosedElements()) {
      if ((member.getKind() == ElementKind.METHOD || member.getKind() == ElementKind.FIELD)
          && seen.add(member.getKind() + " " + member.getSimpleName())) {
        members.add(member);
      }
    }
    for (var superinterface : type.getInterfaces()) {
      if (superinterface instanceof javax.lang.model.type.DeclaredType declared
          && declared.asElement() instanceof TypeElement parent) {
        collect(parent, members, seen, visited);
      }
    }
  }

  /** The rule, or null if the spec has problems (all reported). Call only when {@link #hasRule}. */
  public RuleModel read() {
    List<ExecutableElement> rules = new ArrayList<>();
    for (Element member : members(spec)) {
      if (member.getAnnotation(Rule.class) != null) {
        rules.add((ExecutableElement) member);
      } else if (member.getAnnotation(PerStep.class) != null && member.getKind() == ElementKind.METHOD) {
        perStep.put(member.getSimpleName().toString(), (ExecutableElement) member);
      } else if (member.getAnnotation(Carried.class) != null) {
        error(Message.RULE_CARRIED.format(member.getSimpleName(), "must also be @PerStep"), member);
      } else if (member.getAnnotation(Hyper.class) != null) {
        readHyper((VariableElement) member);
      }
    }
    if (rules.size() != 1) {
      for (ExecutableElement extra : rules.subList(1, rules.size())) {
        error(Message.RULE_COUNT.format(rules.size(), names(rules)), extra);
      }
      return null;
    }
    for (ExecutableElement method : perStep.values()) {
      checkPerStepSignature(method);
    }
    ExecutableElement rule = rules.get(0);
    return readRule(rule);
  }

  private static String names(List<ExecutableElement> methods) {
    return String.join(", ", methods.stream().map(m -> m.getSimpleName().toString()).toList());
  }

  private void error(String text, Element element) {
    report.error(text, element, null, null);
    problems++;
  }

  // ---- @Hyper fields ----

  private void readHyper(VariableElement field) {
    String name = field.getSimpleName().toString();
    Hyper hyper = field.getAnnotation(Hyper.class);
    boolean integer = field.asType().getKind() == TypeKind.INT;
    if (Member.isNamed(name) || isBuiltInHyperparameter(name)) {
      error(Message.RULE_COLLISION.format("@Hyper field", name, "a built-in hyperparameter or @Optimizer member"), field);
      return;
    }
    if (name.equals(GRADIENT) || name.equals(PARAMETER) || name.equals(STEP)) {
      error(Message.RULE_COLLISION.format("@Hyper field", name, "a value every rule has (g, p, t)"), field);
      return;
    }
    if (!integer && field.asType().getKind() != TypeKind.DOUBLE) {
      error(Message.RULE_HYPER.format(name, "is " + field.asType() + "; declare it double (or int for a count)"), field);
      return;
    }
    if (integer != (hyper.domain() == Hyper.Domain.COUNT)) {
      error(Message.RULE_HYPER.format(name, integer ? "is an int; give it domain = COUNT (or declare it double)"
          : "has domain = COUNT; declare it int"), field);
      return;
    }
    Object constant = field.getConstantValue();
    if (!(constant instanceof Number number)) {
      error(Message.RULE_HYPER.format(name, "needs a constant default, e.g. = 0.99"), field);
      return;
    }
    Hyperparameter.Domain domain = switch (hyper.domain()) {
      case UNIT_INTERVAL -> Hyperparameter.Domain.UNIT_INTERVAL;
      case COUNT -> Hyperparameter.Domain.COUNT;
      default -> Hyperparameter.Domain.NON_NEGATIVE;
    };
    double value = number.doubleValue();
    if (!domain.contains(value)) {
      error(Message.RULE_HYPER.format(name, "= " + value + " " + domain.requirement()), field);
      return;
    }
    String description = hyper.description().isEmpty() ? name : hyper.description();
    declared.put(name, new Declared(Hyperparameter.declare(name, domain, description),
        Names.constantName(name), value, integer));
  }

  private static boolean isBuiltInHyperparameter(String name) {
    return Hyperparameter.BUILT_IN.stream().anyMatch(h -> h.name().equals(name));
  }

  private static Hyperparameter builtIn(String name) {
    return Hyperparameter.BUILT_IN.stream().filter(h -> h.name().equals(name)).findFirst().orElse(null);
  }

  private Expr.Hyper hyperExpr(String name) {
    Hyperparameter builtIn = builtIn(name);
    if (builtIn != null) {
      usedBuiltIns.add(builtIn);
      return new Expr.Hyper(name, name, null);
    }
    usedDeclared.add(name);
    return new Expr.Hyper(name, name, optimizerClass + "." + declared.get(name).constant());
  }

  // ---- @PerStep methods ----

  private void checkPerStepSignature(ExecutableElement method) {
    String name = method.getSimpleName().toString();
    if (!method.getModifiers().contains(Modifier.STATIC)) {
      error(Message.RULE_NOT_STATIC.format("PerStep", name), method);
    }
    TypeKind returns = method.getReturnType().getKind();
    if (returns != TypeKind.DOUBLE && returns != TypeKind.BOOLEAN) {
      error(Message.RULE_SIGNATURE.format("@PerStep method " + name + " returns " + method.getReturnType(),
          "a per-step value is a double (or a boolean)"), method);
    }
    if (isBuiltInHyperparameter(name) || declared.containsKey(name) || Set.of(GRADIENT, PARAMETER, STEP).contains(name)) {
      error(Message.RULE_COLLISION.format("@PerStep method", name, "a hyperparameter or a value every rule has"), method);
    }
    Carried carriedAnnotation = method.getAnnotation(Carried.class);
    if (carriedAnnotation != null) {
      boolean readsItself = method.getParameters().stream().anyMatch(p -> p.getSimpleName().contentEquals(name));
      if (!readsItself) {
        error(Message.RULE_CARRIED.format(name, "must take its previous value as a parameter named " + name), method);
      }
      if (returns != TypeKind.DOUBLE) {
        error(Message.RULE_CARRIED.format(name, "must return double"), method);
      }
      if (!Double.isFinite(carriedAnnotation.initial())) {
        error(Message.RULE_CARRIED.format(name, "needs a finite initial value"), method);
      }
    }
  }

  /** The value of per-step method {@code name}: translated on first use, after what it reads. */
  private StepTranslator.Typed perStepValue(String name, Tree where, Problems at) {
    StepTranslator.Typed done = translated.get(name);
    if (done != null || failedMethods.contains(name)) {
      return done;
    }
    ExecutableElement method = perStep.get(name);
    if (translating.contains(name)) {
      at.at(where, Message.RULE_CYCLE, name, String.join(" → ", translating) + " → " + name);
      return null;
    }
    var source = locations.methodSource(method);
    if (source.isEmpty()) {
      report.error(Message.RULE_NEEDS_SOURCE.format(spec.getSimpleName()), spec, annotated.mirror(), null);
      problems++;
      return null;
    }
    translating.add(name);
    Problems methodProblems = new Problems(report, source.get().unit());
    Carried carriedAnnotation = method.getAnnotation(Carried.class);
    Var before = carriedAnnotation == null ? null : new Var(name + "Before", Var.Kind.STEP);
    Map<String, StepTranslator.Typed> parameters = new HashMap<>();
    Set<String> failedParameters = new HashSet<>();
    MethodTree tree = source.get().tree();
    this.source.append(tree).append('\n');
    for (int k = 0; k < method.getParameters().size(); k++) {
      VariableElement parameter = method.getParameters().get(k);
      String parameterName = parameter.getSimpleName().toString();
      Tree parameterTree = tree.getParameters().get(k);
      StepTranslator.Typed value = parameterName.equals(name) && before != null
          ? new StepTranslator.Typed(before, StepTranslator.Type.DOUBLE)
          : stepInput(parameterName, parameterTree, methodProblems);
      if (value == null) {
        failedParameters.add(parameterName);
        if (!perStep.containsKey(parameterName)) {
          error(Message.RULE_UNKNOWN_NAME.format(parameterName, "@PerStep method " + name, stepInputs()), parameter);
        }
        continue;
      }
      String expected = switch (value.type()) {
        case INTEGRAL -> parameterName.equals(STEP) ? "long" : "int";
        case BOOLEAN -> "boolean";
        default -> "double";
      };
      if (!parameter.asType().toString().equals(expected)
          && !(parameterName.equals(STEP) && parameter.asType().getKind() == TypeKind.DOUBLE)) {
        error(Message.RULE_PARAMETER_TYPE.format(parameterName, name, parameter.asType(), expected), parameter);
      }
      parameters.put(parameterName, value);
    }
    StepTranslator translator = new StepTranslator(methodProblems, new StepTranslator.Scope() {
      @Override
      public StepTranslator.Typed resolve(String n, Tree w) {
        return parameters.get(n);
      }

      @Override
      public boolean failed(String n) {
        return failedParameters.contains(n);
      }
    }, prepare);
    StepTranslator.Typed result = translator.body(name, tree.getBody().getStatements(), tree);
    problems += methodProblems.count();
    translating.remove(name);
    if (result == null || !failedParameters.isEmpty()) {
      failedMethods.add(name);
      return null;
    }
    boolean flag = method.getReturnType().getKind() == TypeKind.BOOLEAN;
    if (flag != (result.type() == StepTranslator.Type.BOOLEAN)) {
      at.at(tree, Message.RULE_RETURN, "@PerStep method " + name + " returns " + method.getReturnType()
          + " but its return value is " + (flag ? "a number" : "a boolean"));
      return null;
    }
    Var var = new Var(name, flag ? Var.Kind.STEP_FLAG : Var.Kind.STEP);
    prepare.add(new StepStatement.Let(var, result.expr()));
    StepTranslator.Typed value = new StepTranslator.Typed(var, flag ? StepTranslator.Type.BOOLEAN : StepTranslator.Type.DOUBLE);
    translated.put(name, value);
    if (before != null) {
      carried.add(new RuleModel.CarriedValue(Names.snakeCase(name), carriedAnnotation.initial(), before, var));
    }
    return value;
  }

  /** What a per-step method's parameter named {@code name} is, or null if nothing. */
  private StepTranslator.Typed stepInput(String name, Tree where, Problems at) {
    if (name.equals(STEP)) {
      return new StepTranslator.Typed(step, StepTranslator.Type.INTEGRAL);
    }
    if (isBuiltInHyperparameter(name)) {
      return new StepTranslator.Typed(hyperExpr(name), builtIn(name).isInteger()
          ? StepTranslator.Type.INTEGRAL : StepTranslator.Type.DOUBLE);
    }
    Declared d = declared.get(name);
    if (d != null) {
      return new StepTranslator.Typed(hyperExpr(name), d.integer() ? StepTranslator.Type.INTEGRAL : StepTranslator.Type.DOUBLE);
    }
    if (perStep.containsKey(name)) {
      return perStepValue(name, where, at);
    }
    return null;
  }

  private String stepInputs() {
    return "t, lr, a hyperparameter (" + hyperparameterNames() + ") or a @PerStep method"
        + (perStep.isEmpty() ? "" : " (" + String.join(", ", perStep.keySet()) + ")");
  }

  private String hyperparameterNames() {
    List<String> names = new ArrayList<>();
    Hyperparameter.BUILT_IN.forEach(h -> names.add(h.name()));
    names.addAll(declared.keySet());
    return String.join(", ", names);
  }

  // ---- the @Rule method ----

  private RuleModel readRule(ExecutableElement method) {
    String name = method.getSimpleName().toString();
    if (!method.getModifiers().contains(Modifier.STATIC)) {
      error(Message.RULE_NOT_STATIC.format("Rule", name), method);
    }
    TypeKind returns = method.getReturnType().getKind();
    if (returns != TypeKind.FLOAT && returns != TypeKind.VOID) {
      error(Message.RULE_SIGNATURE.format("@Rule method " + name + " returns " + method.getReturnType(),
          "it returns the float update u (p ← p + u), or is void and assigns p"), method);
      return null;
    }
    var source = locations.methodSource(method);
    if (source.isEmpty()) {
      report.error(Message.RULE_NEEDS_SOURCE.format(spec.getSimpleName()), spec, annotated.mirror(), null);
      problems++;
      return null;
    }
    MethodTree tree = source.get().tree();
    Problems ruleProblems = new Problems(report, source.get().unit());
    boolean returnsUpdate = returns == TypeKind.FLOAT;

    Var gradient = new Var("g", Var.Kind.ELEMENT);
    Var parameter = new Var("p", Var.Kind.ELEMENT);
    Map<String, Buffer> slots = new LinkedHashMap<>();
    List<RuleModel.Slot> slotModels = new ArrayList<>();
    Map<String, ElementTranslator.Typed> inputs = new HashMap<>();
    List<StepScalar> scalars = new ArrayList<>();
    boolean evaluation = false;
    Set<String> slotNames = new HashSet<>();
    Set<String> failedParameters = new HashSet<>();
    // the Java names the kernels already use; a per-step scalar whose name is one gets a suffix
    Set<String> taken = new HashSet<>(Names.KERNEL_OWN);
    for (VariableElement p : method.getParameters()) {
      State state = p.getAnnotation(State.class);
      if (state != null) {
        String array = Buffer.javaName(state.value().isEmpty()
            ? Names.snakeCase(p.getSimpleName().toString()) : state.value());
        taken.add(array);
        taken.add(array + "Stored");
      }
    }
    for (VariableElement p : method.getParameters()) {
      String parameterName = p.getSimpleName().toString();
      State state = p.getAnnotation(State.class);
      boolean isFloat = p.asType().getKind() == TypeKind.FLOAT;
      if (state != null) {
        String slot = state.value().isEmpty() ? Names.snakeCase(parameterName) : state.value();
        failedParameters.add(parameterName); // until it is known good, below
        if (!isFloat) {
          error(Message.RULE_PARAMETER_TYPE.format(parameterName, name, p.asType(), "float (a state slot holds numbers)"), p);
        } else if (slot.equals("kahan_comp")) {
          error(Message.RULE_COLLISION.format("state slot", slot, "the Kahan compensation buffer 16-bit kernels keep"), p);
        } else if (Names.KERNEL_OWN.contains(Buffer.javaName(slot))) {
          error(Message.RULE_COLLISION.format("state slot", slot,
              "a variable of the generated kernels (" + Buffer.javaName(slot) + ")"), p);
        } else if (!slot.matches("[a-z][a-z0-9_]*") || !slotNames.add(slot)) {
          error(Message.RULE_COLLISION.format("state slot", slot, slotNames.contains(slot)
              ? "another slot" : "no valid slot name (lower case letters, digits and _)"), p);
        } else if (state.evaluationPoint() && evaluation) {
          error(Message.RULE_SIGNATURE.format("a second evaluation-point slot " + slot, "a rule has at most one"), p);
        } else {
          evaluation |= state.evaluationPoint();
          failedParameters.remove(parameterName);
          slots.put(parameterName, Buffer.state(slot));
          slotModels.add(new RuleModel.Slot(slot, state.evaluationPoint()));
        }
        continue;
      }
      if (parameterName.equals(GRADIENT) || parameterName.equals(PARAMETER)) {
        if (!isFloat) {
          error(Message.RULE_PARAMETER_TYPE.format(parameterName, name, p.asType(), "float"), p);
        }
        inputs.put(parameterName, new ElementTranslator.Typed(
            parameterName.equals(GRADIENT) ? gradient : parameter, ElementTranslator.Type.FLOAT));
        continue;
      }
      Expr value;
      boolean flag = false;
      if (isBuiltInHyperparameter(parameterName) || declared.containsKey(parameterName)) {
        value = hyperExpr(parameterName);
      } else if (perStep.containsKey(parameterName)) {
        StepTranslator.Typed step = perStepValue(parameterName, tree, ruleProblems);
        if (step == null) {
          failedParameters.add(parameterName);
          continue;
        }
        flag = step.type() == StepTranslator.Type.BOOLEAN;
        // a flag reaches the loop as 1 or 0 in the loop's type, compared with 0 there
        value = flag ? Expr.select(step.expr(), Expr.constant(1), Expr.constant(0)) : step.expr();
      } else {
        error(Message.RULE_UNKNOWN_NAME.format(parameterName, "@Rule method " + name,
            "g, p, a hyperparameter (" + hyperparameterNames() + ")"
                + (perStep.isEmpty() ? "" : ", a @PerStep method (" + String.join(", ", perStep.keySet()) + ")")),
            p);
        failedParameters.add(parameterName);
        continue;
      }
      String expected = flag ? "boolean" : "float";
      if (!p.asType().toString().equals(expected)) {
        error(Message.RULE_PARAMETER_TYPE.format(parameterName, name, p.asType(), expected
            + " (the kernel rounds the per-step value once to its type)"), p);
        failedParameters.add(parameterName);
        continue;
      }
      StepScalar scalar = new StepScalar(unused(parameterName, taken), parameterName + ", per step");
      scalars.add(scalar);
      prepare.add(new StepStatement.SetScalar(scalar, value));
      inputs.put(parameterName, new ElementTranslator.Typed(
          flag ? Expr.compare(Expr.Compare.Op.NE, scalar.ref(), Expr.constant(0)) : scalar.ref(),
          flag ? ElementTranslator.Type.BOOLEAN : ElementTranslator.Type.FLOAT));
    }
    if (slots.size() > MAX_SLOTS) {
      error(Message.RULE_SIGNATURE.format("@Rule method " + name + " has " + slots.size() + " state slots",
          "a rule may have at most " + MAX_SLOTS + " (the 16-bit kernels' scratch holds as many)"), method);
    }
    List<StepScalar> literals = new ArrayList<>();
    ElementTranslator translator = new ElementTranslator(ruleProblems, new ElementTranslator.Scope() {
      @Override
      public ElementTranslator.Typed resolve(String n) {
        return inputs.get(n);
      }

      @Override
      public StepScalar literal(double value) {
        StepScalar scalar = new StepScalar(unused("literal" + literals.size(), taken), "the literal " + value);
        literals.add(scalar);
        prepare.add(new StepStatement.SetScalar(scalar, Expr.constant(value)));
        return scalar;
      }

      @Override
      public StepScalar norm(int index) {
        return new StepScalar(unused("norm" + index, taken), "a per-tensor norm, set before the update pass");
      }

      @Override
      public boolean failed(String n) {
        return failedParameters.contains(n);
      }
    }, slots, returnsUpdate);
    translator.body(name, tree.getBody().getStatements(), tree);
    problems += ruleProblems.count();
    scalars.addAll(literals);
    checkAgainstSwitches(method, returnsUpdate);
    if (problems > 0) {
      return null;
    }
    List<RuleModel.Declared> declaredModels = new ArrayList<>();
    for (Declared d : declared.values()) {
      declaredModels.add(new RuleModel.Declared(d.hyperparameter(), d.constant(), d.defaultValue()));
    }
    return new RuleModel(slotModels, declaredModels, usedBuiltIns, prepare, scalars, carried,
        translator.norms(), translator.statements(), translator.update(), translator.newParameter(),
        gradient, parameter, step, tree + "\n" + source + declaredSource());
  }

  /** {@code name}, or with as many {@code _} appended as it takes to be none of {@code taken}; taken now. */
  private static String unused(String name, Set<String> taken) {
    String unused = name;
    while (!taken.add(unused)) {
      unused += "_";
    }
    return unused;
  }

  private String declaredSource() {
    StringBuilder text = new StringBuilder();
    for (Declared d : declared.values()) {
      text.append(d.hyperparameter().name()).append(' ').append(d.hyperparameter().domain()).append('\n');
    }
    return text.toString();
  }

  /** What the rule and the spec's switches must agree on. */
  private void checkAgainstSwitches(ExecutableElement method, boolean returnsUpdate) {
    String name = method.getSimpleName().toString();
    WeightDecay decay = annotated.decay();
    if (usedBuiltIns.contains(Hyperparameter.WEIGHT_DECAY) && decay != WeightDecay.NONE) {
      error(Message.RULE_DECAY_TWICE.format(decay), method);
    }
    if (!returnsUpdate) {
      if (annotated.kahan() == io.github.optkernels.annotations.Kahan.ON) {
        error(Message.RULE_KAHAN.format(name), method);
      }
      if (decay != WeightDecay.NONE && decay != WeightDecay.L2) {
        error(Message.RULE_DECAY_VOID.format(decay, name), method);
      }
    }
    for (Member member : Member.hyperparameterDefaults()) {
      Hyperparameter h = member.hyperparameter();
      boolean usedBySkeleton = h.equals(Hyperparameter.LR)
          || (h.equals(Hyperparameter.WEIGHT_DECAY) && decay != WeightDecay.NONE)
          || (h.equals(Hyperparameter.MAX_LR) && decay == WeightDecay.FULLY_DECOUPLED);
      if (annotated.isExplicit(member) && !usedBuiltIns.contains(h) && !usedBySkeleton) {
        report.error(Message.RULE_UNUSED_MEMBER.format(member.javaName(), annotated.number(member), member.javaName()),
            spec, annotated.mirror(), annotated.explicitValue(member).orElse(null));
        problems++;
      }
    }
  }

}
