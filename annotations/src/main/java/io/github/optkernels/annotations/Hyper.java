package io.github.optkernels.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a hyperparameter of a {@link Rule} beyond the built-in ones: a constant of the spec
 * interface whose value is the default. The generated builder gets a setter of the same name,
 * and it can be changed per parameter group between steps like the built-in ones.
 *
 * <pre>{@code
 * @Hyper(domain = Hyper.Domain.UNIT_INTERVAL, description = "third-moment decay β3")
 * double beta3 = 0.99;
 * }</pre>
 *
 * <p>The rule and per-step methods read it through a parameter of the same name. Declare it
 * {@code int} for a count (e.g. warm-up steps).
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface Hyper {
  /** The values it may take; the builder and every step check them. */
  Domain domain() default Domain.NON_NEGATIVE;

  /** What it is, for the generated Javadoc and messages. */
  String description() default "";

  /** The domains a declared hyperparameter can have. */
  enum Domain {
    /** Finite and ≥ 0. */
    NON_NEGATIVE,
    /** In [0, 1), as decay rates are. */
    UNIT_INTERVAL,
    /** An {@code int} ≥ 0 (the field must be {@code int}). */
    COUNT
  }
}
