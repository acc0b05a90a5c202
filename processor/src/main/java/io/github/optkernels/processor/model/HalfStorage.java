package io.github.optkernels.processor.model;

import io.github.optkernels.annotations.Kahan;
import io.github.optkernels.annotations.ParamRounding;
import io.github.optkernels.annotations.StatePrecision;

/**
 * How the 16-bit (bf16, fp16) kernels of a spec store what they compute in float32; float and
 * double kernels ignore it.
 *
 * @param statePrecision float32 moments, or moments in the parameter's 16-bit type
 * @param kahan whether the parameter store is Kahan-compensated ({@link Kahan#AUTO} resolved:
 *     on unless the spec rounds stochastically, since both correct the same rounding error)
 * @param rounding nearest-even or stochastic rounding of the stored parameter
 */
public record HalfStorage(StatePrecision statePrecision, boolean kahan, ParamRounding rounding) {

  /** Resolves the spec's {@code kahan} choice. */
  public static HalfStorage of(StatePrecision statePrecision, Kahan kahan, ParamRounding rounding) {
    boolean on = kahan == Kahan.ON || (kahan == Kahan.AUTO && rounding == ParamRounding.NEAREST_EVEN);
    return new HalfStorage(statePrecision, on, rounding);
  }

  public boolean stochastic() {
    return rounding == ParamRounding.STOCHASTIC;
  }

  public boolean halfState() {
    return statePrecision == StatePrecision.PARAMETER;
  }

  /** Canonical {@code member=VALUE,...} form, appended to the structure's for specs with 16-bit kernels. */
  public String canonical() {
    return "statePrecision=" + statePrecision + ",kahan=" + (kahan ? "ON" : "OFF") + ",rounding=" + rounding;
  }
}
