package io.github.optkernels.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link Rule} parameter as a per-element state slot: an array as long as the parameter,
 * starting at 0, stored at the spec's state precision, saved in checkpoints. Reading the
 * parameter reads the slot; assigning it writes the slot (once per step, the last value
 * assigned).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.PARAMETER)
public @interface State {
  /**
   * The slot's name in checkpoints and state accessors, e.g. {@code "exp_avg"}; empty (the
   * default) means the parameter's name in snake case ({@code expAvg} → {@code exp_avg}).
   */
  String value() default "";

  /**
   * Whether this slot holds the point at which to evaluate the model (schedule-free AdamW's
   * {@code x}): the generated optimizer then offers {@code useEvaluationPoint()} and
   * {@code useTrainingPoint()}. At most one slot per rule.
   */
  boolean evaluationPoint() default false;
}
