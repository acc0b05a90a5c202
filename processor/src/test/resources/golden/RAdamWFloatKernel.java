package golden;

import io.github.optkernels.runtime.HyperparameterValues;
import io.github.optkernels.runtime.KernelChecks;
import io.github.optkernels.runtime.StepKernel;
import io.github.optkernels.runtime.StepPhase;
import java.lang.Class;
import java.lang.Double;
import java.lang.IllegalStateException;
import java.lang.Math;
import java.lang.Object;
import java.lang.Override;
import java.lang.String;
import java.util.List;
import javax.annotation.processing.Generated;

/**
 * Step kernel of {@code RAdamW} for {@code float[]} buffers.
 * Generated from {@link golden.RAdamWSpec}; do not edit.
 *
 * <p>What it computes, printed from the kernel IR the code below is printed from:
 * <pre>
 * per step (double; scalars rounded once to float):
 *   beta2 = β2
 *   beta2Power = beta2^step
 *   bc2 = 1 − beta2Power
 *   eps = ε
 *   beta2Hat = (beta2Power − beta2)/(beta2Power − 1)
 *   scalar beta2Hat = beta2Hat
 *   scalar oneMinusBeta2Hat = 1 − beta2Hat
 *   loop: VARIANCE_WARMUP if t ≤ K (and nothing below)
 *   tau = step − K
 *   lr = lr
 *   beta1 = β1
 *   beta1Power = beta1^tau
 *   bc1 = 1 − beta1Power
 *   beta1Hat = (beta1Power − beta1)/(beta1Power − 1)
 *   scalar beta1Hat = beta1Hat
 *   scalar oneMinusBeta1Hat = 1 − beta1Hat
 *   rhoInf = 2/(1 − beta2) − 1
 *   rho = rhoInf − 2·step·beta2Power/bc2
 *   rectified = rho &gt; 5
 *   rectification = rectified ? sqrt((rho − 4)·(rho − 2)·rhoInf/((rhoInf − 4)·(rhoInf − 2)·rho)) : NaN
 *   loop: ADAPTIVE if rectified, else UNADAPTED
 *   field rectification = rectification
 *   weightDecay = λ
 *   scalar decayFactor = weightDecay == 0 ? 1 : 1 − weightDecay·lr/max_lr
 *   scalar epsTerm = eps
 *   scalar stepSize = lr·rectification
 *   scalar sgdStepSize = lr
 * per element, VARIANCE_WARMUP loop (float):
 *   g = grad
 *   v = beta2Hat·exp_avg_sq + oneMinusBeta2Hat·g·g
 *   exp_avg_sq ← v
 * per element, UNADAPTED loop (float):
 *   g = grad
 *   p = param
 *   pDecayed = p·decayFactor
 *   m = beta1Hat·exp_avg + oneMinusBeta1Hat·g
 *   v = beta2Hat·exp_avg_sq + oneMinusBeta2Hat·g·g
 *   exp_avg ← m
 *   exp_avg_sq ← v
 *   u = −sgdStepSize·m
 *   param ← pDecayed + u
 * per element, ADAPTIVE loop (float):
 *   g = grad
 *   p = param
 *   pDecayed = p·decayFactor
 *   m = beta1Hat·exp_avg + oneMinusBeta1Hat·g
 *   v = beta2Hat·exp_avg_sq + oneMinusBeta2Hat·g·g
 *   exp_avg ← m
 *   exp_avg_sq ← v
 *   d = sqrt(v) + epsTerm
 *   u = −stepSize·m/d
 *   param ← pDecayed + u
 * </pre>
 *
 * <p>Use: {@link #prepare} once per step, then {@link #update} over any ranges of
 * any tensors (concurrently if you like: update only reads the prepared scalars).
 * Each phase has its own loop, chosen once per step; see {@link #phase()}.
 */
@Generated(
    value = "io.github.optkernels.processor.OptimizerProcessor",
    comments = "from golden.RAdamWSpec"
)
public final class RAdamWFloatKernel implements StepKernel {
  /**
   * Per-element state arrays, in the order {@code update} takes them.
   */
  public static final List<String> STATE_NAMES = List.of("exp_avg", "exp_avg_sq");

  /**
   * Array type of each state array, in {@link #STATE_NAMES} order.
   */
  private static final List<Class<?>> STATE_TYPES = List.of(float[].class, float[].class);

  /**
   * The loop the prepared step runs; null until the first prepare.
   */
  private StepPhase phase;

  /**
   * Per-step: the decoupled weight-decay factor the parameter is multiplied by.
   */
  private float decayFactor;

