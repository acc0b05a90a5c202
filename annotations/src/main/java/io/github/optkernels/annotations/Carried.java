package io.github.optkernels.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a {@link PerStep} method a value carried from step to step, per tensor (schedule-free
 * AdamW's {@code lr_max} and {@code weight_sum}): the method receives its own previous value
 * through a parameter of its own name and returns the new one. Carried values are saved in
 * checkpoints.
 *
 * <pre>{@code
 * @PerStep @Carried(initial = -1)
 * static double lrMax(double lrMax, double lrT) {
 *   return Math.max(lrMax, lrT);
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Carried {
  /** The value before a tensor's first step. */
  double initial();
}
