package io.github.optkernels.processor.validation;

import io.github.optkernels.annotations.FirstMoment;
import io.github.optkernels.annotations.Kahan;
import io.github.optkernels.annotations.ParamRounding;
import io.github.optkernels.annotations.Precision;
import io.github.optkernels.annotations.Rectification;
import io.github.optkernels.annotations.WeightDecay;
import io.github.optkernels.processor.model.GeneratedNames;
import io.github.optkernels.processor.reading.AnnotatedSpec;
import io.github.optkernels.processor.reading.Member;
import io.github.optkernels.processor.rule.RuleReader;
import io.github.optkernels.annotations.Hyper;
import io.github.optkernels.annotations.PerStep;
import io.github.optkernels.annotations.Rule;
import io.github.optkernels.runtime.Hyperparameter;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;

/**
 * Checks one spec. Every rule runs (a spec with three mistakes gets three errors), and each error
 * points at the member that carries the mistake.
 */
public final class SpecValidator {

  /** Who holds a name already. */
  public record Owner(boolean isSpec, String qualifiedName) {
    @Override
    public String toString() {
      return (isSpec ? "spec " : "type ") + qualifiedName;
    }
  }

  /**
   * A source file of the build, named {@code fileName}.java, whose first top-level type is
   * {@code firstType}.
   */
  public record SourceFile(String fileName, String firstType) {}

  /**
   * Names already taken in a package: by earlier specs' generated classes, by user types, and by
   * the user's source files.
   */
  public interface NameRegistry {
    /** Who owns {@code simpleName} in {@code packageName}, or empty if it is free. */
    Optional<Owner> ownerOf(String packageName, String simpleName);

    /**
     * The source file {@code simpleName.java} of {@code packageName} compiled in this build, if any.
     * javac looks a class up by its file name, so a generated class must not share one with a
     * file that declares other types: javac would read that file a second time, as the class.
     */
    Optional<SourceFile> sourceFileNamed(String packageName, String simpleName);
  }

  private final NameRegistry names;

  public SpecValidator(NameRegistry names) {
    this.names = names;
  }

  /** All problems of {@code spec}; clean if none. */
  public ValidationReport validate(AnnotatedSpec spec, String packageName) {
    ValidationReport report = new ValidationReport();
    checkElement(spec, report);
    checkBody(spec, report);
    checkName(spec, packageName, report);
    checkPrecisions(spec, report);
    checkNumbers(spec, report);
    checkOptionsAgreeWithEachOther(spec, report);
    return report;
  }

  private static void checkElement(AnnotatedSpec spec, ValidationReport report) {
    TypeElement element = spec.element();
    if (element.getKind() != ElementKind.INTERFACE) {
      report.error(Message.NOT_AN_INTERFACE.format(kindName(element.getKind()),
          element.getSimpleName(), element.getSimpleName()), element, spec.mirror(), null);
    }
    if (!element.getTypeParameters().isEmpty()) {
      // the type parameter itself is the culprit
      report.error(Message.GENERIC_SPEC.format(element.getSimpleName()),
          element.getTypeParameters().get(0), null, null);
    }
  }

  /**
   * What a spec interface may declare besides its annotation. Methods of any kind (abstract,
   * default, static, private) are rejected: nothing reads them, so a user who writes
   * {@code default double lr() { return 1e-2; }} would silently get the annotation's lr. Constants
   * are allowed, because they do nothing by themselves and a spec may name a value its annotation
   * uses ({@code lr = AdamWSpec.LR}); but a field spelled like an {@code @Optimizer} member
   * ({@code double lr = 1e-2;}) reads as configuration that would silently not apply, so it is
   * rejected. Nested types are allowed: inert, and a nested interface may be a spec of its own
   * (checked on its own). Only an interface is checked here; anything else already has its error.
   */
  private static void checkBody(AnnotatedSpec spec, ValidationReport report) {
    TypeElement element = spec.element();
    if (element.getKind() != ElementKind.INTERFACE) {
      return;
    }
    for (Element member : element.getEnclosedElements()) {
      String name = member.getSimpleName().toString();
      if (member.getAnnotation(Rule.class) != null || member.getAnnotation(PerStep.class) != null
          || member.getAnnotation(Hyper.class) != null) {
        continue; // a rule's members, read and checked by the rule reader
      }
      if (member.getKind() == ElementKind.METHOD) {
        report.error(Message.SPEC_DECLARES_METHOD.format(element.getSimpleName(),
            methodKind((ExecutableElement) member), name), member, null, null);
      } else if (member.getKind() == ElementKind.FIELD && Member.isNamed(name)) {
        report.error(Message.SPEC_FIELD_NAMED_LIKE_MEMBER.format(name), member, null, null);
      }
    }
  }