  /**
   * Per-step: β̂1, optimi's debiased first-moment decay of this step.
   */
  private float beta1Hat;

  /**
   * Per-step: 1 − β̂1.
   */
  private float oneMinusBeta1Hat;

  /**
   * Per-step: β̂2, optimi's debiased second-moment decay of this step.
   */
  private float beta2Hat;

  /**
   * Per-step: 1 − β̂2.
   */
  private float oneMinusBeta2Hat;

  /**
   * Per-step: ε as added to sqrt of the moment the loop reads.
   */
  private float epsTerm;

  /**
   * Per-step: lr·r_t/bc1, with the denominator's folded factor.
   */
  private float stepSize;

  /**
   * Per-step: lr/bc1, for the un-adapted step.
   */
  private float sgdStepSize;

  /**
   * r_t of the prepared step, or NaN when the step is not rectified.
   */
  private double rectification = Double.NaN;

  /**
   * A kernel with no step prepared yet.
   */
  public RAdamWFloatKernel() {
  }

  @Override
  public List<String> stateNames() {
    return STATE_NAMES;
  }

  @Override
  public Class<?> bufferType() {
    return float[].class;
  }

  @Override
  public List<Class<?>> stateTypes() {
    return STATE_TYPES;
  }

  /**
   * Computes the scalars of step {@code step} (≥ 1) in double, rounded once to float,
   * and chooses the phase.
   */
  @Override
  public void prepare(long step, double[] carried, HyperparameterValues h) {
    KernelChecks.checkStep(step);
    double beta2 = h.beta2();
    double beta2Power = Math.pow(beta2, step);
    double bc2 = 1 - beta2Power;
    double eps = h.eps();
    // stored v stays equal to v_raw / bc2
    double beta2Hat = (beta2Power - beta2) / (beta2Power - 1);
    this.beta2Hat = (float) beta2Hat;
    this.oneMinusBeta2Hat = (float) (1 - beta2Hat);
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
    // stored m stays equal to m_raw / bc1
    double beta1Hat = (beta1Power - beta1) / (beta1Power - 1);
    this.beta1Hat = (float) beta1Hat;
    this.oneMinusBeta1Hat = (float) (1 - beta1Hat);
    // ρ_t: the length of the simple moving average the EMA of g² approximates (RAdam)
    double rhoInf = 2 / (1 - beta2) - 1;
    double rho = rhoInf - 2 * step * beta2Power / bc2;
    boolean rectified = rho > 5;
    double rectification = rectified ? Math.sqrt((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho)) : Double.NaN;
    if (rectified) {
      this.phase = StepPhase.ADAPTIVE;
    } else {
      this.phase = StepPhase.UNADAPTED;
    }
    this.rectification = rectification;
    double weightDecay = h.weightDecay();
    // without decay the factor is exactly 1 (and max_lr need not be set)
    this.decayFactor = (float) (weightDecay == 0 ? 1 : 1 - weightDecay * lr / h.maxLr());
    this.epsTerm = (float) eps;
    this.stepSize = (float) (lr * rectification);
    this.sgdStepSize = (float) lr;
  }

  @Override
  public StepPhase phase() {
    return phase;
  }

  /**
   * The rectification term r_t of the prepared step, NaN when ρ_t is below the threshold.
   */
  public double rectification() {
    return rectification;
  }

  /**
   * Applies the prepared step to elements {@code [from, to)} of one tensor.
   *
   * @throws IllegalStateException if no step has been prepared
   * @throws IllegalArgumentException if a buffer's length differs from {@code param}'s,
   *     or the range is not within it
   */
  public void update(float[] param, float[] grad, float[] expAvg, float[] expAvgSq, int from,
      int to) {
    StepPhase phase = this.phase;
    KernelChecks.checkPrepared(phase);
    KernelChecks.checkLength("grad", grad.length, param.length);
    KernelChecks.checkLength("exp_avg", expAvg.length, param.length);
    KernelChecks.checkLength("exp_avg_sq", expAvgSq.length, param.length);
    KernelChecks.checkRange(param.length, from, to);
    if (phase == StepPhase.VARIANCE_WARMUP) {
      varianceWarmup(param, grad, expAvg, expAvgSq, from, to);
    } else if (phase == StepPhase.UNADAPTED) {
      unadapted(param, grad, expAvg, expAvgSq, from, to);
    } else if (phase == StepPhase.ADAPTIVE) {
      adaptive(param, grad, expAvg, expAvgSq, from, to);
    } else {
      throw new IllegalStateException("phase cannot occur for RAdamW: " + phase);
    }
  }

