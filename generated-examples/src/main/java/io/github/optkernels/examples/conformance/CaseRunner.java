package io.github.optkernels.examples.conformance;

import io.github.optkernels.examples.conformance.ConformanceCase.Dtype;
import io.github.optkernels.runtime.Bf16;
import io.github.optkernels.runtime.Fp16;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.LrSchedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one case on its generated optimizer through the public API: build from the case's
 * hyperparameters, {@code add} the parameter and gradient buffers (bf16 and fp16 as short[] bits,
 * with {@code addBf16}/{@code addFp16}), give a case with a per-step learning rate an explicit
 * {@link LrSchedule}, then per step fill the gradient and {@code step()}. {@link RunOptions}
 * choose threads and chunks, and may interrupt the run with a checkpoint: save, a fresh
 * optimizer, load, continue.
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
    return run(c, RunOptions.DEFAULT);
  }

  /** Runs {@code c} as {@code options} say; the result must not depend on them. */
  public static CaseResult run(ConformanceCase c, RunOptions options) throws CannotRun {
    Object param = newArray(c.dtype(), c.n());
    Object grad = newArray(c.dtype(), c.n());
    fill(param, c.dtype(), c.p0());
    KernelOptimizer optimizer = start(c, param, grad, options);
    if (c.lrPerStep() != null) {
      optimizer.setSchedule(LrSchedule.explicit(c.lrPerStep()));
    }
    double[][] params = new double[c.steps()][];
    for (int t = 1; t <= c.steps(); t++) {
      fill(grad, c.dtype(), c.grad(t));
      optimizer.step();
      params[t - 1] = asDoubles(param, c.dtype());
      if (t == Math.min(options.checkpointAt(), c.steps())) {
        optimizer = resume(c, param, grad, options, optimizer);
      }
    }
    Map<String, double[]> state = new LinkedHashMap<>();
    for (String name : optimizer.spec().stateNames()) {
      state.put(name, asDoubles(optimizer.state(param, name), c.stateDtype()));
    }
    return new CaseResult(params, state);
  }

  /** A new optimizer for the case with its buffers registered (state zero, no schedule). */
  private static KernelOptimizer start(ConformanceCase c, Object param, Object grad, RunOptions options)
      throws CannotRun {
    if (!VariantRegistry.knows(c.variant())) {
      throw new CannotRun("no generated optimizer for variant " + c.variant());
    }
    KernelOptimizer optimizer = VariantRegistry.create(c, VariantRegistry.hyperparameters(c), param, grad)
        .orElseThrow(() -> new CannotRun("no generated optimizer for variant " + c.variant() + " with "
            + c.dtype().jsonName() + " parameters, " + c.stateDtype().jsonName() + " state"
            + (c.kahan() ? " and Kahan summation" : "")));
    if (options.stepOptions() != null) {
      optimizer.setStepOptions(options.stepOptions());
    }
    return optimizer;
  }

  /**
   * Saves {@code optimizer}, builds a fresh one on the same buffers and loads the checkpoint into
   * it: its schedule, position, clocks and state come from the file alone.
   */
  private static KernelOptimizer resume(ConformanceCase c, Object param, Object grad,
      RunOptions options, KernelOptimizer optimizer) throws CannotRun {
    Path file = null;
    try {
      file = Files.createTempFile("optkernels-" + c.name() + "-", ".ckpt");
      optimizer.save(file);
      KernelOptimizer fresh = start(c, param, grad, options);
      fresh.load(file);
      return fresh;
    } catch (IOException e) {
      throw new CannotRun("checkpoint after step " + options.checkpointAt() + ": " + e.getMessage());
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException e) {
          // a leftover temporary file does not change the result
        }
      }
    }
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