  private static String methodKind(ExecutableElement method) {
    Set<Modifier> modifiers = method.getModifiers();
    if (modifiers.contains(Modifier.DEFAULT)) {
      return "default method";
    }
    if (modifiers.contains(Modifier.PRIVATE)) {
      return modifiers.contains(Modifier.STATIC) ? "private static method" : "private method";
    }
    return modifiers.contains(Modifier.STATIC) ? "static method" : "abstract method";
  }

  private static String kindName(ElementKind kind) {
    switch (kind) {
      case ANNOTATION_TYPE:
        return "annotation type";
      case ENUM:
        return "enum";
      case RECORD:
        return "record";
      default:
        return kind.name().toLowerCase(Locale.ROOT);
    }
  }

  private void checkName(AnnotatedSpec spec, String packageName, ValidationReport report) {
    String simpleName = spec.element().getSimpleName().toString();
    Optional<String> derived = GeneratedNames.optimizerName(spec.name(), simpleName);
    if (derived.isEmpty()) {
      report.error(Message.NAME_NOT_DERIVABLE.format(simpleName), spec.element(), spec.mirror(),
          valueOf(spec, Member.NAME));
      return;
    }
    String name = derived.get();
    if (!GeneratedNames.isClassName(name)) {
      report.error(Message.NAME_NOT_IDENTIFIER.format(name), spec.element(), spec.mirror(),
          valueOf(spec, Member.NAME));
      return;
    }
    Optional<Owner> optimizerOwner = names.ownerOf(packageName, name);
    if (optimizerOwner.isPresent() && optimizerOwner.get().isSpec()) {
      // another spec generates the same set of classes: one error, not one per class
      report.error(Message.DUPLICATE_NAME.format(name, optimizerOwner.get().qualifiedName(),
          packageName.isEmpty() ? "(default package)" : packageName), spec.element(), spec.mirror(),
          valueOf(spec, Member.NAME));
      return;
    }
    boolean topLevel = spec.element().getEnclosingElement().getKind() == ElementKind.PACKAGE;
    // one error per generated name, from the most specific owner: the spec, a type, a file
    for (String generated : GeneratedNames.allClasses(name, distinct(spec.precisions()))) {
      if (topLevel && generated.equals(simpleName)) {
        report.error(Message.NAME_CLASHES_WITH_SPEC.format(generated), spec.element(),
            spec.mirror(), valueOf(spec, Member.NAME));
        continue;
      }
      Optional<Owner> owner = names.ownerOf(packageName, generated);
      if (owner.isPresent()) {
        report.error(Message.NAME_CLASHES_WITH_TYPE.format(generated, owner.get()),
            spec.element(), spec.mirror(), valueOf(spec, Member.NAME));
        continue;
      }
      Optional<SourceFile> file = names.sourceFileNamed(packageName, generated);
      if (file.isPresent()) {
        report.error(Message.NAME_CLASHES_WITH_FILE.format(generated,
            file.get().fileName() + ".java", file.get().firstType()),
            spec.element(), spec.mirror(), valueOf(spec, Member.NAME));
      }
    }
  }

  private static List<Precision> distinct(List<Precision> precisions) {
    return List.copyOf(EnumSet.copyOf(precisions.isEmpty() ? EnumSet.noneOf(Precision.class) : precisions));
  }

