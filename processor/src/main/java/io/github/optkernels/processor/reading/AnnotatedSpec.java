package io.github.optkernels.processor.reading;

import io.github.optkernels.annotations.Amsgrad;
import io.github.optkernels.annotations.EpsPlacement;
import io.github.optkernels.annotations.FirstMoment;
import io.github.optkernels.annotations.Kahan;
import io.github.optkernels.annotations.MomentStorage;
import io.github.optkernels.annotations.ParamRounding;
import io.github.optkernels.annotations.Precision;
import io.github.optkernels.annotations.Rectification;
import io.github.optkernels.annotations.RectifyThreshold;
import io.github.optkernels.annotations.SecondMoment;
import io.github.optkernels.annotations.StatePrecision;
import io.github.optkernels.annotations.WeightDecay;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.TypeElement;

/**
 * One {@code @Optimizer} occurrence as written: the annotated element, the annotation mirror, each
 * member's effective value (explicit or default), and the explicitly written annotation values so
 * diagnostics can underline the offending member.
 */
public final class AnnotatedSpec {
  private final TypeElement element;
  private final AnnotationMirror mirror;
  private final Map<Member, Object> values;
  private final Map<Member, AnnotationValue> explicit;
  private final boolean wellFormed;

  AnnotatedSpec(TypeElement element, AnnotationMirror mirror, Map<Member, Object> values,
      Map<Member, AnnotationValue> explicit, boolean wellFormed) {
    this.wellFormed = wellFormed;
    this.element = element;
    this.mirror = mirror;
    this.values = new EnumMap<>(values);
    this.explicit = new EnumMap<>(Member.class);
    this.explicit.putAll(explicit);
  }

  /**
   * False when a member's value could not be read because the source itself does not compile
   * (javac reports that); such a spec is neither validated nor generated.
   */
  public boolean isWellFormed() {
    return wellFormed;
  }

  /** The annotated type. */
  public TypeElement element() {
    return element;
  }

  /** The {@code @Optimizer} mirror on it. */
  public AnnotationMirror mirror() {
    return mirror;
  }

  /** The annotation value written for {@code member}, if it was written (not defaulted). */
  public Optional<AnnotationValue> explicitValue(Member member) {
    return Optional.ofNullable(explicit.get(member));
  }

  /** Whether {@code member} was written in source rather than left at its default. */
  public boolean isExplicit(Member member) {
    return explicit.containsKey(member);
  }

  public String name() {
    return (String) values.get(Member.NAME);
  }

  public FirstMoment firstMoment() {
    return (FirstMoment) values.get(Member.FIRST_MOMENT);
  }

  public SecondMoment secondMoment() {
    return (SecondMoment) values.get(Member.SECOND_MOMENT);
  }

  public Amsgrad amsgrad() {
    return (Amsgrad) values.get(Member.AMSGRAD);
  }

  public Rectification rectify() {
    return (Rectification) values.get(Member.RECTIFY);
  }

  public RectifyThreshold rectifyThreshold() {
    return (RectifyThreshold) values.get(Member.RECTIFY_THRESHOLD);
  }

  public EpsPlacement epsPlacement() {
    return (EpsPlacement) values.get(Member.EPS_PLACEMENT);
  }

  public MomentStorage momentStorage() {
    return (MomentStorage) values.get(Member.MOMENT_STORAGE);
  }

  public WeightDecay decay() {
    return (WeightDecay) values.get(Member.DECAY);
  }

  public boolean maximize() {
    return (Boolean) values.get(Member.MAXIMIZE);
  }

  /** The precisions in source order, repeats kept (validation reports them). */
  @SuppressWarnings("unchecked")
  public List<Precision> precisions() {
    return (List<Precision>) values.get(Member.PRECISIONS);
  }

  public StatePrecision statePrecision() {
    return (StatePrecision) values.get(Member.STATE_PRECISION);
  }

  public Kahan kahan() {
    return (Kahan) values.get(Member.KAHAN);
  }

  public ParamRounding rounding() {
    return (ParamRounding) values.get(Member.ROUNDING);
  }

  /** A numeric member's value: a {@code double} one's, or an {@code int} one's as an exact double. */
  public double number(Member member) {
    return ((Number) values.get(member)).doubleValue();
  }
}
