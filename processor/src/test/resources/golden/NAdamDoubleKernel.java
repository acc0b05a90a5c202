package golden;

import io.github.optkernels.runtime.HyperparameterValues;
import io.github.optkernels.runtime.KernelChecks;
import io.github.optkernels.runtime.StepKernel;
import io.github.optkernels.runtime.StepPhase;
import java.lang.Class;
import java.lang.IllegalStateException;
import java.lang.Math;
import java.lang.Object;
import java.lang.Override;
import java.lang.String;
import java.util.List;
import javax.annotation.processing.Generated;

/**
 * Step kernel of {@code NAdam} for {@code double[]} buffers.
 * Generated from {@link golden.NAdamSpec}; do not edit.
 *
 * <p>What it computes, printed from the kernel IR the code below is printed from:
 * <pre>
 * per step (double; scalars rounded once to double):
 *   beta2 = β2
 *   beta2Power = beta2^step
 *   bc2 = 1 − beta2Power
 *   eps = ε
 *   scalar beta2 = beta2
 *   scalar oneMinusBeta2 = 1 − beta2
 *   scalar l2 = λ
 *   loop: VARIANCE_WARMUP if t ≤ K (and nothing below)
 *   tau = step − K
 *   lr = lr
 *   beta1 = β1
 *   beta1Power = beta1^tau
 *   bc1 = 1 − beta1Power
 *   scalar beta1 = beta1
 *   scalar oneMinusBeta1 = 1 − beta1
 *   loop: ADAPTIVE
 *   psi = ψ
 *   mu = beta1·(1 − 0.5·0.96^(tau·psi))
 *   muNext = beta1·(1 − 0.5·0.96^((tau + 1)·psi))
 *   muProduct = momentumProduct·mu
 *   field momentumProductAfter = muProduct
 *   gradWeight = (1 − mu)/(1 − muProduct)
 *   momentumWeight = muNext/(1 − muProduct·muNext)
 *   sqrtBc2 = sqrt(bc2)
 *   scalar epsTerm = eps·sqrtBc2
 *   scalar gradStepSize = lr·sqrtBc2·gradWeight
 *   scalar momentumStepSize = lr·sqrtBc2·momentumWeight
 * per element, VARIANCE_WARMUP loop (double):
 *   g = grad
 *   p = param
 *   gDecayed = g + l2·p
 *   v = beta2·exp_avg_sq + oneMinusBeta2·gDecayed·gDecayed
 *   exp_avg_sq ← v
 * per element, ADAPTIVE loop (double):
 *   g = grad
 *   p = param
 *   gDecayed = g + l2·p
 *   m = beta1·exp_avg + oneMinusBeta1·gDecayed
 *   v = beta2·exp_avg_sq + oneMinusBeta2·gDecayed·gDecayed
 *   exp_avg ← m
 *   exp_avg_sq ← v
 *   d = sqrt(v) + epsTerm
 *   u = −(gradStepSize·gDecayed + momentumStepSize·m)/d
 *   param ← p + u
 * </pre>
 *
 * <p>Use: {@link #prepare} once per step, then {@link #update} over any ranges of
 * any tensors (concurrently if you like: update only reads the prepared scalars).
 * Each phase has its own loop, chosen once per step; see {@link #phase()}.
 */
@Generated(
    value = "io.github.optkernels.processor.OptimizerProcessor",
    comments = "from golden.NAdamSpec"
)
public final class NAdamDoubleKernel implements StepKernel {
  /**
   * Per-element state arrays, in the order {@code update} takes them.
   */
  public static final List<String> STATE_NAMES = List.of("exp_avg", "exp_avg_sq");

  /**
   * Array type of each state array, in {@link #STATE_NAMES} order.
   */
  private static final List<Class<?>> STATE_TYPES = List.of(double[].class, double[].class);

  /**
   * The loop the prepared step runs; null until the first prepare.
   */
  private StepPhase phase;

  /**
   * NAdam's Π after the prepared step.
   */
  private double momentumProductAfter = 1.0;

  /**
   * Per-step: λ, the L2 weight-decay coefficient added to the gradient.
   */
  private double l2;

  /**
   * Per-step: β1.
   */
  private double beta1;

