package golden;

import io.github.optkernels.runtime.HalfFormat;
import io.github.optkernels.runtime.Hyperparameter;
import io.github.optkernels.runtime.Hyperparameters;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.ParamGroup;
import io.github.optkernels.runtime.RoundingNoise;
import io.github.optkernels.runtime.SpecInfo;
import io.github.optkernels.runtime.StepKernel;
import java.lang.Class;
import java.lang.Double;
import java.lang.Override;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.annotation.processing.Generated;

/**
 * The {@code PureAdam} optimizer. Generated from {@link golden.PureAdamSpec}; do not edit.
 *
 * <p>Per element, one {@link #step()} computes:
 * <pre>
 * per step (double; scalars rounded once to the loop's type):
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
 * per element, VARIANCE_WARMUP loop (the loop's type):
 *   g = grad
 *   p = param
 *   gDecayed = g + l2·p
 *   v = beta2·exp_avg_sq + oneMinusBeta2·gDecayed·gDecayed
 *   exp_avg_sq ← v
 * per element, ADAPTIVE loop (the loop's type):
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
 * Spec: {@code firstMoment=EMA,secondMoment=SQUARED_GRADIENT,amsgrad=OFF,rectify=NONE,rectifyThreshold=RHO_ABOVE_5,epsPlacement=OUTSIDE_CORRECTED_SQRT,momentStorage=RAW,decay=L2,maximize=false,statePrecision=PARAMETER,kahan=OFF,rounding=STOCHASTIC}.
 *
 * <p>State per tensor: {@code exp_avg, exp_avg_sq}. Defaults: lr = 0.001, β1 = 0.9, β2 = 0.999, ε = 1.0E-8, λ = 0.0.
 * <pre>{@code
 * PureAdam optimizer = PureAdam.builder().lr(0.001).build();
 * optimizer.addFp16(weights, gradients);   // your arrays; state is allocated here
 * // ... fill gradients ...
 * optimizer.step();                     // updates weights in place
 * }</pre>
 */
@Generated(
    value = "io.github.optkernels.processor.OptimizerProcessor",
    comments = "from golden.PureAdamSpec"
)
public final class PureAdam extends KernelOptimizer {
  /**
   * What this optimizer computes: name, spec, structure, state and hyperparameters.
   */
  public static final SpecInfo SPEC = new SpecInfo("PureAdam", "golden.PureAdamSpec",
      "firstMoment=EMA,secondMoment=SQUARED_GRADIENT,amsgrad=OFF,rectify=NONE,rectifyThreshold=RHO_ABOVE_5,epsPlacement=OUTSIDE_CORRECTED_SQRT,momentStorage=RAW,decay=L2,maximize=false,statePrecision=PARAMETER,kahan=OFF,rounding=STOCHASTIC",
      List.of("exp_avg", "exp_avg_sq"),
      Set.of(Hyperparameter.LR, Hyperparameter.BETA1, Hyperparameter.BETA2, Hyperparameter.EPS,
          Hyperparameter.WEIGHT_DECAY, Hyperparameter.VARIANCE_WARMUP_STEPS));

  private PureAdam(Hyperparameters hyperparameters, long seed) {
    super(SPEC, hyperparameters, seed);
  }

  /**
   * A builder starting from the spec's defaults.
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected StepKernel newKernel(Class<?> bufferType) {
    if (bufferType == short[].class) {
      return new PureAdamFp16Kernel(RoundingNoise.tensorSeed(roundingSeed(), tensorCount()));
    }
    return null;
  }

  @Override
  protected StepKernel newHalfKernel(HalfFormat format) {
    if (format == HalfFormat.FP16) {
      return new PureAdamFp16Kernel(RoundingNoise.tensorSeed(roundingSeed(), tensorCount()));
    }
    return null;
  }

  /**
   * Registers a {@code fp16 (short[] bits)} parameter and its gradient buffer, allocating zeroed state.
   * {@link #step()} reads {@code grad} and updates {@code param} in place.
   *
   * <p>The parameter is rounded stochastically; the moments are kept in fp16.
   *
   * @return this optimizer
   * @throws IllegalArgumentException if the lengths differ or a buffer is already registered
   */
  public PureAdam addFp16(short[] param, short[] grad) {
    register(param, grad, new PureAdamFp16Kernel(RoundingNoise.tensorSeed(roundingSeed(), tensorCount())));
    return this;
  }

