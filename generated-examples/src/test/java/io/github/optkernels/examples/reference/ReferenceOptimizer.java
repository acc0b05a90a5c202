package io.github.optkernels.examples.reference;

import io.github.optkernels.annotations.Amsgrad;
import io.github.optkernels.annotations.MomentStorage;
import io.github.optkernels.annotations.Rectification;
import io.github.optkernels.annotations.SecondMoment;
import io.github.optkernels.annotations.WeightDecay;
import io.github.optkernels.runtime.Hyperparameters;
import io.github.optkernels.runtime.StepPhase;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain double-precision interpreter of {@code docs/SEMANTICS.md} for any {@link ReferenceSpec}:
 * the obviously-correct side of the differential tests against generated kernels.
 *
 * <p>It is written to be checked against the document line by line, not to be fast:
 * <ul>
 *   <li>{@link #step} is the numbered list "One step" of SEMANTICS.md, one method per rule, each
 *       a loop over the elements;
 *   <li>the state is the document's <em>mathematical</em> state — raw {@code m}, {@code v}, the
 *       AMSGrad maximum {@code v_max}, the step count {@code t} and NAdam's {@code Π} — whatever
 *       the spec's {@code momentStorage}; the stored form is derived only when {@link #state} asks;
 *   <li>every formula is evaluated as written, with no scalar folded into another (the kernels
 *       fold; that is what the comparison is meant to catch going wrong);
 *   <li>per-step scalars ({@code bc1, bc2, ρ_t, r_t, μ}) are recomputed from {@code t} and the
 *       hyperparameters wherever they are used, so no cached value can go stale when the
 *       hyperparameters change between steps.
 * </ul>
 */
public final class ReferenceOptimizer {

  private static final String FIRST_MOMENT_NAME = "exp_avg";

  private final ReferenceSpec spec;
  private Hyperparameters hyper;
  private final double[] p;
  /** The raw first moment {@code m}. */
  private final double[] m;
  /** The raw second moment {@code v} (AdaBelief's {@code s}). */
  private final double[] v;
  /** {@code v_max} as SEMANTICS.md defines it: a maximum of {@code v} (MAX_OF_RAW) or of {@code v/bc2} (MAX_OF_CORRECTED). */
  private final double[] vMax;
  /** The step count {@code t}; 0 before the first step. */
  private long t;
  /** NAdam's {@code Π}, the product of {@code μ} over the momentum steps so far. */
  private double muProduct = 1.0;
  private StepPhase lastPhase;

  /**
   * @param spec the structural choices
   * @param h the hyperparameters of the following steps (see {@link #setHyperparameters})
   * @param p0 the initial parameters (copied)
   */
  public ReferenceOptimizer(ReferenceSpec spec, Hyperparameters h, double[] p0) {
    this.spec = spec;
    setHyperparameters(h);
    this.p = p0.clone();
    this.m = new double[p0.length];
    this.v = new double[p0.length];
    this.vMax = new double[p0.length];
  }

  /**
   * Sets the hyperparameters of the following steps (a learning-rate schedule calls this before
   * each step).
   *
   * @throws IllegalArgumentException if the spec decays fully decoupled and {@code maxLr} is NaN
   *     (resolving "not set" to the initial learning rate is the generated builder's job, and the
   *     reference should not guess what that was), or if {@code varianceWarmupSteps} changes
   *     after the first step (SEMANTICS.md fixes K then, so that the warm-up is the start of
   *     training and {@code m = 0} throughout it)
   */
  public void setHyperparameters(Hyperparameters h) {
    if (spec.decay() == WeightDecay.FULLY_DECOUPLED && Double.isNaN(h.maxLr())) {
      throw new IllegalArgumentException("FULLY_DECOUPLED decay needs maxLr, got NaN");
    }
    if (t > 0 && h.varianceWarmupSteps() != hyper.varianceWarmupSteps()) {
      throw new IllegalArgumentException("varianceWarmupSteps is fixed after the first step: "
          + hyper.varianceWarmupSteps() + ", got " + h.varianceWarmupSteps());
    }
    this.hyper = h;
  }

  /**
   * One step with gradient {@code grad} (not modified), rules 1–11 of "One step" in SEMANTICS.md.
   *
   * @throws IllegalArgumentException if {@code grad} does not have one element per parameter
   */
  public void step(double[] grad) {
    if (grad.length != p.length) {
      throw new IllegalArgumentException("gradient has " + grad.length + " elements, parameters " + p.length);
    }
    double[] g = grad.clone();
    t = t + 1;                                   // 1
    negateIfMaximizing(g);                       // 2
    addL2Decay(g);                               // 3
    StepPhase phase = decidePhase();             // 4
    lastPhase = phase;
    if (phase == StepPhase.VARIANCE_WARMUP) {
      updateSecondMoment(g);                     // 7, with m still 0
      updateMaximum();                           // 8
      return;
    }
    applyDecoupledDecay(phase);                  // 5
    updateFirstMoment(g);                        // 6
    updateSecondMoment(g);                       // 7
    updateMaximum();                             // 8
    double[] numerator = numerator(g);           // 10 (advances Π)
    updateParameters(phase, numerator);          // 11, with the denominator of 9
  }

  /** A copy of the current parameters. */
  public double[] params() {
    return p.clone();
  }

  /**
   * A state array in the stored form of SEMANTICS.md "Stored form" for this spec's
   * {@code momentStorage}.
   *
   * @param name one of {@link #stateNames()}
   * @throws IllegalArgumentException for any other name
   */
  public double[] state(String name) {
    if (name.equals(FIRST_MOMENT_NAME)) {
      return storedFirstMoment();
    }
    if (name.equals(secondMomentName())) {
      return storedSecondMoment();
    }
    if (spec.amsgrad() != Amsgrad.OFF && name.equals(maximumName())) {
      return storedMaximum();
    }
    throw new IllegalArgumentException("no state \"" + name + "\"; this spec has " + stateNames());
  }

  /** {@code exp_avg}, the second moment's name and, with AMSGrad, the maximum's name. */
  public List<String> stateNames() {
    List<String> names = new ArrayList<>(List.of(FIRST_MOMENT_NAME, secondMomentName()));
    if (spec.amsgrad() != Amsgrad.OFF) {
      names.add(maximumName());
    }
    return List.copyOf(names);
  }

  /** The phase of the last step, or null before the first step. */
  public StepPhase lastPhase() {
    return lastPhase;
  }

  /** The number of steps taken, {@code t}. */
  public long stepCount() {
    return t;
  }

  // ---- 2, 3: the gradient ----

  /** Rule 2: maximizing {@code f} is minimizing {@code −f}. */
  private void negateIfMaximizing(double[] g) {
    if (spec.maximize()) {
      for (int i = 0; i < g.length; i++) {
        g[i] = -g[i];
      }
    }
  }

  /** Rule 3: {@code g ← g + λ·p} with {@code p} before this step; skipped for {@code λ = 0} as the README says. */
  private void addL2Decay(double[] g) {
    if (spec.decay() != WeightDecay.L2 || hyper.weightDecay() == 0) {
      return;
    }
    double lambda = hyper.weightDecay();
    for (int i = 0; i < g.length; i++) {
      g[i] = g[i] + lambda * p[i];
    }
  }

  // ---- 4: the phase ----

  /** Rule 4, decided once per step from {@code t} and the hyperparameters only. */
  private StepPhase decidePhase() {
    if (t <= hyper.varianceWarmupSteps()) {
      return StepPhase.VARIANCE_WARMUP;
    }
    if (spec.rectify() == Rectification.NONE || isRectified()) {
      return StepPhase.ADAPTIVE;
    }
    return switch (spec.rectify()) {
      case RADAM_SGD_FALLBACK -> StepPhase.UNADAPTED;
      case RADAM_SKIP_UPDATE -> StepPhase.MOMENTS_ONLY;
      case NONE -> throw new AssertionError("NONE is always ADAPTIVE");
    };
  }

  /** Whether {@code ρ_t} passes the spec's threshold. */
  private boolean isRectified() {
    double rho = rhoT();
    return switch (spec.rectifyThreshold()) {
      case RHO_ABOVE_5 -> rho > 5;
      case RHO_AT_LEAST_5 -> rho >= 5;
    };
  }

  // ---- 5: decoupled decay ----

  /**
   * Rule 5. Not in MOMENTS_ONLY: the official RAdam only decays on steps that move {@code p}.
   * (Warm-up never gets here.)
   */
  private void applyDecoupledDecay(StepPhase phase) {
    if (phase == StepPhase.MOMENTS_ONLY) {
      return;
    }
    double lr = hyper.lr();
    double lambda = hyper.weightDecay();
    switch (spec.decay()) {
      case DECOUPLED -> {
        for (int i = 0; i < p.length; i++) {
          p[i] = p[i] * (1 - lr * lambda);
        }
      }
      case FULLY_DECOUPLED -> {
        if (lambda == 0) {
          return; // skipped, so that an unset max_lr cannot turn p into NaN
        }
        for (int i = 0; i < p.length; i++) {
          p[i] = p[i] * (1 - lambda * lr / hyper.maxLr());
        }
      }
      case NONE, L2 -> { }
    }
  }

  // ---- 6, 7, 8: moments ----

  /** Rule 6: {@code m ← β1·m + (1 − β1)·g}. */
  private void updateFirstMoment(double[] g) {
    double b1 = hyper.beta1();
    for (int i = 0; i < m.length; i++) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
    }
  }

  /** Rule 7; the belief rules use the <em>new</em> {@code m} (0 during warm-up). */
  private void updateSecondMoment(double[] g) {
    double b2 = hyper.beta2();
    for (int i = 0; i < v.length; i++) {
      v[i] = switch (spec.secondMoment()) {
        case SQUARED_GRADIENT -> b2 * v[i] + (1 - b2) * g[i] * g[i];
        case BELIEF -> b2 * v[i] + (1 - b2) * (g[i] - m[i]) * (g[i] - m[i]) + hyper.eps();
        case BELIEF_WITHOUT_STATE_EPS -> b2 * v[i] + (1 - b2) * (g[i] - m[i]) * (g[i] - m[i]);
      };
    }
  }

  /** Rule 8, first half: the running maximum. */
  private void updateMaximum() {
    for (int i = 0; i < vMax.length; i++) {
      switch (spec.amsgrad()) {
        case OFF -> { }
        case MAX_OF_RAW -> vMax[i] = Math.max(vMax[i], v[i]);
        case MAX_OF_CORRECTED -> vMax[i] = Math.max(vMax[i], v[i] / bc2());
      }
    }
  }

  /** Rule 8, second half: {@code v̂}, the corrected second moment the denominator uses. */
  private double correctedSecondMoment(int i) {
    return switch (spec.amsgrad()) {
      case OFF -> v[i] / bc2();
      case MAX_OF_RAW -> vMax[i] / bc2();
      case MAX_OF_CORRECTED -> vMax[i];
    };
  }

  // ---- 9, 10, 11: the update ----

  /** Rule 9: the denominator {@code d} of element {@code i}. */
  private double denominator(int i) {
    double vHat = correctedSecondMoment(i);
    return switch (spec.epsPlacement()) {
      case OUTSIDE_CORRECTED_SQRT -> Math.sqrt(vHat) + hyper.eps();
      case OUTSIDE_RAW_SQRT -> Math.sqrt(vHat) + hyper.eps() / Math.sqrt(bc2());
      case INSIDE_CORRECTED_SQRT -> Math.sqrt(vHat + hyper.epsRoot()) + hyper.eps();
    };
  }

  /**
   * Rule 10: the numerator {@code n} of every element. For NESTEROV this advances {@code Π} once
   * per step, also in MOMENTS_ONLY steps, so that {@code Π} stays the product of {@code μ} over
   * all momentum steps {@code 1..τ}.
   */
  private double[] numerator(double[] g) {
    double[] n = new double[m.length];
    switch (spec.firstMoment()) {
      case EMA -> {
        for (int i = 0; i < n.length; i++) {
          n[i] = m[i] / bc1();
        }
      }
      case NESTEROV -> {
        double mu = mu(momentumSteps());
        double muNext = mu(momentumSteps() + 1);
        muProduct = muProduct * mu;
        for (int i = 0; i < n.length; i++) {
          n[i] = (1 - mu) / (1 - muProduct) * g[i] + muNext / (1 - muProduct * muNext) * m[i];
        }
      }
    }
    return n;
  }

  /** Rule 11: {@code p ← p − lr·r_t·n/d} (ADAPTIVE), {@code p ← p − lr·n} (UNADAPTED), or nothing. */
  private void updateParameters(StepPhase phase, double[] n) {
    double lr = hyper.lr();
    switch (phase) {
      case ADAPTIVE -> {
        double r = rectificationTerm();
        for (int i = 0; i < p.length; i++) {
          p[i] = p[i] - lr * r * n[i] / denominator(i);
        }
      }
      case UNADAPTED -> {
        for (int i = 0; i < p.length; i++) {
          p[i] = p[i] - lr * n[i];
        }
      }
      case MOMENTS_ONLY -> { } // the parameter waits for rectification to engage
      case VARIANCE_WARMUP -> throw new AssertionError("warm-up steps end after rule 8");
    }
  }

  // ---- scalars (Notation section) ----

  /** {@code τ = t − K}, the momentum steps. */
  private long momentumSteps() {
    return t - hyper.varianceWarmupSteps();
  }

  /** {@code bc1 = 1 − β1^τ}. */
  private double bc1() {
    return 1 - Math.pow(hyper.beta1(), momentumSteps());
  }

  /** {@code bc2 = 1 − β2^t}. */
  private double bc2() {
    return 1 - Math.pow(hyper.beta2(), t);
  }

  /** {@code ρ∞ = 2/(1 − β2) − 1}. */
  private double rhoInf() {
    return 2 / (1 - hyper.beta2()) - 1;
  }

  /** {@code ρ_t = ρ∞ − 2·t·β2^t / bc2}. */
  private double rhoT() {
    return rhoInf() - 2 * t * Math.pow(hyper.beta2(), t) / bc2();
  }

  /** {@code r_t}: 1 without rectification; otherwise only called on rectified steps, where it is real. */
  private double rectificationTerm() {
    if (spec.rectify() == Rectification.NONE) {
      return 1;
    }
    double rho = rhoT();
    double rhoInf = rhoInf();
    return Math.sqrt((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho));
  }

  /** NAdam's {@code μ} of momentum step {@code step}: {@code β1·(1 − ½·0.96^(step·ψ))}. */
  private double mu(long step) {
    return hyper.beta1() * (1 - 0.5 * Math.pow(0.96, step * hyper.momentumDecay()));
  }

  // ---- stored form ----

  private String secondMomentName() {
    return spec.secondMoment() == SecondMoment.SQUARED_GRADIENT ? "exp_avg_sq" : "exp_avg_var";
  }

  private String maximumName() {
    return spec.secondMoment() == SecondMoment.SQUARED_GRADIENT ? "max_exp_avg_sq" : "max_exp_avg_var";
  }

  private boolean storesCorrected() {
    return spec.momentStorage() == MomentStorage.BIAS_CORRECTED;
  }

  /** {@code m}, or {@code m/bc1}; 0 before the first momentum step, where {@code bc1 = 0}. */
  private double[] storedFirstMoment() {
    if (!storesCorrected()) {
      return m.clone();
    }
    double[] stored = new double[m.length];
    if (momentumSteps() > 0) {
      for (int i = 0; i < m.length; i++) {
        stored[i] = m[i] / bc1();
      }
    }
    return stored;
  }

  /** {@code v}, or {@code v/bc2}; 0 before the first step, where {@code bc2 = 0}. */
  private double[] storedSecondMoment() {
    if (!storesCorrected()) {
      return v.clone();
    }
    double[] stored = new double[v.length];
    if (t > 0) {
      for (int i = 0; i < v.length; i++) {
        stored[i] = v[i] / bc2();
      }
    }
    return stored;
  }

  /**
   * {@code v_max} as kept (RAW), or corrected: {@code v_max/bc2} for MAX_OF_RAW and {@code v_max}
   * itself for MAX_OF_CORRECTED, which already is a maximum of corrected values.
   */
  private double[] storedMaximum() {
    if (!storesCorrected() || spec.amsgrad() == Amsgrad.MAX_OF_CORRECTED) {
      return vMax.clone();
    }
    double[] stored = new double[vMax.length];
    if (t > 0) {
      for (int i = 0; i < vMax.length; i++) {
        stored[i] = vMax[i] / bc2();
      }
    }
    return stored;
  }
}