  private static void checkPrecisions(AnnotatedSpec spec, ValidationReport report) {
    List<Precision> precisions = spec.precisions();
    AnnotationValue listValue = valueOf(spec, Member.PRECISIONS);
    if (precisions.isEmpty()) {
      report.error(Message.NO_PRECISION.format(), spec.element(), spec.mirror(), listValue);
      return;
    }
    Set<Precision> seen = EnumSet.noneOf(Precision.class);
    for (int i = 0; i < precisions.size(); i++) {
      Precision p = precisions.get(i);
      if (!seen.add(p)) {
        report.error(Message.DUPLICATE_PRECISION.format(p), spec.element(), spec.mirror(),
            itemOf(listValue, i));
      }
    }
  }

  /**
   * Every hyperparameter default must be in its hyperparameter's domain (the runtime's
   * {@link Hyperparameter.Domain}, which the generated builder checks again); the learning rate
   * must moreover be positive, since a default of 0 trains nothing. {@code maxLr} depends on the
   * decay mode and is checked with it ({@link #checkOptionsAgreeWithEachOther}).
   */
  private static void checkNumbers(AnnotatedSpec spec, ValidationReport report) {
    for (Member member : Member.hyperparameterDefaults()) {
      Hyperparameter hyperparameter = member.hyperparameter();
      double value = spec.number(member);
      if (member == Member.LR) {
        if (!(value > 0 && hyperparameter.domain().contains(value))) {
          error(spec, report, member, Message.LR_NOT_POSITIVE.format(value));
        }
      } else if (member != Member.MAX_LR && !hyperparameter.domain().contains(value)) {
        error(spec, report, member, outOfDomain(member, value));
      }
    }
  }

  /** The message for a default outside its domain. */
  private static String outOfDomain(Member member, double value) {
    switch (member.hyperparameter().domain()) {
      case UNIT_INTERVAL:
        return Message.BETA_OUT_OF_RANGE.format(member.javaName(), value, member == Member.BETA2 ? "0.999" : "0.9");
      case NON_NEGATIVE:
        return Message.NEGATIVE_OR_NONFINITE.format(member.javaName(), value);
      case COUNT:
        // an int member: its value is whole
        return Message.WARMUP_NEGATIVE.format((long) value);
      case POSITIVE_OR_UNSET:
        return Message.MAX_LR_NOT_POSITIVE.format(value);
      default:
        throw new AssertionError(member);
    }
  }

  /** The built-in family's members, which a spec with a rule must not set. */
  private static final List<Member> FAMILY_MEMBERS = List.of(Member.FIRST_MOMENT, Member.SECOND_MOMENT,
      Member.AMSGRAD, Member.RECTIFY, Member.RECTIFY_THRESHOLD, Member.EPS_PLACEMENT,
      Member.MOMENT_STORAGE, Member.VARIANCE_WARMUP_STEPS);

