package golden;

import io.github.optkernels.runtime.GradientScan;
import io.github.optkernels.runtime.HalfArrays;
import io.github.optkernels.runtime.HalfFormat;
import io.github.optkernels.runtime.HyperparameterValues;
import io.github.optkernels.runtime.KernelChecks;
import io.github.optkernels.runtime.RoundingNoise;
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
 * Step kernel of {@code PureAdam} for {@code fp16 (short[] bits)} buffers.
 * Generated from {@link golden.PureAdamSpec}; do not edit.
 *
 * <p>Loads 16 bits, computes in float32, stores rounded: the parameter is rounded stochastically, the
 * moments are stored in fp16 (rounded to nearest even).
 *
 * <p>What it computes, printed from the kernel IR the code below is printed from:
 * <pre>
 * per step (double; scalars rounded once to float):
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
 *   sqrtBc2 = sqrt(bc2)
 *   scalar epsTerm = eps·sqrtBc2
 *   scalar stepSize = lr·sqrtBc2/bc1
 * per element, VARIANCE_WARMUP loop (float):
 *   g = grad
 *   p = param
 *   gDecayed = g + l2·p
 *   v = beta2·exp_avg_sq + oneMinusBeta2·gDecayed·gDecayed
 *   exp_avg_sq ← v
 * per element, ADAPTIVE loop (float):
 *   g = grad
 *   p = param
 *   gDecayed = g + l2·p
 *   m = beta1·exp_avg + oneMinusBeta1·gDecayed
 *   v = beta2·exp_avg_sq + oneMinusBeta2·gDecayed·gDecayed
 *   exp_avg ← m
 *   exp_avg_sq ← v
 *   d = sqrt(v) + epsTerm
 *   u = −stepSize·m/d
 *   param ← p + u
 * </pre>
 *
 * <p>Use: {@link #prepare} once per step, then {@link #update} over any ranges of
 * any tensors (concurrently if you like: update only reads the prepared scalars).
 * Each phase has its own loop, chosen once per step; see {@link #phase()}.
 */
@Generated(
    value = "io.github.optkernels.processor.OptimizerProcessor",
    comments = "from golden.PureAdamSpec"
)
public final class PureAdamFp16Kernel implements StepKernel {
  /**
   * Per-element state arrays, in the order {@code update} takes them.
   */
  public static final List<String> STATE_NAMES = List.of("exp_avg", "exp_avg_sq");

  /**
   * Array type of each state array, in {@link #STATE_NAMES} order.
   */
  private static final List<Class<?>> STATE_TYPES = List.of(short[].class, short[].class);

  /**
   * The loop the prepared step runs; null until the first prepare.
   */
  private StepPhase phase;

  /**
   * Per-step: λ, the L2 weight-decay coefficient added to the gradient.
   */
  private float l2;

  /**
   * Per-step: β1.
   */
  private float beta1;

  /**
   * Per-step: 1 − β1.
   */
  private float oneMinusBeta1;

  /**
   * Per-step: β2.
   */
  private float beta2;

  /**
   * Per-step: 1 − β2.
   */
  private float oneMinusBeta2;

  /**
   * Per-step: ε as added to sqrt of the moment the loop reads.
   */
  private float epsTerm;

  /**
   * Per-step: lr·r_t/bc1, with the denominator's folded factor.
   */
  private float stepSize;

  /**
   * This tensor's stochastic-rounding seed.
   */
  private long seed;

  /**
   * Per-step: the rounding noise's key, from the seed and the step.
   */
  private int noiseKey;

  /**
   * A kernel with no step prepared yet, for one tensor.
   *
   * @param seed the tensor's stochastic-rounding seed: the rounding noise of element
   *     {@code i} at step {@code t} is a hash of (seed, t, i), so a run replays bit for bit and
   *     does not depend on how the tensor is split into ranges; give each tensor its own
   *     seed (the optimizer derives them with {@code RoundingNoise.tensorSeed})
   */
  public PureAdamFp16Kernel(long seed) {
    this.seed = seed;
  }

  @Override
  public List<String> stateNames() {
    return STATE_NAMES;
  }

  @Override
  public Class<?> bufferType() {
    return short[].class;
  }

  @Override
  public List<Class<?>> stateTypes() {
    return STATE_TYPES;
  }

  /**
   * What this kernel's {@code short[]} arrays hold: checkpoints record it, so one format
   * never loads as the other.
   */
  @Override
  public HalfFormat halfFormat() {
    return HalfFormat.FP16;
  }

  /**
   * Replaces the tensor's seed from the next {@link #prepare} on (what loading a checkpoint
   * does, so a resumed run rounds as the saved run would have).
   */
  @Override
  public void setRoundingSeed(long tensorSeed) {
    this.seed = tensorSeed;
  }

  /**
   * Computes the scalars of step {@code step} (≥ 1) in double, rounded once to float,
   * and chooses the phase.
   */
  @Override
  public void prepare(long step, double[] carried, HyperparameterValues h) {
    KernelChecks.checkStep(step);
    this.noiseKey = RoundingNoise.stepKey(seed, step);
    double beta2 = h.beta2();
    double beta2Power = Math.pow(beta2, step);
    double bc2 = 1 - beta2Power;
    double eps = h.eps();
    this.beta2 = (float) beta2;
    this.oneMinusBeta2 = (float) (1 - beta2);
    this.l2 = (float) h.weightDecay();
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
    this.beta1 = (float) beta1;
    this.oneMinusBeta1 = (float) (1 - beta1);
    this.phase = StepPhase.ADAPTIVE;
    // the loop reads raw v: sqrt(v/bc2) = sqrt(v)/sqrt(bc2), and 1/sqrt(bc2) moves into the step size
    double sqrtBc2 = Math.sqrt(bc2);
    this.epsTerm = (float) (eps * sqrtBc2);
    this.stepSize = (float) (lr * sqrtBc2 / bc1);
  }

  @Override
  public StepPhase phase() {
    return phase;
  }

  /**
   * Applies the prepared step to elements {@code [from, to)} of one tensor.
   *
   * @throws IllegalStateException if no step has been prepared
   * @throws IllegalArgumentException if a buffer's length differs from {@code param}'s,
   *     or the range is not within it
   */
  public void update(short[] param, short[] grad, short[] expAvg, short[] expAvgSq, int from,
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
      throw new IllegalStateException("phase cannot occur for PureAdam: " + phase);
    }
  }

  /**
   * Applies the prepared step to every element of one tensor.
   *
   * @throws IllegalStateException if no step has been prepared
   * @throws IllegalArgumentException if a buffer's length differs from {@code param}'s
   */
  public void update(short[] param, short[] grad, short[] expAvg, short[] expAvgSq) {
    update(param, grad, expAvg, expAvgSq, 0, param.length);
  }

  @Override
  public void update(Object param, Object grad, Object[] state, int from, int to) {
    KernelChecks.checkStateCount(state.length, 2);
    update((short[]) param, (short[]) grad, (short[]) state[0], (short[]) state[1], from, to);
  }

  /**
   * The NaN/Inf scan the runtime runs before a step writes anything: only this kernel
   * knows which 16-bit format its {@code short[]} gradients hold.
   */
  @Override
  public int firstNonFinite(Object grad, int from, int to) {
    return GradientScan.firstNonFiniteFloat16((short[]) grad, from, to);
  }

  /**
   * After {@code update} over {@code [from, to)}: the first 16-bit parameter or moment there
   * that is NaN or infinite (a value that outgrew the format), parameter first; the runtime
   * reports it after the step.
   */
  @Override
  public long firstNonFiniteStored(Object param, Object[] state, int from, int to) {
    int i = GradientScan.firstNonFiniteFloat16((short[]) param, from, to);
    if (i >= 0) {
      return GradientScan.stored(0, i);
    }
    // exp_avg
    i = GradientScan.firstNonFiniteFloat16((short[]) state[0], from, to);
    if (i >= 0) {
      return GradientScan.stored(1, i);
    }
    // exp_avg_sq
    i = GradientScan.firstNonFiniteFloat16((short[]) state[1], from, to);
    if (i >= 0) {
      return GradientScan.stored(2, i);
    }
    return -1;
  }

  /**
   * Never: this instance holds its tensor's stochastic-rounding seed, so each tensor
   * is prepared on its own kernel.
   */
  @Override
  public boolean sharesPreparedSteps() {
    return false;
  }

  /**
   * Yes: the rounding noise hashes the element's index in the array this kernel steps.
   */
  @Override
  public boolean roundsStochastically() {
    return true;
  }

  /**
   * The VARIANCE_WARMUP loop over {@code [from, to)}; inputs already checked.
   */
  private void varianceWarmup(short[] paramStored, short[] gradStored, short[] expAvgStored,
      short[] expAvgSqStored, int from, int to) {
    // In blocks of float32 copies: a 16-bit element loop cannot be vectorized by C2 (JDK 17
    // to 25 vectorize neither Float.intBitsToFloat nor short/int lane changes), so the
    // conversions are hoisted into block passes (HalfArrays: plain Java, or the Vector API
    // when enabled) and the element loop in between is the float kernel's, over arrays
    // with the same index, which C2 vectorizes (docs/KERNEL_LOOPS.md). Inside a block,
    // param, grad and the state names denote the float32 copies of [base, base + n).
    float l2 = this.l2;
    float beta2 = this.beta2;
    float oneMinusBeta2 = this.oneMinusBeta2;
    HalfArrays.Block block = HalfArrays.block();
    float[] param = block.buffer(0);
    float[] grad = block.buffer(1);
    float[] expAvgSq = block.buffer(2);
    for (int base = from; base < to; base += HalfArrays.BLOCK) {
      int n = Math.min(HalfArrays.BLOCK, to - base);
      HalfArrays.fp16ToFloat(paramStored, base, param, n);
      HalfArrays.fp16ToFloat(gradStored, base, grad, n);
      HalfArrays.fp16ToFloat(expAvgSqStored, base, expAvgSq, n);
      for (int i = 0; i < n; i++) {
        float g = grad[i];
        float p = param[i];
        float gDecayed = g + l2 * p;
        float v = beta2 * expAvgSq[i] + oneMinusBeta2 * gDecayed * gDecayed;
        expAvgSq[i] = v;
      }
      HalfArrays.floatToFp16(expAvgSq, expAvgSqStored, base, n);
    }
  }

  /**
   * The ADAPTIVE loop over {@code [from, to)}; inputs already checked.
   */
  private void adaptive(short[] paramStored, short[] gradStored, short[] expAvgStored,
      short[] expAvgSqStored, int from, int to) {
    // In blocks of float32 copies: a 16-bit element loop cannot be vectorized by C2 (JDK 17
    // to 25 vectorize neither Float.intBitsToFloat nor short/int lane changes), so the
    // conversions are hoisted into block passes (HalfArrays: plain Java, or the Vector API
    // when enabled) and the element loop in between is the float kernel's, over arrays
    // with the same index, which C2 vectorizes (docs/KERNEL_LOOPS.md). Inside a block,
    // param, grad and the state names denote the float32 copies of [base, base + n).
    float l2 = this.l2;
    float beta1 = this.beta1;
    float oneMinusBeta1 = this.oneMinusBeta1;
    float beta2 = this.beta2;
    float oneMinusBeta2 = this.oneMinusBeta2;
    float epsTerm = this.epsTerm;
    float stepSize = this.stepSize;
    int noiseKey = this.noiseKey;
    HalfArrays.Block block = HalfArrays.block();
    float[] param = block.buffer(0);
    float[] grad = block.buffer(1);
    float[] expAvg = block.buffer(2);
    float[] expAvgSq = block.buffer(3);
    for (int base = from; base < to; base += HalfArrays.BLOCK) {
      int n = Math.min(HalfArrays.BLOCK, to - base);
      HalfArrays.fp16ToFloat(paramStored, base, param, n);
      HalfArrays.fp16ToFloat(gradStored, base, grad, n);
      HalfArrays.fp16ToFloat(expAvgStored, base, expAvg, n);
      HalfArrays.fp16ToFloat(expAvgSqStored, base, expAvgSq, n);
      for (int i = 0; i < n; i++) {
        float g = grad[i];
        float p = param[i];
        float gDecayed = g + l2 * p;
        float m = beta1 * expAvg[i] + oneMinusBeta1 * gDecayed;
        float v = beta2 * expAvgSq[i] + oneMinusBeta2 * gDecayed * gDecayed;
        expAvg[i] = m;
        expAvgSq[i] = v;
        float d = (float) Math.sqrt(v) + epsTerm;
        float u = -stepSize * m / d;
        param[i] = p + u;
      }
      HalfArrays.floatToFp16(expAvg, expAvgStored, base, n);
      HalfArrays.floatToFp16(expAvgSq, expAvgSqStored, base, n);
      HalfArrays.floatToFp16Stochastic(param, paramStored, base, n, noiseKey);
    }
  }
}