  /**
   * Applies the prepared step to every element of one tensor.
   *
   * @throws IllegalStateException if no step has been prepared
   * @throws IllegalArgumentException if a buffer's length differs from {@code param}'s
   */
  public void update(float[] param, float[] grad, float[] expAvg, float[] expAvgSq) {
    update(param, grad, expAvg, expAvgSq, 0, param.length);
  }

  @Override
  public void update(Object param, Object grad, Object[] state, int from, int to) {
    KernelChecks.checkStateCount(state.length, 2);
    update((float[]) param, (float[]) grad, (float[]) state[0], (float[]) state[1], from, to);
  }

  /**
   * The VARIANCE_WARMUP loop over {@code [from, to)}; inputs already checked.
   */
  private void varianceWarmup(float[] param, float[] grad, float[] expAvg, float[] expAvgSq,
      int from, int to) {
    // One plain counted loop, deliberately not unrolled by hand: C2 unrolls and vectorizes
    // it itself (SuperWord; AVX-512 where present), and its pre/post loops are the scalar
    // head and tail. A hand-unrolled body stops SuperWord and ran 7-8x slower, as slow as
    // -XX:-UseSuperWord (docs/KERNEL_LOOPS.md). Scalars are copied to locals first so the
    // body reads only arrays and locals.
    float beta2Hat = this.beta2Hat;
    float oneMinusBeta2Hat = this.oneMinusBeta2Hat;
    for (int i = from; i < to; i++) {
      float g = grad[i];
      float v = beta2Hat * expAvgSq[i] + oneMinusBeta2Hat * g * g;
      expAvgSq[i] = v;
    }
  }

  /**
   * The UNADAPTED loop over {@code [from, to)}; inputs already checked.
   */
  private void unadapted(float[] param, float[] grad, float[] expAvg, float[] expAvgSq, int from,
      int to) {
    // One plain counted loop, deliberately not unrolled by hand: C2 unrolls and vectorizes
    // it itself (SuperWord; AVX-512 where present), and its pre/post loops are the scalar
    // head and tail. A hand-unrolled body stops SuperWord and ran 7-8x slower, as slow as
    // -XX:-UseSuperWord (docs/KERNEL_LOOPS.md). Scalars are copied to locals first so the
    // body reads only arrays and locals.
    float decayFactor = this.decayFactor;
    float beta1Hat = this.beta1Hat;
    float oneMinusBeta1Hat = this.oneMinusBeta1Hat;
    float beta2Hat = this.beta2Hat;
    float oneMinusBeta2Hat = this.oneMinusBeta2Hat;
    float sgdStepSize = this.sgdStepSize;
    for (int i = from; i < to; i++) {
      float g = grad[i];
      float p = param[i];
      float pDecayed = p * decayFactor;
      float m = beta1Hat * expAvg[i] + oneMinusBeta1Hat * g;
      float v = beta2Hat * expAvgSq[i] + oneMinusBeta2Hat * g * g;
      expAvg[i] = m;
      expAvgSq[i] = v;
      float u = -sgdStepSize * m;
      param[i] = pDecayed + u;
    }
  }

  /**
   * The ADAPTIVE loop over {@code [from, to)}; inputs already checked.
   */
  private void adaptive(float[] param, float[] grad, float[] expAvg, float[] expAvgSq, int from,
      int to) {
    // One plain counted loop, deliberately not unrolled by hand: C2 unrolls and vectorizes
    // it itself (SuperWord; AVX-512 where present), and its pre/post loops are the scalar
    // head and tail. A hand-unrolled body stops SuperWord and ran 7-8x slower, as slow as
    // -XX:-UseSuperWord (docs/KERNEL_LOOPS.md). Scalars are copied to locals first so the
    // body reads only arrays and locals.
    float decayFactor = this.decayFactor;
    float beta1Hat = this.beta1Hat;
    float oneMinusBeta1Hat = this.oneMinusBeta1Hat;
    float beta2Hat = this.beta2Hat;
    float oneMinusBeta2Hat = this.oneMinusBeta2Hat;
    float epsTerm = this.epsTerm;
    float stepSize = this.stepSize;
    for (int i = from; i < to; i++) {
      float g = grad[i];
      float p = param[i];
      float pDecayed = p * decayFactor;
      float m = beta1Hat * expAvg[i] + oneMinusBeta1Hat * g;
      float v = beta2Hat * expAvgSq[i] + oneMinusBeta2Hat * g * g;
      expAvg[i] = m;
      expAvgSq[i] = v;
      float d = (float) Math.sqrt(v) + epsTerm;
      float u = -stepSize * m / d;
      param[i] = pDecayed + u;
    }
  }
}