  private static void checkOptionsAgreeWithEachOther(AnnotatedSpec spec, ValidationReport report) {
    if (RuleReader.hasRule(spec.element())) {
      for (Member member : FAMILY_MEMBERS) {
        if (spec.isExplicit(member)) {
          error(spec, report, member, Message.RULE_SWITCH.format(member.javaName(), member.javaName()));
        }
      }
      checkStorageOptions(spec, report);
      return; // the rule reader checks the hyperparameters against what the rule reads
    }
    if (spec.decay() == WeightDecay.PROXIMAL) {
      error(spec, report, Member.DECAY, Message.RULE_PROXIMAL_WITHOUT_RULE.format());
    }
    double weightDecay = spec.number(Member.WEIGHT_DECAY);
    if (spec.decay() == WeightDecay.NONE && weightDecay != 0) {
      error(spec, report, Member.WEIGHT_DECAY, Message.WEIGHT_DECAY_WITHOUT_MODE.format(weightDecay));
    }
    if (spec.isExplicit(Member.MAX_LR)) {
      double maxLr = spec.number(Member.MAX_LR);
      if (spec.decay() != WeightDecay.FULLY_DECOUPLED) {
        error(spec, report, Member.MAX_LR, Message.MAX_LR_WITHOUT_FULLY_DECOUPLED.format(spec.decay()));
      } else if (!Hyperparameter.MAX_LR.domain().contains(maxLr)) {
        // NaN is the documented "not set" (the initial lr), so writing it out is allowed
        error(spec, report, Member.MAX_LR, outOfDomain(Member.MAX_LR, maxLr));
      }
    }
    if (spec.isExplicit(Member.MOMENTUM_DECAY) && spec.firstMoment() != FirstMoment.NESTEROV) {
      error(spec, report, Member.MOMENTUM_DECAY, Message.MOMENTUM_DECAY_WITHOUT_NESTEROV.format());
    }
    if (spec.isExplicit(Member.EPS_ROOT)
        && spec.epsPlacement() != io.github.optkernels.annotations.EpsPlacement.INSIDE_CORRECTED_SQRT) {
      error(spec, report, Member.EPS_ROOT, Message.EPS_ROOT_WITHOUT_INSIDE.format(spec.epsPlacement()));
    }
    if (spec.rectify() == Rectification.NONE) {
      if (spec.isExplicit(Member.RECTIFY_THRESHOLD)) {
        error(spec, report, Member.RECTIFY_THRESHOLD, Message.THRESHOLD_WITHOUT_RECTIFY.format());
      }
    } else {
      double beta2 = spec.number(Member.BETA2);
      double rhoInf = 2 / (1 - beta2) - 1;
      // ρ_t < ρ∞ for every t, so ρ∞ ≤ 5 means no step ever passes either threshold.
      if (beta2 >= 0 && beta2 < 1 && rhoInf <= 5) {
        String fallback = spec.rectify() == Rectification.RADAM_SGD_FALLBACK
            ? "an un-adapted SGD step" : "skipped";
        Member at = spec.isExplicit(Member.BETA2) ? Member.BETA2 : Member.RECTIFY;
        error(spec, report, at, Message.RECTIFY_NEVER_ENGAGES.format(beta2, rhoInf, fallback));
      }
    }
    checkStorageOptions(spec, report);
  }

  /** The 16-bit storage options, which mean the same with or without a rule. */
  private static void checkStorageOptions(AnnotatedSpec spec, ValidationReport report) {
    boolean hasHalf = spec.precisions().contains(Precision.BFLOAT16)
        || spec.precisions().contains(Precision.FLOAT16);
    if (spec.kahan() == Kahan.ON && !hasHalf) {
      error(spec, report, Member.KAHAN, Message.KAHAN_WITHOUT_HALF.format());
    }
    if (spec.isExplicit(Member.STATE_PRECISION) && !hasHalf) {
      error(spec, report, Member.STATE_PRECISION, Message.STATE_PRECISION_WITHOUT_HALF.format());
    }
    if (spec.rounding() == ParamRounding.STOCHASTIC) {
      if (!hasHalf) {
        error(spec, report, Member.ROUNDING, Message.STOCHASTIC_WITHOUT_HALF.format());
      } else if (spec.kahan() == Kahan.ON) {
        error(spec, report, Member.ROUNDING, Message.KAHAN_WITH_STOCHASTIC.format());
      }
    }
  }

  /** Reports on the member's written value, or on the annotation when the default is at fault. */
  private static void error(AnnotatedSpec spec, ValidationReport report, Member member, String text) {
    report.error(text, spec.element(), spec.mirror(), valueOf(spec, member));
  }

  private static AnnotationValue valueOf(AnnotatedSpec spec, Member member) {
    return spec.explicitValue(member).orElse(null);
  }

  /** The i-th element of an array-valued annotation value, or the whole value if it is not a list. */
  private static AnnotationValue itemOf(AnnotationValue list, int index) {
    if (list != null && list.getValue() instanceof List) {
      List<?> items = (List<?>) list.getValue();
      if (index < items.size()) {
        return (AnnotationValue) items.get(index);
      }
    }
    return list;
  }
}
