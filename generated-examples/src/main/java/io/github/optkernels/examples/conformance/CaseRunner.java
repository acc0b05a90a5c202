package io.github.optkernels.examples.conformance;

import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.LrSchedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs one case on its generated optimizer through the public API: build from the case's
 * hyperparameters, {@code add} the parameter and gradient buffers, give a case with a per-step
 * learning rate an explicit {@link LrSchedule}, then per step fill the gradient and
 * {@code step()}. {@link RunOptions} choose threads and chunks, and may interrupt the run with a
 * checkpoint: save, a fresh optimizer, load, continue.
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
    Buffers buffers = Buffers.of(c);
    buffers.setParams(c.p0());
    KernelOptimizer optimizer = start(c, buffers, options);
    if (c.lrPerStep() != null) {
      optimizer.setSchedule(LrSchedule.explicit(c.lrPerStep()));
    }
    double[][] params = new double[c.steps()][];
    for (int t = 1; t <= c.steps(); t++) {
      buffers.setGrad(c.grad(t));
      optimizer.step();
      params[t - 1] = buffers.paramsAsDoubles();
      if (t == Math.min(options.checkpointAt(), c.steps())) {
        optimizer = resume(c, buffers, options, optimizer);
      }
    }
    Map<String, double[]> state = new LinkedHashMap<>();
    for (String name : optimizer.spec().stateNames()) {
      state.put(name, Buffers.asDoubles(optimizer.state(buffers.param, name)));
    }
    return new CaseResult(params, state);
  }

  /** A new optimizer for the case with its buffers registered (state zero, no schedule). */
  private static KernelOptimizer start(ConformanceCase c, Buffers buffers, RunOptions options)
      throws CannotRun {
    KernelOptimizer optimizer = VariantRegistry.create(c.variant(), VariantRegistry.hyperparameters(c))
        .orElseThrow(() -> new CannotRun("no generated optimizer for variant " + c.variant()));
    optimizer.add(buffers.param, buffers.grad);
    if (options.stepOptions() != null) {
      optimizer.setStepOptions(options.stepOptions());
    }
    return optimizer;
  }

  /**
   * Saves {@code optimizer}, builds a fresh one on the same buffers and loads the checkpoint into
   * it: its schedule, position, clocks and state come from the file alone.
   */
  private static KernelOptimizer resume(ConformanceCase c, Buffers buffers, RunOptions options,
      KernelOptimizer optimizer) throws CannotRun {
    Path file = null;
    try {
      file = Files.createTempFile("optkernels-" + c.name() + "-", ".ckpt");
      optimizer.save(file);
      KernelOptimizer fresh = start(c, buffers, options);
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

  /** The case's parameter and gradient arrays in its storage type. */
  private static final class Buffers {
    final Object param;
    final Object grad;

    private Buffers(Object param, Object grad) {
      this.param = param;
      this.grad = grad;
    }

    static Buffers of(ConformanceCase c) throws CannotRun {
      if (c.stateDtype() != c.dtype()) {
        throw new CannotRun("state dtype " + c.stateDtype().jsonName() + " with "
            + c.dtype().jsonName() + " parameters is not generated yet");
      }
      switch (c.dtype()) {
        case FLOAT64:
          return new Buffers(new double[c.n()], new double[c.n()]);
        case FLOAT32:
          return new Buffers(new float[c.n()], new float[c.n()]);
        default:
          throw new CannotRun("dtype " + c.dtype().jsonName() + " is not generated yet");
      }
    }

    /** Case inputs are exactly representable in the case's dtype, so these conversions are exact. */
    void setParams(double[] values) {
      fill(param, values);
    }

    void setGrad(double[] values) {
      fill(grad, values);
    }

    private static void fill(Object target, double[] values) {
      if (target instanceof double[]) {
        System.arraycopy(values, 0, (double[]) target, 0, values.length);
      } else {
        float[] floats = (float[]) target;
        for (int i = 0; i < values.length; i++) {
          floats[i] = (float) values[i];
        }
      }
    }

    double[] paramsAsDoubles() {
      return asDoubles(param);
    }

    static double[] asDoubles(Object array) {
      if (array instanceof double[]) {
        return ((double[]) array).clone();
      }
      float[] floats = (float[]) array;
      double[] doubles = new double[floats.length];
      for (int i = 0; i < floats.length; i++) {
        doubles[i] = floats[i];
      }
      return doubles;
    }
  }
}
