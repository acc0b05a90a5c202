package io.github.optkernels.examples.reference;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.optkernels.annotations.Amsgrad;
import io.github.optkernels.annotations.EpsPlacement;
import io.github.optkernels.annotations.FirstMoment;
import io.github.optkernels.annotations.MomentStorage;
import io.github.optkernels.annotations.Rectification;
import io.github.optkernels.annotations.SecondMoment;
import io.github.optkernels.annotations.WeightDecay;
import io.github.optkernels.runtime.Hyperparameters;
import io.github.optkernels.runtime.StepPhase;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Behaviour of the {@link ReferenceOptimizer} that the conformance cases do not reach: options no
 * named variant uses (Adam-2k warm-up, maximize, MAX_OF_CORRECTED, ε_root, belief without state ε)
 * and the claims of {@code docs/SEMANTICS.md} about phases and the stored form.
 *
 * <p>Expected values are derived in each test from the formulas of SEMANTICS.md, written out
 * for the few steps involved, rather than by running the interpreter a second way.
 */
class ReferenceOptimizerTest {

  private static final double LR = 0.01;
  private static final double B1 = 0.9;
  private static final double B2 = 0.999;
  private static final double EPS = 1e-8;

  /** lr 0.01, betas (0.9, 0.999), eps 1e-8, no ε_root, no decay, max_lr unset, ψ 0.004, no warm-up. */
  private static Hyperparameters hyper() {
    return new Hyperparameters(LR, B1, B2, EPS, 0.0, 0.0, Double.NaN, 0.004, 0);
  }

  @Test
  void adam2kWarmupMovesOnlyTheSecondMomentThenCorrectsMomentumFromTheFirstMomentumStep() {
    int k = 3;
    double lambda = 0.1;
    ReferenceSpec spec = ReferenceSpec.defaults().withDecay(WeightDecay.DECOUPLED).withAmsgrad(Amsgrad.MAX_OF_RAW);
    double[] p0 = {0.5, -1.25};
    double[][] grads = {{0.3, -0.2}, {-0.1, 0.4}, {0.2, 0.1}, {0.05, -0.3}, {-0.25, 0.15}};
    ReferenceOptimizer opt = new ReferenceOptimizer(spec,
        hyper().withWeightDecay(lambda).withVarianceWarmupSteps(k), p0);

    double[] v = new double[2];
    double[] vMax = new double[2];
    for (int t = 1; t <= k; t++) {
      opt.step(grads[t - 1]);
      for (int i = 0; i < 2; i++) {
        v[i] = B2 * v[i] + (1 - B2) * grads[t - 1][i] * grads[t - 1][i];
        vMax[i] = Math.max(vMax[i], v[i]);
      }
      assertThat(opt.lastPhase()).isEqualTo(StepPhase.VARIANCE_WARMUP);
      assertWithMessage("params after warm-up step %s (no update, no decoupled decay)", t)
          .that(opt.params()).isEqualTo(p0);
      assertWithMessage("exp_avg after warm-up step %s", t).that(opt.state("exp_avg")).isEqualTo(new double[2]);
      assertRelativelyClose("exp_avg_sq after warm-up step " + t, opt.state("exp_avg_sq"), v, 1e-15);
      assertRelativelyClose("max_exp_avg_sq after warm-up step " + t, opt.state("max_exp_avg_sq"), vMax, 1e-15);
    }
    assertThat(v[0]).isNotEqualTo(0.0);

    // Steps 4 and 5 are momentum steps τ = 1, 2: bc1 counts τ, bc2 counts t.
    double[] p = p0.clone();
    double[] m = new double[2];
    for (int t = k + 1; t <= k + 2; t++) {
      int tau = t - k;
      double[] g = grads[t - 1];
      opt.step(g);
      for (int i = 0; i < 2; i++) {
        p[i] = p[i] * (1 - LR * lambda);
        m[i] = B1 * m[i] + (1 - B1) * g[i];
        v[i] = B2 * v[i] + (1 - B2) * g[i] * g[i];
        vMax[i] = Math.max(vMax[i], v[i]);
        double mHat = m[i] / (1 - Math.pow(B1, tau));
        double vHat = vMax[i] / (1 - Math.pow(B2, t));
        p[i] = p[i] - LR * mHat / (Math.sqrt(vHat) + EPS);
      }
      assertThat(opt.lastPhase()).isEqualTo(StepPhase.ADAPTIVE);
      assertRelativelyClose("params after step " + t, opt.params(), p, 1e-12);
      assertRelativelyClose("exp_avg after step " + t, opt.state("exp_avg"), m, 1e-15);
    }
  }

