package io.github.optkernels.processor.reading;

import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.Precision;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.Elements;

/**
 * Reads {@code @Optimizer} through its mirror rather than through {@code getAnnotation}: only the
 * mirror says which members were written explicitly (for "X set but meaningless" diagnostics)
 * and where each value sits in the source (for diagnostics on the member).
 */
public final class SpecReader {
  private final Elements elements;

  public SpecReader(Elements elements) {
    this.elements = elements;
  }

  /** The {@code @Optimizer} mirror on {@code element}; present because the round found it there. */
  public AnnotatedSpec read(TypeElement element) {
    AnnotationMirror mirror = optimizerMirror(element);
    Map<Member, AnnotationValue> explicit = new EnumMap<>(Member.class);
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
        : mirror.getElementValues().entrySet()) {
      explicit.put(Member.named(e.getKey().getSimpleName().toString()), e.getValue());
    }
    Map<Member, Object> values = new EnumMap<>(Member.class);
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
        : elements.getElementValuesWithDefaults(mirror).entrySet()) {
      Member member = Member.named(e.getKey().getSimpleName().toString());
      Object value;
      try {
        value = plainValue(member, e.getValue());
      } catch (ClassCastException | IllegalArgumentException erroneous) {
        // javac has already reported the broken source (an unknown constant, a wrong type);
        // a second, vaguer error from us would only add noise.
        return new AnnotatedSpec(element, mirror, values, explicit, false);
      }
      values.put(member, value);
    }
    return new AnnotatedSpec(element, mirror, values, explicit, true);
  }

  private static AnnotationMirror optimizerMirror(TypeElement element) {
    String wanted = Optimizer.class.getCanonicalName();
    for (AnnotationMirror m : element.getAnnotationMirrors()) {
      TypeElement type = (TypeElement) m.getAnnotationType().asElement();
      if (type.getQualifiedName().contentEquals(wanted)) {
        return m;
      }
    }
    throw new IllegalStateException(element + " has no @Optimizer");
  }

  /** Converts a mirror value to the Java value: enum constants to the annotation module's enums. */
  private static Object plainValue(Member member, AnnotationValue value) {
    Object raw = value.getValue();
    switch (member) {
      case PRECISIONS: {
        List<Precision> precisions = new ArrayList<>();
        for (Object item : (List<?>) raw) {
          precisions.add(Precision.valueOf(enumName(((AnnotationValue) item).getValue())));
        }
        return List.copyOf(precisions);
      }
      case FIRST_MOMENT:
        return io.github.optkernels.annotations.FirstMoment.valueOf(enumName(raw));
      case SECOND_MOMENT:
        return io.github.optkernels.annotations.SecondMoment.valueOf(enumName(raw));
      case AMSGRAD:
        return io.github.optkernels.annotations.Amsgrad.valueOf(enumName(raw));
      case RECTIFY:
        return io.github.optkernels.annotations.Rectification.valueOf(enumName(raw));
      case RECTIFY_THRESHOLD:
        return io.github.optkernels.annotations.RectifyThreshold.valueOf(enumName(raw));
      case EPS_PLACEMENT:
        return io.github.optkernels.annotations.EpsPlacement.valueOf(enumName(raw));
      case MOMENT_STORAGE:
        return io.github.optkernels.annotations.MomentStorage.valueOf(enumName(raw));
      case DECAY:
        return io.github.optkernels.annotations.WeightDecay.valueOf(enumName(raw));
      case STATE_PRECISION:
        return io.github.optkernels.annotations.StatePrecision.valueOf(enumName(raw));
      case KAHAN:
        return io.github.optkernels.annotations.Kahan.valueOf(enumName(raw));
      case ROUNDING:
        return io.github.optkernels.annotations.ParamRounding.valueOf(enumName(raw));
      case NAME:
        // javac passes an unresolved String expression as this placeholder (already reported)
        if ("<error>".equals(raw)) {
          throw new IllegalArgumentException("unresolved name");
        }
        return expect(String.class, raw);
      case MAXIMIZE:
        return expect(Boolean.class, raw);
      case VARIANCE_WARMUP_STEPS:
        return expect(Integer.class, raw);
      default:
        return expect(Double.class, raw);
    }
  }

  /**
   * The value if it has the member's type. An unresolved expression (say {@code lr = NO_SUCH})
   * reaches processors as javac's error placeholder, not as a number.
   */
  private static Object expect(Class<?> type, Object raw) {
    if (!type.isInstance(raw)) {
      throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + raw);
    }
    return raw;
  }

  private static String enumName(Object mirrorValue) {
    return ((VariableElement) mirrorValue).getSimpleName().toString();
  }
}