  /**
   * Per-step: 1 − β1.
   */
  private double oneMinusBeta1;

  /**
   * Per-step: β2.
   */
  private double beta2;

  /**
   * Per-step: 1 − β2.
   */
  private double oneMinusBeta2;

  /**
   * Per-step: ε as added to sqrt of the moment the loop reads.
   */
  private double epsTerm;

  /**
   * Per-step: lr·r_t·(1 − μ_t)/(1 − Π_t), with the denominator's folded factor.
   */
  private double gradStepSize;

  /**
   * Per-step: lr·r_t·μ_{t+1}/(1 − Π_t·μ_{t+1}), with the denominator's folded factor.
   */
  private double momentumStepSize;

  /**
   * A kernel with no step prepared yet.
   */
  public NAdamDoubleKernel() {
  }

  @Override
  public List<String> stateNames() {
    return STATE_NAMES;
  }

  @Override
  public Class<?> bufferType() {
    return double[].class;
  }

  @Override
  public List<Class<?>> stateTypes() {
    return STATE_TYPES;
  }

  /**
   * NAdam's Π, the product of μ over the momentum steps, carried from step to step.
   */
  @Override
  public List<String> carriedNames() {
    return List.of("momentum_product");
  }

  /**
   * Π before the first momentum step: the empty product.
   */
  @Override
  public double[] carriedInitial() {
    return new double[] {1.0};
  }

  /**
   * Computes the scalars of step {@code step} (≥ 1) in double, rounded once to double,
   * and chooses the phase.
   */
  @Override
  public void prepare(long step, double[] carried, HyperparameterValues h) {
    KernelChecks.checkStep(step);
    KernelChecks.checkCarried(carried, 1);
    double momentumProduct = carried[0];
    this.momentumProductAfter = momentumProduct;
    double beta2 = h.beta2();
    double beta2Power = Math.pow(beta2, step);
    double bc2 = 1 - beta2Power;
    double eps = h.eps();
    this.beta2 = beta2;
    this.oneMinusBeta2 = 1 - beta2;
    this.l2 = h.weightDecay();
    if (step <= h.varianceWarmupSteps()) {
      // Adam-2k: during the first K steps only the second moment moves
      this.phase = StepPhase.VARIANCE_WARMUP;
      return;
    }
    // τ counts momentum steps: the first moment starts after the warm-up
    long tau = step - h.varianceWarmupSteps();
    double lr = h.lr();
    double beta1 = h.beta1();
    double beta1Power = Math.pow(beta1, tau);
    double bc1 = 1 - beta1Power;
    this.beta1 = beta1;
    this.oneMinusBeta1 = 1 - beta1;
    this.phase = StepPhase.ADAPTIVE;
    // NAdam: μ_t = β1·(1 − ½·0.96^(τψ)), and Π, the product of μ over the momentum steps
    double psi = h.momentumDecay();
    double mu = beta1 * (1 - 0.5 * Math.pow(0.96, tau * psi));
    double muNext = beta1 * (1 - 0.5 * Math.pow(0.96, (tau + 1) * psi));
    double muProduct = momentumProduct * mu;
    this.momentumProductAfter = muProduct;
    double gradWeight = (1 - mu) / (1 - muProduct);
    double momentumWeight = muNext / (1 - muProduct * muNext);
    // the loop reads raw v: sqrt(v/bc2) = sqrt(v)/sqrt(bc2), and 1/sqrt(bc2) moves into the step size
    double sqrtBc2 = Math.sqrt(bc2);
    this.epsTerm = eps * sqrtBc2;
    this.gradStepSize = lr * sqrtBc2 * gradWeight;
    this.momentumStepSize = lr * sqrtBc2 * momentumWeight;
  }

  @Override
  public StepPhase phase() {
    return phase;
  }

  /**
   * Π including the prepared step.
   */
  @Override
  public void carriedAfter(double[] out) {
    out[0] = momentumProductAfter;
  }