  @Test
  void nesterovScheduleCountsMomentumStepsAfterWarmup() {
    // With K warm-up steps, μ and Π start at τ = 1, while bc2 counts all t. Zero gradients during
    // the warm-up leave v = 0, so the first momentum step is a first NAdam step except for bc2;
    // a schedule counting t instead of τ would use μ5 and μ6 and miss by ~1e-3.
    int k = 4;
    ReferenceSpec spec = ReferenceSpec.defaults().withFirstMoment(FirstMoment.NESTEROV);
    double[] p0 = {0.75, -0.5};
    double[] g = {0.2, -0.4};
    ReferenceOptimizer warm = new ReferenceOptimizer(spec, hyper().withVarianceWarmupSteps(k), p0);
    for (int t = 1; t <= k; t++) {
      warm.step(new double[2]);
    }
    warm.step(g);

    // Expected: τ = 1, t = 5. μ1 = β1(1 − ½·0.96^ψ), Π = μ1, μ2 = β1(1 − ½·0.96^(2ψ)).
    double psi = 0.004;
    double mu1 = B1 * (1 - 0.5 * Math.pow(0.96, psi));
    double mu2 = B1 * (1 - 0.5 * Math.pow(0.96, 2 * psi));
    double[] expected = new double[2];
    for (int i = 0; i < 2; i++) {
      double m = (1 - B1) * g[i];
      double v = (1 - B2) * g[i] * g[i];
      double d = Math.sqrt(v / (1 - Math.pow(B2, k + 1))) + EPS;
      double n = (1 - mu1) / (1 - mu1) * g[i] + mu2 / (1 - mu1 * mu2) * m;
      expected[i] = p0[i] - LR * n / d;
    }
    assertRelativelyClose("params after the first momentum step", warm.params(), expected, 1e-12);
  }

  @Test
  void nesterovProductAdvancesOnMomentsOnlySteps() {
    // SEMANTICS.md does not say in so many words whether rule 10 (which advances Π) runs on a
    // MOMENTS_ONLY step, whose rule 11 does nothing. The reference advances it, so that Π stays
    // μ1···μτ over the same steps that m and bc1 count; this pins that reading.
    ReferenceSpec spec = ReferenceSpec.defaults().withFirstMoment(FirstMoment.NESTEROV)
        .withRectify(Rectification.RADAM_SKIP_UPDATE);
    double[] p0 = {0.5, -1.0};
    double[][] grads = randomGradients(new Random(3), 6, p0.length);
    ReferenceOptimizer opt = new ReferenceOptimizer(spec, hyper(), p0);
    double[] m = new double[2];
    double[] v = new double[2];
    double product = 1;
    double psi = 0.004;
    for (int t = 1; t <= 6; t++) {
      opt.step(grads[t - 1]);
      product = product * B1 * (1 - 0.5 * Math.pow(0.96, t * psi));
      for (int i = 0; i < 2; i++) {
        m[i] = B1 * m[i] + (1 - B1) * grads[t - 1][i];
        v[i] = B2 * v[i] + (1 - B2) * grads[t - 1][i] * grads[t - 1][i];
      }
    }
    assertThat(opt.lastPhase()).isEqualTo(StepPhase.ADAPTIVE);
    double rhoInf = 2 / (1 - B2) - 1;
    double bc2 = 1 - Math.pow(B2, 6);
    double rho = rhoInf - 2 * 6 * Math.pow(B2, 6) / bc2;
    double r = Math.sqrt((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho));
    double mu6 = B1 * (1 - 0.5 * Math.pow(0.96, 6 * psi));
    double mu7 = B1 * (1 - 0.5 * Math.pow(0.96, 7 * psi));
    double[] expected = new double[2];
    for (int i = 0; i < 2; i++) {
      double n = (1 - mu6) / (1 - product) * grads[5][i] + mu7 / (1 - product * mu7) * m[i];
      expected[i] = p0[i] - LR * r * n / (Math.sqrt(v[i] / bc2) + EPS);
    }
    assertRelativelyClose("params after the first rectified step", opt.params(), expected, 1e-12);
  }

