package io.github.optkernels.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares an optimizer. Put it on an empty interface for one of the Adam family (configured by
 * the members below), or on an interface with a {@link Rule} for a rule of one's own; the optkernels processor
 * generates, in the same package, one kernel class per {@link #precisions() precision}
 * ({@code <name>FloatKernel}, {@code <name>DoubleKernel}, {@code <name>Bf16Kernel},
 * {@code <name>Fp16Kernel}) and an optimizer class {@code <name>} that owns the state.
 *
 * <pre>{@code
 * @Optimizer(name = "RAdamW", rectify = Rectification.RADAM_SGD_FALLBACK,
 *            epsPlacement = EpsPlacement.OUTSIDE_RAW_SQRT, decay = WeightDecay.DECOUPLED,
 *            lr = 1e-3, beta2 = 0.999, weightDecay = 0.01)
 * interface RAdamWSpec {}
 * }</pre>
 *
 * <p>One step, for every element, in this order (see each member for its piece):
 * <ol>
 *   <li>{@code t ← t + 1}; {@code g ← −g} if {@link #maximize()};</li>
 *   <li>weight decay ({@link #decay()}): L2 modifies {@code g}, decoupled modes scale {@code p};</li>
 *   <li>first moment {@code m} ({@link #firstMoment()}), then second moment {@code v}
 *       ({@link #secondMoment()}), then the AMSGrad maximum ({@link #amsgrad()});</li>
 *   <li>denominator ({@link #epsPlacement()}) and update {@code p ← p − lr·r_t·numerator/denom},
 *       where {@code r_t} is the rectification term ({@link #rectify()}; 1 without it);</li>
 *   <li>the first {@link #varianceWarmupSteps()} steps update only {@code v} (Adam-2k).</li>
 * </ol>
 * Numeric members are the defaults of run-time hyperparameters; the generated builder starts
 * from them and each may be changed per optimizer (and between steps).
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(ElementType.TYPE)
public @interface Optimizer {

  /**
   * Prefix of the generated class names, a Java identifier. Empty (the default) means the
   * interface's simple name without its {@code Spec} suffix: {@code AdamWSpec} → {@code AdamW}.
   */
  String name() default "";

  /** The first-moment rule: plain EMA (Adam) or NAdam's Nesterov momentum. */
  FirstMoment firstMoment() default FirstMoment.EMA;

  /** The second-moment rule: EMA of {@code g²}, or AdaBelief's EMA of {@code (g − m)²}. */
  SecondMoment secondMoment() default SecondMoment.SQUARED_GRADIENT;

  /** Whether the denominator uses a running maximum of the second moment, and of which form. */
  Amsgrad amsgrad() default Amsgrad.OFF;

  /** RAdam rectification of the adaptive step and what happens before it engages. */
  Rectification rectify() default Rectification.NONE;

  /** Whether {@code ρ_t > 5} or {@code ρ_t ≥ 5} rectifies; only meaningful with {@link #rectify()}. */
  RectifyThreshold rectifyThreshold() default RectifyThreshold.RHO_ABOVE_5;

  /** Where ε sits in the denominator. */
  EpsPlacement epsPlacement() default EpsPlacement.OUTSIDE_CORRECTED_SQRT;

  /** Whether the stored moments are raw or bias-corrected (changes the state, not the trajectory). */
  MomentStorage momentStorage() default MomentStorage.RAW;

  /** How the {@link #weightDecay()} coefficient λ acts: none, L2, decoupled or fully decoupled. */
  WeightDecay decay() default WeightDecay.NONE;

  /** Maximize the objective: the step uses {@code −g} in place of {@code g} ({@code maximize=True} in PyTorch). */
  boolean maximize() default false;

  /** The parameter/gradient precisions to generate kernels for; at least one, no repeats. */
  Precision[] precisions() default {Precision.FLOAT, Precision.DOUBLE};

  /** State precision for 16-bit parameters (float/double parameters keep state in their own type). */
  StatePrecision statePrecision() default StatePrecision.FLOAT32;

  /** Kahan-compensated parameter updates for 16-bit parameters; AUTO: on unless rounding is stochastic. */
  Kahan kahan() default Kahan.AUTO;

  /** Rounding of the stored 16-bit parameter: nearest-even or stochastic. */
  ParamRounding rounding() default ParamRounding.NEAREST_EVEN;

  // ---- run-time hyperparameter defaults ----

  /** Default learning rate {@code lr} (the step size before corrections); must be positive. */
  double lr() default 1e-3;

  /** Default {@code β1}, the first moment's decay rate, in [0, 1). */
  double beta1() default 0.9;

  /** Default {@code β2}, the second moment's decay rate, in [0, 1). */
  double beta2() default 0.999;

  /** Default ε, the denominator's stability constant (placed by {@link #epsPlacement()}); ≥ 0. */
  double eps() default 1e-8;

  /**
   * Default {@code ε_root}, the constant inside the square root; only with
   * {@link EpsPlacement#INSIDE_CORRECTED_SQRT}; ≥ 0.
   */
  double epsRoot() default 0.0;

  /** Default weight-decay coefficient λ, used as {@link #decay()} says; ≥ 0; requires a decay mode. */
  double weightDecay() default 0.0;

  /**
   * Default {@code max_lr} of {@link WeightDecay#FULLY_DECOUPLED} decay,
   * {@code p ← p·(1 − λ·lr/max_lr)}; NaN (the default) means the initial learning rate.
   */
  double maxLr() default Double.NaN;

  /** Default ψ of NAdam's momentum schedule {@code μ_t = β1·(1 − ½·0.96^(t·ψ))}; ≥ 0; NESTEROV only. */
  double momentumDecay() default 0.004;

  /**
   * Default K of the RAdam paper's Adam-2k warm-up: during steps {@code t ≤ K} only the second
   * moment (and its AMSGrad maximum) is updated; no momentum, no weight decay, no parameter
   * change. Afterwards the first moment's bias correction and NAdam's schedule count the
   * momentum steps {@code t − K}, while the second moment and ρ_t count all {@code t}. ≥ 0.
   */
  int varianceWarmupSteps() default 0;
}