  /**
   * Registers a {@code fp16 (short[] bits)} parameter and its gradient buffer in {@code group}
   * (its hyperparameters and schedule), allocating zeroed state.
   *
   * @return this optimizer
   * @throws IllegalArgumentException if the group belongs to another optimizer, the lengths
   *     differ or a buffer is already registered
   */
  public PureAdam addFp16(ParamGroup group, short[] param, short[] grad) {
    register(group, param, grad, new PureAdamFp16Kernel(RoundingNoise.tensorSeed(roundingSeed(), tensorCount())));
    return this;
  }

  /**
   * The live {@code exp_avg} state (raw form) of {@code param}.
   *
   * @throws IllegalArgumentException if {@code param} is not registered
   */
  public short[] expAvg(short[] param) {
    return (short[]) state(param, "exp_avg");
  }

  /**
   * The live {@code exp_avg_sq} state (raw form) of {@code param}.
   *
   * @throws IllegalArgumentException if {@code param} is not registered
   */
  public short[] expAvgSq(short[] param) {
    return (short[]) state(param, "exp_avg_sq");
  }

  /**
   * Builds a {@link PureAdam}; starts from the spec's defaults. Each setter rejects an
   * invalid value at once, with {@link IllegalArgumentException}.
   */
  public static final class Builder {
    private Hyperparameters hyperparameters = Hyperparameters.builder()
        .set(Hyperparameter.LR, 0.001)
        .set(Hyperparameter.BETA1, 0.9)
        .set(Hyperparameter.BETA2, 0.999)
        .set(Hyperparameter.EPS, 1.0E-8)
        .set(Hyperparameter.EPS_ROOT, 0.0)
        .set(Hyperparameter.WEIGHT_DECAY, 0.0)
        .set(Hyperparameter.MAX_LR, Double.NaN)
        .set(Hyperparameter.MOMENTUM_DECAY, 0.004)
        .set(Hyperparameter.VARIANCE_WARMUP_STEPS, 0)
        .build();

    private long seed = 0;

    private Builder() {
    }

    /**
     * Sets the learning rate (spec default 0.001).
     */
    public Builder lr(double value) {
      hyperparameters = hyperparameters.with(Hyperparameter.LR, value);
      return this;
    }

    /**
     * Sets the first-moment decay β1, in [0, 1) (spec default 0.9).
     */
    public Builder beta1(double value) {
      hyperparameters = hyperparameters.with(Hyperparameter.BETA1, value);
      return this;
    }

    /**
     * Sets the second-moment decay β2, in [0, 1) (spec default 0.999).
     */
    public Builder beta2(double value) {
      hyperparameters = hyperparameters.with(Hyperparameter.BETA2, value);
      return this;
    }

    /**
     * Sets the ε of the denominator (spec default 1.0E-8).
     */
    public Builder eps(double value) {
      hyperparameters = hyperparameters.with(Hyperparameter.EPS, value);
      return this;
    }

    /**
     * Sets the weight-decay coefficient λ (L2) (spec default 0.0).
     */
    public Builder weightDecay(double value) {
      hyperparameters = hyperparameters.with(Hyperparameter.WEIGHT_DECAY, value);
      return this;
    }

    /**
     * Sets the K of the Adam-2k warm-up (spec default 0).
     */
    public Builder varianceWarmupSteps(int value) {
      hyperparameters = hyperparameters.with(Hyperparameter.VARIANCE_WARMUP_STEPS, value);
      return this;
    }

    /**
     * Sets the seed of stochastic rounding (default 0). The noise that rounds element
     * {@code i} of the k-th registered tensor at step {@code t} is a hash of
     * ({@code RoundingNoise.tensorSeed(seed, k)}, t, i): the same seed and registration order
     * replay a run bit for bit, whatever the thread count or chunking. A checkpoint saves the
     * seed, and loading one replaces it ({@code roundingSeed()}), so a resumed run is the saved run.
     */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Replaces every hyperparameter (checked against the spec by {@link #build()}).
     */
    public Builder hyperparameters(Hyperparameters hyperparameters) {
      this.hyperparameters = Objects.requireNonNull(hyperparameters, "hyperparameters");
      return this;
    }

    /**
     * The optimizer, with no tensors yet.
     *
     * @throws IllegalArgumentException if the hyperparameters do not fit the spec
     */
    public PureAdam build() {
      return new PureAdam(hyperparameters, seed);
    }
  }
}