  @Test
  void radamSkipUpdateLeavesParamsUntouchedIncludingDecoupledDecayUntilRectified() {
    double[] p0 = {0.5, -1.5, 2.0};
    Random random = new Random(11);
    double[][] grads = randomGradients(random, 6, p0.length);
    for (WeightDecay decay : List.of(WeightDecay.DECOUPLED, WeightDecay.FULLY_DECOUPLED)) {
      ReferenceSpec spec = ReferenceSpec.forVariant("radam_nosgd").withDecay(decay);
      Hyperparameters h = hyper().withWeightDecay(0.1).withMaxLr(LR);
      ReferenceOptimizer opt = new ReferenceOptimizer(spec, h, p0);
      // ρ_t first exceeds 5 at t = 6 for β2 = 0.999 (README section 2.2).
      for (int t = 1; t <= 5; t++) {
        opt.step(grads[t - 1]);
        assertWithMessage("%s phase of step %s", decay, t).that(opt.lastPhase()).isEqualTo(StepPhase.MOMENTS_ONLY);
        assertWithMessage("%s params after step %s", decay, t).that(opt.params()).isEqualTo(p0);
      }
      assertWithMessage("%s exp_avg still updates", decay).that(opt.state("exp_avg")[0]).isNotEqualTo(0.0);
      opt.step(grads[5]);
      assertThat(opt.lastPhase()).isEqualTo(StepPhase.ADAPTIVE);
      assertWithMessage("%s params after the first rectified step", decay).that(opt.params()).isNotEqualTo(p0);

      // The SGD fallback, by contrast, moves and decays p from step 1: p·(1 − lr·λ) − lr·m/bc1.
      ReferenceOptimizer sgd = new ReferenceOptimizer(spec.withRectify(Rectification.RADAM_SGD_FALLBACK), h, p0);
      sgd.step(grads[0]);
      assertThat(sgd.lastPhase()).isEqualTo(StepPhase.UNADAPTED);
      double[] expected = new double[p0.length];
      double decayFactor = decay == WeightDecay.DECOUPLED ? 1 - LR * 0.1 : 1 - 0.1 * LR / LR;
      for (int i = 0; i < p0.length; i++) {
        double m = (1 - B1) * grads[0][i];
        expected[i] = p0[i] * decayFactor - LR * m / (1 - B1);
      }
      assertRelativelyClose(decay + " SGD-fallback step 1", sgd.params(), expected, 1e-14);
    }
  }

