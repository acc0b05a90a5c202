package io.github.optkernels.processor.validation;

import java.util.Locale;

/**
 * Every diagnostic the processor reports. Each has a stable tag (tests and users can grep for it)
 * and a text that says what is wrong and how to fix it; {@code %s} placeholders are filled by
 * {@link #format}.
 */
public enum Message {
  NOT_AN_INTERFACE("OptNotInterface",
      "@Optimizer goes on an interface (the spec), not on %s %s; declare it as 'interface %s {}'"),
  GENERIC_SPEC("OptGenericSpec",
      "spec interface %s must not have type parameters; remove them"),
  NAME_NOT_IDENTIFIER("OptBadName",
      "name = \"%s\" is not a valid Java class name; use an identifier such as \"AdamW\""),
  NAME_NOT_DERIVABLE("OptNoName",
      "cannot derive a name from interface %s; name it <Name>Spec or set name = \"<Name>\""),
  NAME_CLASHES_WITH_SPEC("OptNameClash",
      "generated class %s would have the same name as the spec interface; set another name or rename the interface"),
  NAME_CLASHES_WITH_TYPE("OptNameClash",
      "generated class %s collides with %s; set another name"),
  NAME_CLASHES_WITH_FILE("OptFileName",
      "generated class %s has the name of the source file %s, so javac would read that file as the class and report a misleading \"duplicate class\"; rename the file to %s.java or set name = \"<another name>\""),
  DUPLICATE_NAME("OptDuplicateName",
      "name %s is already used by spec %s in package %s; each spec needs its own name"),
  SPEC_DECLARES_METHOD("OptSpecMethod",
      "spec interface %s declares the %s %s, which the processor would ignore: a spec is configured through @Optimizer, and its methods are a static @Rule and @PerStep methods; annotate it, remove it or move it to another type"),
  SPEC_FIELD_NAMED_LIKE_MEMBER("OptSpecField",
      "field %1$s does not set the @Optimizer member %1$s; write %1$s = ... inside @Optimizer(...) and remove the field, or give the constant another name"),
  NO_PRECISION("OptNoPrecision",
      "precisions is empty; list at least one of FLOAT, DOUBLE, BFLOAT16, FLOAT16"),
  DUPLICATE_PRECISION("OptDuplicatePrecision",
      "precision %s is listed twice; list each precision once"),
  BETA_OUT_OF_RANGE("OptBetaRange",
      "%s = %s is outside [0, 1); choose a decay rate such as %s"),
  LR_NOT_POSITIVE("OptLr",
      "lr = %s must be positive and finite; use a default such as 1e-3"),
  NEGATIVE_OR_NONFINITE("OptNegative",
      "%s = %s must be finite and >= 0"),
  WEIGHT_DECAY_WITHOUT_MODE("OptDecayMode",
      "weightDecay = %s has no effect with decay = NONE; set decay = L2, DECOUPLED or FULLY_DECOUPLED, or remove weightDecay"),
  MAX_LR_WITHOUT_FULLY_DECOUPLED("OptMaxLr",
      "maxLr only applies to decay = FULLY_DECOUPLED (this spec has decay = %s); remove maxLr or set decay = FULLY_DECOUPLED"),
  MAX_LR_NOT_POSITIVE("OptMaxLr",
      "maxLr = %s must be positive and finite (or left unset to use the initial lr)"),
  MOMENTUM_DECAY_WITHOUT_NESTEROV("OptMomentumDecay",
      "momentumDecay only applies to firstMoment = NESTEROV; remove it or set firstMoment = NESTEROV"),
  EPS_ROOT_WITHOUT_INSIDE("OptEpsRoot",
      "epsRoot only applies to epsPlacement = INSIDE_CORRECTED_SQRT (this spec has %s); remove epsRoot or change epsPlacement"),
  THRESHOLD_WITHOUT_RECTIFY("OptThreshold",
      "rectifyThreshold has no effect with rectify = NONE; remove it or choose RADAM_SGD_FALLBACK or RADAM_SKIP_UPDATE"),
  RECTIFY_NEVER_ENGAGES("OptRectifyNever",
      "with beta2 = %s, rho_inf = %s <= 5, so rectification never engages and every step would be %s; use beta2 > 2/3 (e.g. 0.999) or rectify = NONE"),
  WARMUP_NEGATIVE("OptWarmup",
      "varianceWarmupSteps = %s must be >= 0"),
  KAHAN_WITHOUT_HALF("OptKahan",
      "kahan = ON compensates 16-bit parameters, but precisions has none (float and double updates are exact enough); add BFLOAT16 or FLOAT16, or remove kahan"),
  STATE_PRECISION_WITHOUT_HALF("OptStatePrecision",
      "statePrecision applies to 16-bit parameters, but precisions has none; add BFLOAT16 or FLOAT16, or remove statePrecision"),
  STOCHASTIC_WITHOUT_HALF("OptRounding",
      "rounding = STOCHASTIC applies to 16-bit parameters, but precisions has none; add BFLOAT16 or FLOAT16, or remove rounding"),
  KAHAN_WITH_STOCHASTIC("OptRounding",
      "kahan = ON and rounding = STOCHASTIC both correct the same rounding error; choose one (kahan = OFF with STOCHASTIC, or NEAREST_EVEN with Kahan)"),
  RULE_COUNT("OptRuleCount",
      "a spec has at most one @Rule method, found %s: %s; merge them into one"),
  RULE_NOT_STATIC("OptRuleStatic",
      "@%s method %s must be static (a rule is a function of its parameters, not of an instance); add 'static'"),
  RULE_SIGNATURE("OptRuleSignature",
      "%s; %s"),
  RULE_NEEDS_SOURCE("OptRuleSource",
      "the @Rule of %s cannot be read: its source is not available to the processor (rules are read with javac's Trees API); compile the spec from source with javac"),
  RULE_SWITCH("OptRuleSwitch",
      "%s configures the built-in Adam family, but this spec has a @Rule that defines its own state and update; remove %s"),
  RULE_PROXIMAL_WITHOUT_RULE("OptRuleProximal",
      "decay = PROXIMAL divides the parameter after a rule's update; the built-in family has no such step: add a @Rule or choose L2, DECOUPLED or FULLY_DECOUPLED"),
  RULE_UNKNOWN_NAME("OptRuleName",
      "parameter %s of %s is none of what a rule can read (%s); rename it, declare a @Hyper field or @PerStep method of that name, or mark it @State"),
  RULE_PARAMETER_TYPE("OptRuleType",
      "parameter %s of %s is %s; it must be %s"),
  RULE_COLLISION("OptRuleCollision",
      "%s %s has the name of %s; choose another name"),
  RULE_STATEMENT("OptRuleStatement",
      "%s is not allowed in a rule: %s"),
  RULE_EXPRESSION("OptRuleExpression",
      "%s is not allowed in a rule: %s"),
  RULE_CALL("OptRuleCall",
      "call to %s is not allowed here; %s can call only %s (write the arithmetic inline, or compute it once per step in a @PerStep method)"),
  RULE_DOUBLE("OptRuleDouble",
      "%s computes in double inside the float rule, which changes its results; %s (the double kernel runs the whole rule in double)"),
  RULE_READ_ONLY("OptRuleReadOnly",
      "%s cannot be assigned: %s"),
  RULE_UNDEFINED("OptRuleUndefined",
      "%s is not defined in a rule: %s"),
  RULE_RETURN("OptRuleReturn",
      "%s"),
  RULE_NORM("OptRuleNorm",
      "Tensor.norm(%s) cannot be computed: %s"),
  RULE_INTEGER_DIVISION("OptRuleIntDivision",
      "%s divides two integers, which truncates; cast one side to double, e.g. (double) %s"),
  RULE_CYCLE("OptRuleCycle",
      "@PerStep method %s depends on itself through %s; a per-step value can read only earlier ones (use @Carried for the previous step's value)"),
  RULE_CARRIED("OptRuleCarried",
      "@Carried method %s %s"),
  RULE_HYPER("OptRuleHyper",
      "@Hyper field %s %s"),
  RULE_UNUSED_MEMBER("OptRuleUnused",
      "%s = %s is set, but the rule never reads %s; remove it, or read it in the rule"),
  RULE_DECAY_TWICE("OptRuleDecayTwice",
      "the rule reads weightDecay, which decay = %s already applies; read it only with decay = NONE (the rule then owns the decay), or do not read it"),
  RULE_KAHAN("OptRuleKahan",
      "kahan = ON compensates an additive update, but rule %s assigns p instead of returning an update; set kahan = OFF (or AUTO), or return the update"),
  RULE_DECAY_VOID("OptRuleDecayVoid",
      "decay = %s scales the parameter around an additive update, but rule %s assigns p itself; read weightDecay in the rule with decay = NONE, or return an update"),
  PROCESSOR_CRASHED("OptInternal",
      "optkernels processor failed on this spec; please report it with this trace:%n%s");

  private final String tag;
  private final String template;

  Message(String tag, String template) {
    this.tag = tag;
    this.template = template;
  }

  /** The stable tag, e.g. {@code OptBetaRange}. */
  public String tag() {
    return tag;
  }

  /** The full diagnostic text: {@code [tag] } followed by the filled template. */
  public String format(Object... args) {
    return "[" + tag + "] " + String.format(Locale.ROOT, template, args);
  }
}