  /**
   * Applies the prepared step to elements {@code [from, to)} of one tensor.
   *
   * @throws IllegalStateException if no step has been prepared
   * @throws IllegalArgumentException if a buffer's length differs from {@code param}'s,
   *     or the range is not within it
   */
  public void update(double[] param, double[] grad, double[] expAvg, double[] expAvgSq, int from,
      int to) {
    StepPhase phase = this.phase;
    KernelChecks.checkPrepared(phase);
    KernelChecks.checkLength("grad", grad.length, param.length);
    KernelChecks.checkLength("exp_avg", expAvg.length, param.length);
    KernelChecks.checkLength("exp_avg_sq", expAvgSq.length, param.length);
    KernelChecks.checkRange(param.length, from, to);
    if (phase == StepPhase.VARIANCE_WARMUP) {
      varianceWarmup(param, grad, expAvg, expAvgSq, from, to);
    } else if (phase == StepPhase.ADAPTIVE) {
      adaptive(param, grad, expAvg, expAvgSq, from, to);
    } else {
      throw new IllegalStateException("phase cannot occur for NAdam: " + phase);
    }
  }

  /**
   * Applies the prepared step to every element of one tensor.
   *
   * @throws IllegalStateException if no step has been prepared
   * @throws IllegalArgumentException if a buffer's length differs from {@code param}'s
   */
  public void update(double[] param, double[] grad, double[] expAvg, double[] expAvgSq) {
    update(param, grad, expAvg, expAvgSq, 0, param.length);
  }

  @Override
  public void update(Object param, Object grad, Object[] state, int from, int to) {
    KernelChecks.checkStateCount(state.length, 2);
    update((double[]) param, (double[]) grad, (double[]) state[0], (double[]) state[1], from, to);
  }

  /**
   * The VARIANCE_WARMUP loop over {@code [from, to)}; inputs already checked.
   */
  private void varianceWarmup(double[] param, double[] grad, double[] expAvg, double[] expAvgSq,
      int from, int to) {
    // One plain counted loop, deliberately not unrolled by hand: C2 unrolls and vectorizes
    // it itself (SuperWord; AVX-512 where present), and its pre/post loops are the scalar
    // head and tail. A hand-unrolled body stops SuperWord and ran 7-8x slower, as slow as
    // -XX:-UseSuperWord (docs/KERNEL_LOOPS.md). Scalars are copied to locals first so the
    // body reads only arrays and locals.
    double l2 = this.l2;
    double beta2 = this.beta2;
    double oneMinusBeta2 = this.oneMinusBeta2;
    for (int i = from; i < to; i++) {
      double g = grad[i];
      double p = param[i];
      double gDecayed = g + l2 * p;
      double v = beta2 * expAvgSq[i] + oneMinusBeta2 * gDecayed * gDecayed;
      expAvgSq[i] = v;
    }
  }

  /**
   * The ADAPTIVE loop over {@code [from, to)}; inputs already checked.
   */
  private void adaptive(double[] param, double[] grad, double[] expAvg, double[] expAvgSq, int from,
      int to) {
    // One plain counted loop, deliberately not unrolled by hand: C2 unrolls and vectorizes
    // it itself (SuperWord; AVX-512 where present), and its pre/post loops are the scalar
    // head and tail. A hand-unrolled body stops SuperWord and ran 7-8x slower, as slow as
    // -XX:-UseSuperWord (docs/KERNEL_LOOPS.md). Scalars are copied to locals first so the
    // body reads only arrays and locals.
    double l2 = this.l2;
    double beta1 = this.beta1;
    double oneMinusBeta1 = this.oneMinusBeta1;
    double beta2 = this.beta2;
    double oneMinusBeta2 = this.oneMinusBeta2;
    double epsTerm = this.epsTerm;
    double gradStepSize = this.gradStepSize;
    double momentumStepSize = this.momentumStepSize;
    for (int i = from; i < to; i++) {
      double g = grad[i];
      double p = param[i];
      double gDecayed = g + l2 * p;
      double m = beta1 * expAvg[i] + oneMinusBeta1 * gDecayed;
      double v = beta2 * expAvgSq[i] + oneMinusBeta2 * gDecayed * gDecayed;
      expAvg[i] = m;
      expAvgSq[i] = v;
      double d = Math.sqrt(v) + epsTerm;
      double u = -(gradStepSize * gDecayed + momentumStepSize * m) / d;
      param[i] = p + u;
    }
  }
}