  @Test
  void maximizeEqualsMinimizingTheNegatedGradient() {
    double[] p0 = {0.5, -1.5, 2.0, 0.0};
    Random random = new Random(23);
    double[][] grads = randomGradients(random, 12, p0.length);
    // L2 decay makes the order matter: −g must be taken before λ·p is added.
    Hyperparameters h = hyper().withWeightDecay(0.2);
    for (String variant : List.of("adam", "nadam", "radam", "adabelief_amsgrad")) {
      ReferenceSpec spec = ReferenceSpec.forVariant(variant);
      ReferenceOptimizer maximizing = new ReferenceOptimizer(spec.withMaximize(true), h, p0);
      ReferenceOptimizer minimizingNegated = new ReferenceOptimizer(spec, h, p0);
      ReferenceOptimizer minimizing = new ReferenceOptimizer(spec, h, p0);
      for (double[] g : grads) {
        maximizing.step(g);
        minimizingNegated.step(negated(g));
        minimizing.step(g);
      }
      assertWithMessage("%s params", variant).that(maximizing.params()).isEqualTo(minimizingNegated.params());
      for (String name : minimizing.stateNames()) {
        assertWithMessage("%s %s", variant, name).that(maximizing.state(name)).isEqualTo(minimizingNegated.state(name));
      }
      assertWithMessage("%s: maximize must change something", variant)
          .that(maximizing.params()).isNotEqualTo(minimizing.params());
    }
  }

  @Test
  void maxOfCorrectedKeepsTheCorrectedPeakWhileMaxOfRawKeepsTheRawOne() {
    // A large gradient then small ones: the first corrected v̂ is g1² = 1, the first raw v only
    // (1 − β2)·g1², and bc2 grows, so the two maxima lead to different denominators from step 2.
    double[] p0 = {1.0};
    double[][] grads = {{1.0}, {0.01}};
    ReferenceSpec spec = ReferenceSpec.defaults();
    ReferenceOptimizer ofRaw = new ReferenceOptimizer(spec.withAmsgrad(Amsgrad.MAX_OF_RAW), hyper(), p0);
    ReferenceOptimizer ofCorrected = new ReferenceOptimizer(spec.withAmsgrad(Amsgrad.MAX_OF_CORRECTED), hyper(), p0);
    ofRaw.step(grads[0]);
    ofCorrected.step(grads[0]);
    assertWithMessage("step 1: max(0, v) / bc2 and max(0, v / bc2) agree")
        .that(ofCorrected.params()).isEqualTo(ofRaw.params());
    double p1 = ofRaw.params()[0];
    ofRaw.step(grads[1]);
    ofCorrected.step(grads[1]);

    double v1 = (1 - B2) * 1.0 * 1.0;
    double v2 = B2 * v1 + (1 - B2) * 0.01 * 0.01;
    double bc2At1 = 1 - Math.pow(B2, 1);
    double bc2At2 = 1 - Math.pow(B2, 2);
    assertThat(v2).isLessThan(v1);
    double correctedPeak = v1 / bc2At1;
    assertThat(ofCorrected.state("max_exp_avg_sq")[0]).isWithin(1e-15).of(correctedPeak);
    assertThat(ofRaw.state("max_exp_avg_sq")[0]).isWithin(1e-18).of(v1);

    double m2 = B1 * (1 - B1) * 1.0 + (1 - B1) * 0.01;
    double mHat = m2 / (1 - Math.pow(B1, 2));
    double expectedCorrected = p1 - LR * mHat / (Math.sqrt(correctedPeak) + EPS);
    double expectedRaw = p1 - LR * mHat / (Math.sqrt(v1 / bc2At2) + EPS);
    assertThat(ofCorrected.params()[0]).isWithin(1e-15).of(expectedCorrected);
    assertThat(ofRaw.params()[0]).isWithin(1e-15).of(expectedRaw);
    assertThat(Math.abs(expectedCorrected - expectedRaw)).isGreaterThan(1e-3);
  }

