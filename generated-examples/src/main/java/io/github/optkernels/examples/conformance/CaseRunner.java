package io.github.optkernels.examples.conformance;

import io.github.optkernels.examples.conformance.ConformanceCase.Dtype;
import io.github.optkernels.runtime.Bf16;
import io.github.optkernels.runtime.Fp16;
import io.github.optkernels.runtime.KernelOptimizer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one case on its generated optimizer through the public API: build from the case's
 * hyperparameters, {@code add} the parameter and gradient buffers (bf16 and fp16 as short[] bits,
 * with {@code addBf16}/{@code addFp16}), then per step set the step's learning rate, fill the
 * gradient and {@code step()}.
 */
public final class CaseRunner {

  /** Why a case could not run; reported as a named failure, never skipped. */
  public static final class CannotRun extends Exception {
    private static final long serialVersionUID = 1L;

    CannotRun(String reason) {
      super(reason);
    }
  }

  private CaseRunner() {}

  /** Runs {@code c} and returns every step's parameters and the final state, as doubles. */
  public static CaseResult run(ConformanceCase c) throws CannotRun {
    Object param = newArray(c.dtype(), c.n());
    Object grad = newArray(c.dtype(), c.n());
    fill(param, c.dtype(), c.p0());
    KernelOptimizer optimizer = VariantRegistry.create(c, VariantRegistry.hyperparameters(c), param, grad)
        .orElseThrow(() -> new CannotRun("no generated optimizer for variant " + c.variant() + " with "
            + c.dtype().jsonName() + " parameters, " + c.stateDtype().jsonName() + " state"
            + (c.kahan() ? " and Kahan summation" : "")));
    double[][] params = new double[c.steps()][];
    for (int t = 1; t <= c.steps(); t++) {
      optimizer.setLr(c.lr(t));
      fill(grad, c.dtype(), c.grad(t));
      optimizer.step();
      params[t - 1] = asDoubles(param, c.dtype());
    }
    Map<String, double[]> state = new LinkedHashMap<>();
    for (String name : optimizer.spec().stateNames()) {
      state.put(name, asDoubles(optimizer.state(param, name), c.stateDtype()));
    }
    return new CaseResult(params, state);
  }

  private static Object newArray(Dtype dtype, int n) {
    switch (dtype) {
      case FLOAT64:
        return new double[n];
      case FLOAT32:
        return new float[n];
      default:
        return new short[n];
    }
  }

  /** Case inputs are exactly representable in the case's dtype, so these conversions are exact. */
  private static void fill(Object target, Dtype dtype, double[] values) {
    for (int i = 0; i < values.length; i++) {
      switch (dtype) {
        case FLOAT64:
          ((double[]) target)[i] = values[i];
          break;
        case FLOAT32:
          ((float[]) target)[i] = (float) values[i];
          break;
        case BFLOAT16:
          ((short[]) target)[i] = Bf16.fromFloat((float) values[i]);
          break;
        default:
          ((short[]) target)[i] = Fp16.fromFloat((float) values[i]);
          break;
      }
    }
  }

  /** The exact values of an array of {@code dtype} (short[] holds bf16 or fp16 bits). */
  private static double[] asDoubles(Object array, Dtype dtype) {
    if (array instanceof double[]) {
      return ((double[]) array).clone();
    }
    if (array instanceof float[]) {
      float[] floats = (float[]) array;
      double[] doubles = new double[floats.length];
      for (int i = 0; i < floats.length; i++) {
        doubles[i] = floats[i];
      }
      return doubles;
    }
    short[] bits = (short[]) array;
    double[] doubles = new double[bits.length];
    for (int i = 0; i < bits.length; i++) {
      doubles[i] = dtype == Dtype.BFLOAT16 ? Bf16.toFloat(bits[i]) : Fp16.toFloat(bits[i]);
    }
    return doubles;
  }
}
