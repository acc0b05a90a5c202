package golden;

import io.github.optkernels.runtime.Hyperparameter;
import io.github.optkernels.runtime.Hyperparameters;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.ParamGroup;
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
 * The {@code AdamW} optimizer. Generated from {@link golden.AdamWSpec}; do not edit.
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
 *   loop: VARIANCE_WARMUP if t ≤ K (and nothing below)
 *   tau = step − K
 *   lr = lr
 *   beta1 = β1
 *   beta1Power = beta1^tau
 *   bc1 = 1 − beta1Power
 *   scalar beta1 = beta1
 *   scalar oneMinusBeta1 = 1 − beta1
 *   loop: ADAPTIVE
 *   scalar decayFactor = 1 − lr·λ
 *   sqrtBc2 = sqrt(bc2)
 *   scalar epsTerm = eps·sqrtBc2
 *   scalar stepSize = lr·sqrtBc2/bc1
 * per element, VARIANCE_WARMUP loop (the loop's type):
 *   g = grad
 *   v = beta2·exp_avg_sq + oneMinusBeta2·g·g
 *   exp_avg_sq ← v
 * per element, ADAPTIVE loop (the loop's type):
 *   g = grad
 *   p = param
 *   pDecayed = p·decayFactor
 *   m = beta1·exp_avg + oneMinusBeta1·g
 *   v = beta2·exp_avg_sq + oneMinusBeta2·g·g
 *   exp_avg ← m
 *   exp_avg_sq ← v
 *   d = sqrt(v) + epsTerm
 *   u = −stepSize·m/d
 *   param ← pDecayed + u
 * </pre>
 * Spec: {@code firstMoment=EMA,secondMoment=SQUARED_GRADIENT,amsgrad=OFF,rectify=NONE,rectifyThreshold=RHO_ABOVE_5,epsPlacement=OUTSIDE_CORRECTED_SQRT,momentStorage=RAW,decay=DECOUPLED,maximize=false}.
 *
 * <p>State per tensor: {@code exp_avg, exp_avg_sq}. Defaults: lr = 0.001, β1 = 0.9, β2 = 0.999, ε = 1.0E-8, λ = 0.01.
 * <pre>{@code
 * AdamW optimizer = AdamW.builder().lr(0.001).build();
 * optimizer.add(weights, gradients);   // your arrays; state is allocated here
 * // ... fill gradients ...
 * optimizer.step();                     // updates weights in place
 * }</pre>
 */
@Generated(
    value = "io.github.optkernels.processor.OptimizerProcessor",
    comments = "from golden.AdamWSpec"
)
public final class AdamW extends KernelOptimizer {
  /**
   * What this optimizer computes: name, spec, structure, state and hyperparameters.
   */
  public static final SpecInfo SPEC = new SpecInfo("AdamW", "golden.AdamWSpec",
      "firstMoment=EMA,secondMoment=SQUARED_GRADIENT,amsgrad=OFF,rectify=NONE,rectifyThreshold=RHO_ABOVE_5,epsPlacement=OUTSIDE_CORRECTED_SQRT,momentStorage=RAW,decay=DECOUPLED,maximize=false",
      List.of("exp_avg", "exp_avg_sq"),
      Set.of(Hyperparameter.LR, Hyperparameter.BETA1, Hyperparameter.BETA2, Hyperparameter.EPS,
          Hyperparameter.WEIGHT_DECAY, Hyperparameter.VARIANCE_WARMUP_STEPS));

  private AdamW(Hyperparameters hyperparameters) {
    super(SPEC, hyperparameters);
  }

  /**
   * A builder starting from the spec's defaults.
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  protected StepKernel newKernel(Class<?> bufferType) {
    if (bufferType == float[].class) {
      return new AdamWFloatKernel();
    }
    if (bufferType == double[].class) {
      return new AdamWDoubleKernel();
    }
    return null;
  }

  /**
   * Registers a {@code float[]} parameter and its gradient buffer, allocating zeroed state.
   * {@link #step()} reads {@code grad} and updates {@code param} in place.
   *
   * @return this optimizer
   * @throws IllegalArgumentException if the lengths differ or a buffer is already registered
   */
  public AdamW add(float[] param, float[] grad) {
    register(param, grad, new AdamWFloatKernel());
    return this;
  }

  /**
   * Registers a {@code float[]} parameter and its gradient buffer in {@code group}
   * (its hyperparameters and schedule), allocating zeroed state.
   *
   * @return this optimizer
   * @throws IllegalArgumentException if the group belongs to another optimizer, the lengths
   *     differ or a buffer is already registered
   */
  public AdamW add(ParamGroup group, float[] param, float[] grad) {
    register(group, param, grad, new AdamWFloatKernel());
    return this;
  }

  /**
   * Registers a {@code double[]} parameter and its gradient buffer, allocating zeroed state.
   * {@link #step()} reads {@code grad} and updates {@code param} in place.
   *
   * @return this optimizer
   * @throws IllegalArgumentException if the lengths differ or a buffer is already registered
   */
  public AdamW add(double[] param, double[] grad) {
    register(param, grad, new AdamWDoubleKernel());
    return this;
  }

  /**
   * Registers a {@code double[]} parameter and its gradient buffer in {@code group}
   * (its hyperparameters and schedule), allocating zeroed state.
   *
   * @return this optimizer
   * @throws IllegalArgumentException if the group belongs to another optimizer, the lengths
   *     differ or a buffer is already registered
   */
  public AdamW add(ParamGroup group, double[] param, double[] grad) {
    register(group, param, grad, new AdamWDoubleKernel());
    return this;
  }

  /**
   * The live {@code exp_avg} state (raw form) of {@code param}.
   *
   * @throws IllegalArgumentException if {@code param} is not registered
   */
  public float[] expAvg(float[] param) {
    return (float[]) state(param, "exp_avg");
  }

  /**
   * The live {@code exp_avg} state (raw form) of {@code param}.
   *
   * @throws IllegalArgumentException if {@code param} is not registered
   */
  public double[] expAvg(double[] param) {
    return (double[]) state(param, "exp_avg");
  }

  /**
   * The live {@code exp_avg_sq} state (raw form) of {@code param}.
   *
   * @throws IllegalArgumentException if {@code param} is not registered
   */
  public float[] expAvgSq(float[] param) {
    return (float[]) state(param, "exp_avg_sq");
  }

  /**
   * The live {@code exp_avg_sq} state (raw form) of {@code param}.
   *
   * @throws IllegalArgumentException if {@code param} is not registered
   */
  public double[] expAvgSq(double[] param) {
    return (double[]) state(param, "exp_avg_sq");
  }

  /**
   * Builds a {@link AdamW}; starts from the spec's defaults. Each setter rejects an
   * invalid value at once, with {@link IllegalArgumentException}.
   */
  public static final class Builder {
    private Hyperparameters hyperparameters = Hyperparameters.builder()
        .set(Hyperparameter.LR, 0.001)
        .set(Hyperparameter.BETA1, 0.9)
        .set(Hyperparameter.BETA2, 0.999)
        .set(Hyperparameter.EPS, 1.0E-8)
        .set(Hyperparameter.EPS_ROOT, 0.0)
        .set(Hyperparameter.WEIGHT_DECAY, 0.01)
        .set(Hyperparameter.MAX_LR, Double.NaN)
        .set(Hyperparameter.MOMENTUM_DECAY, 0.004)
        .set(Hyperparameter.VARIANCE_WARMUP_STEPS, 0)
        .build();

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
     * Sets the weight-decay coefficient λ (DECOUPLED) (spec default 0.01).
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
    public AdamW build() {
      return new AdamW(hyperparameters);
    }
  }
}