  @Test
  void biasCorrectedStorageGivesTheSameParamsAndStoresStateDividedByTheCorrections() {
    double[] p0 = {0.5, -1.5, 2.0, 0.25, -0.125};
    Random random = new Random(5);
    double[][] grads = randomGradients(random, 20, p0.length);
    Hyperparameters h = hyper().withWeightDecay(0.05).withMaxLr(0.02);
    for (String variant : List.of("radamw_fully_decoupled", "adabelief_amsgrad", "amsgrad")) {
      ReferenceSpec rawSpec = ReferenceSpec.forVariant(variant).withMomentStorage(MomentStorage.RAW);
      ReferenceOptimizer raw = new ReferenceOptimizer(rawSpec, h, p0);
      ReferenceOptimizer corrected = new ReferenceOptimizer(
          rawSpec.withMomentStorage(MomentStorage.BIAS_CORRECTED), h, p0);
      for (double[] g : grads) {
        raw.step(g);
        corrected.step(g);
      }
      int t = grads.length;
      double bc1 = 1 - Math.pow(B1, t);
      double bc2 = 1 - Math.pow(B2, t);
      assertRelativelyClose(variant + " params", corrected.params(), raw.params(), 1e-12);
      List<String> names = raw.stateNames();
      assertRelativelyClose(variant + " exp_avg", corrected.state(names.get(0)),
          scaled(raw.state(names.get(0)), 1 / bc1), 1e-15);
      for (String name : names.subList(1, names.size())) {
        assertRelativelyClose(variant + " " + name, corrected.state(name), scaled(raw.state(name), 1 / bc2), 1e-15);
      }
      assertWithMessage("%s stored exp_avg must differ by 1/bc1", variant)
          .that(corrected.state("exp_avg")).isNotEqualTo(raw.state("exp_avg"));
    }
  }

  @Test
  void biasCorrectedStateFollowsTheStepDependentBetaRecursionOfSemantics() {
    // SEMANTICS.md "Stored form": kernels update the corrected state directly with
    // β̂ = (β^t − β)/(β^t − 1), add ε/bc2 in the belief rule and rescale a MAX_OF_RAW maximum by
    // bc2(t−1)/bc2(t) before the max. That recursion, written out here with a warm-up so that
    // β̂1 counts τ and β̂2 counts t, must reproduce the interpreter's stored state. The belief
    // rule needs the raw m = bc1·m_stored in (g − m).
    int k = 2;
    ReferenceSpec spec = ReferenceSpec.defaults().withSecondMoment(SecondMoment.BELIEF)
        .withAmsgrad(Amsgrad.MAX_OF_RAW).withMomentStorage(MomentStorage.BIAS_CORRECTED)
        .withDecay(WeightDecay.DECOUPLED);
    double eps = 1e-4; // large enough that a wrong ε/bc2 term shows
    Hyperparameters h = hyper().withEps(eps).withWeightDecay(0.1).withVarianceWarmupSteps(k);
    double[] p0 = {0.5, -1.5, 2.0};
    double[][] grads = randomGradients(new Random(8), 15, p0.length);
    ReferenceOptimizer opt = new ReferenceOptimizer(spec, h, p0);

    double[] mStored = new double[3];
    double[] vStored = new double[3];
    double[] maxStored = new double[3];
    for (int t = 1; t <= grads.length; t++) {
      int tau = t - k;
      double[] g = grads[t - 1];
      opt.step(g);
      double bc2 = 1 - Math.pow(B2, t);
      double bc2Before = 1 - Math.pow(B2, t - 1);
      double b2Hat = (Math.pow(B2, t) - B2) / (Math.pow(B2, t) - 1);
      for (int i = 0; i < 3; i++) {
        double mRaw = 0;
        if (tau >= 1) {
          double b1Hat = (Math.pow(B1, tau) - B1) / (Math.pow(B1, tau) - 1);
          mStored[i] = b1Hat * mStored[i] + (1 - b1Hat) * g[i];
          mRaw = mStored[i] * (1 - Math.pow(B1, tau));
        }
        double r = g[i] - mRaw;
        vStored[i] = b2Hat * vStored[i] + (1 - b2Hat) * r * r + eps / bc2;
        maxStored[i] = Math.max(maxStored[i] * bc2Before / bc2, vStored[i]);
      }
      assertRelativelyClose("exp_avg after step " + t, opt.state("exp_avg"), mStored, 1e-12);
      assertRelativelyClose("exp_avg_var after step " + t, opt.state("exp_avg_var"), vStored, 1e-12);
      assertRelativelyClose("max_exp_avg_var after step " + t, opt.state("max_exp_avg_var"), maxStored, 1e-12);
    }
  }

  @Test
  void biasCorrectedStateIsZeroNotNaNBeforeItsCorrectionIsDefined() {
    ReferenceSpec spec = ReferenceSpec.forVariant("radamw_fully_decoupled").withAmsgrad(Amsgrad.MAX_OF_RAW);
    ReferenceOptimizer opt = new ReferenceOptimizer(spec, hyper().withMaxLr(LR).withVarianceWarmupSteps(1), new double[] {1.0});
    for (String name : opt.stateNames()) {
      assertWithMessage("%s before any step (bc2 = 0)", name).that(opt.state(name)).isEqualTo(new double[1]);
    }
    opt.step(new double[] {0.5});
    assertWithMessage("exp_avg during warm-up (τ = 0, bc1 = 0)").that(opt.state("exp_avg")).isEqualTo(new double[1]);
    assertThat(opt.state("exp_avg_sq")[0]).isWithin(1e-15).of(0.25);
  }

  @Test
  void insideCorrectedSqrtPutsEpsRootUnderTheRoot() {
    double[] p0 = {1.0, 1.0};
    double[] g = {0.1, 0.0};
    double epsRoot = 1e-2;
    ReferenceSpec inside = ReferenceSpec.defaults().withEpsPlacement(EpsPlacement.INSIDE_CORRECTED_SQRT);
    ReferenceOptimizer opt = new ReferenceOptimizer(inside, hyper().withEpsRoot(epsRoot), p0);
    opt.step(g);
    // After one step m̂ = g and v̂ = g² (up to rounding of the corrections).
    assertThat(opt.params()[0]).isWithin(1e-15).of(1.0 - LR * 0.1 / (Math.sqrt(0.01 + epsRoot) + EPS));
    assertThat(opt.params()[1]).isEqualTo(1.0);

    // ε_root alone keeps a zero gradient finite, which ε = 0 outside the root does not.
    ReferenceOptimizer insideOnly = new ReferenceOptimizer(inside, hyper().withEps(0).withEpsRoot(epsRoot), p0);
    insideOnly.step(g);
    assertThat(insideOnly.params()[1]).isEqualTo(1.0);
    ReferenceOptimizer outsideNoEps = new ReferenceOptimizer(ReferenceSpec.defaults(), hyper().withEps(0), p0);
    outsideNoEps.step(g);
    assertThat(outsideNoEps.params()[1]).isNaN();

    // The outside placements ignore ε_root.
    ReferenceOptimizer outside = new ReferenceOptimizer(ReferenceSpec.defaults(), hyper().withEpsRoot(epsRoot), p0);
    outside.step(g);
    assertThat(outside.params()[0]).isWithin(1e-15).of(1.0 - LR * 0.1 / (0.1 + EPS));
  }

  @Test
  void beliefWithoutStateEpsLeavesEpsOutOfTheStoredVariance() {
    double eps = 1e-3;
    double[] p0 = {0.5};
    double[][] grads = {{0.3}, {-0.2}};
    ReferenceSpec belief = ReferenceSpec.defaults().withSecondMoment(SecondMoment.BELIEF);
    ReferenceOptimizer with = new ReferenceOptimizer(belief, hyper().withEps(eps), p0);
    ReferenceOptimizer without = new ReferenceOptimizer(
        belief.withSecondMoment(SecondMoment.BELIEF_WITHOUT_STATE_EPS), hyper().withEps(eps), p0);
    with.step(grads[0]);
    without.step(grads[0]);
    // s1 = (1 − β2)·(g − m1)² with m1 = (1 − β1)·g, so g − m1 = β1·g.
    double s1 = (1 - B2) * (B1 * 0.3) * (B1 * 0.3);
    assertThat(without.state("exp_avg_var")[0]).isWithin(1e-18).of(s1);
    assertThat(with.state("exp_avg_var")[0]).isWithin(1e-18).of(s1 + eps);
    with.step(grads[1]);
    without.step(grads[1]);
    // The belief rule's ε is carried forward: after two steps the gap is ε·(1 + β2).
    assertThat(with.state("exp_avg_var")[0] - without.state("exp_avg_var")[0]).isWithin(1e-15).of(eps * (1 + B2));
    assertThat(with.params()[0]).isNotEqualTo(without.params()[0]);
  }

  @Test
  void rejectsMisuse() {
    ReferenceSpec fullyDecoupled = ReferenceSpec.forVariant("radamw_fully_decoupled");
    assertThrows(IllegalArgumentException.class, () -> new ReferenceOptimizer(fullyDecoupled, hyper(), new double[1]));
    ReferenceOptimizer opt = new ReferenceOptimizer(ReferenceSpec.forVariant("adam"), hyper(), new double[2]);
    assertThrows(IllegalArgumentException.class, () -> opt.step(new double[3]));
    assertThrows(IllegalArgumentException.class, () -> opt.state("max_exp_avg_sq"));
    assertThrows(IllegalArgumentException.class, () -> ReferenceSpec.forVariant("sgd"));
    assertThat(opt.lastPhase()).isNull();
    assertThat(opt.stepCount()).isEqualTo(0L);
    opt.setHyperparameters(hyper().withVarianceWarmupSteps(2)); // allowed before the first step
    opt.step(new double[2]);
    assertThrows(IllegalArgumentException.class, () -> opt.setHyperparameters(hyper().withVarianceWarmupSteps(3)));
    opt.setHyperparameters(hyper().withVarianceWarmupSteps(2).withLr(0.5)); // other changes are fine
  }

  @Test
  void copiesItsInputs() {
    double[] p0 = {1.0, 2.0};
    double[] g = {0.5, 0.5};
    ReferenceOptimizer opt = new ReferenceOptimizer(ReferenceSpec.forVariant("adam"), hyper(), p0);
    p0[0] = 99;
    opt.params()[1] = 99;
    assertThat(opt.params()).isEqualTo(new double[] {1.0, 2.0});
    opt.step(g);
    assertThat(g).isEqualTo(new double[] {0.5, 0.5});
    assertThat(opt.stepCount()).isEqualTo(1L);
  }

  @Test
  void namesStateAsTheConformanceCasesDo() {
    assertThat(stateNamesOf("adam")).containsExactly("exp_avg", "exp_avg_sq").inOrder();
    assertThat(stateNamesOf("amsgrad")).containsExactly("exp_avg", "exp_avg_sq", "max_exp_avg_sq").inOrder();
    assertThat(stateNamesOf("adabelief")).containsExactly("exp_avg", "exp_avg_var").inOrder();
    assertThat(stateNamesOf("adabelief_amsgrad"))
        .containsExactly("exp_avg", "exp_avg_var", "max_exp_avg_var").inOrder();
  }

  private static List<String> stateNamesOf(String variant) {
    return new ReferenceOptimizer(ReferenceSpec.forVariant(variant), hyper(), new double[1]).stateNames();
  }

  private static double[][] randomGradients(Random random, int steps, int n) {
    double[][] grads = new double[steps][n];
    for (double[] row : grads) {
      for (int i = 0; i < n; i++) {
        row[i] = random.nextGaussian() * 0.3;
      }
    }
    return grads;
  }

  private static double[] negated(double[] x) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = -x[i];
    }
    return y;
  }

  private static double[] scaled(double[] x, double factor) {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = x[i] * factor;
    }
    return y;
  }

  /** Element-wise {@code |actual − expected| <= rel·|expected|} (and exact equality for 0). */
  private static void assertRelativelyClose(String what, double[] actual, double[] expected, double rel) {
    assertWithMessage("%s: length", what).that(actual.length).isEqualTo(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertWithMessage("%s[%s]", what, i).that(actual[i]).isWithin(rel * Math.abs(expected[i])).of(expected[i]);
    }
  }
}
