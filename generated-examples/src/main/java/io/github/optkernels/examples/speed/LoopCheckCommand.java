package io.github.optkernels.examples.speed;

import io.github.optkernels.examples.variants.AMSGradDoubleKernel;
import io.github.optkernels.examples.variants.AMSGradFloatKernel;
import io.github.optkernels.examples.variants.AdaBeliefAMSGradDoubleKernel;
import io.github.optkernels.examples.variants.AdaBeliefAMSGradFloatKernel;
import io.github.optkernels.examples.variants.AdaBeliefDoubleKernel;
import io.github.optkernels.examples.variants.AdaBeliefFloatKernel;
import io.github.optkernels.examples.variants.AdamDoubleKernel;
import io.github.optkernels.examples.variants.AdamFloatKernel;
import io.github.optkernels.examples.variants.AdamWDoubleKernel;
import io.github.optkernels.examples.variants.AdamWFloatKernel;
import io.github.optkernels.examples.variants.NAdamDoubleKernel;
import io.github.optkernels.examples.variants.NAdamFloatKernel;
import io.github.optkernels.examples.variants.RAdamDoubleKernel;
import io.github.optkernels.examples.variants.RAdamFloatKernel;
import io.github.optkernels.examples.variants.RAdamWFullyDecoupledDoubleKernel;
import io.github.optkernels.examples.variants.RAdamWFullyDecoupledFloatKernel;
import io.github.optkernels.runtime.Hyperparameters;
import io.github.optkernels.runtime.StepKernel;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * {@code loop-check [N]}: a quick check that the generated element loops are vectorized, not a
 * benchmark (the JMH module is). Times one adaptive step of every generated kernel on an
 * N-element tensor (default 65,536: cache-resident, so the loop's arithmetic shows rather than
 * memory bandwidth) against {@link PlainAdamW}, the loop a user would write. Run it a second
 * time with {@code java -XX:-UseSuperWord -jar ...}: a vectorized loop slows down several times
 * there; one that C2 did not vectorize does not change.
 *
 * <p>Gradients cycle through {@value #GRADIENTS} random buffers: with one fixed gradient, m
 * converges to g, AdaBelief's deviation g − m to 0, and its square into subnormal numbers, whose
 * arithmetic is many times slower — a property of that input, not of the loop.
 */
public final class LoopCheckCommand {
  private static final Hyperparameters H =
      new Hyperparameters(1e-3, 0.9, 0.999, 1e-8, 0, 0.01, 1e-3, 0.004, 0);
  private static final long STEP = 100; // past rectification's start: every kernel runs ADAPTIVE
  private static final int GRADIENTS = 8;

  private LoopCheckCommand() {}

  public static void run(int n, PrintStream out) {
    Map<String, Supplier<StepKernel>> kernels = new LinkedHashMap<>();
    kernels.put("adam", AdamFloatKernel::new);
    kernels.put("adamw", AdamWFloatKernel::new);
    kernels.put("amsgrad", AMSGradFloatKernel::new);
    kernels.put("radam", RAdamFloatKernel::new);
    kernels.put("radamw_fully_decoupled", RAdamWFullyDecoupledFloatKernel::new);
    kernels.put("nadam", NAdamFloatKernel::new);
    kernels.put("adabelief", AdaBeliefFloatKernel::new);
    kernels.put("adabelief_amsgrad", AdaBeliefAMSGradFloatKernel::new);
    kernels.put("adam ", AdamDoubleKernel::new);
    kernels.put("adamw ", AdamWDoubleKernel::new);
    kernels.put("amsgrad ", AMSGradDoubleKernel::new);
    kernels.put("radam ", RAdamDoubleKernel::new);
    kernels.put("radamw_fully_decoupled ", RAdamWFullyDecoupledDoubleKernel::new);
    kernels.put("nadam ", NAdamDoubleKernel::new);
    kernels.put("adabelief ", AdaBeliefDoubleKernel::new);
    kernels.put("adabelief_amsgrad ", AdaBeliefAMSGradDoubleKernel::new);

    SplittableRandom random = new SplittableRandom(42);
    float[] pf = new float[n];
    double[] pd = new double[n];
    float[][] gf = new float[GRADIENTS][n];
    double[][] gd = new double[GRADIENTS][n];
    for (int i = 0; i < n; i++) {
      pf[i] = (float) random.nextDouble(-1, 1);
      pd[i] = pf[i];
      for (int k = 0; k < GRADIENTS; k++) {
        gf[k][i] = (float) random.nextDouble(-1, 1);
        gd[k][i] = gf[k][i];
      }
    }
    float[] mf = new float[n];
    float[] vf = new float[n];
    double[] md = new double[n];
    double[] vd = new double[n];
    double plainFloat = time(n, k -> PlainAdamW.step(pf, gf[k], mf, vf, STEP, 1e-3, 0.9, 0.999, 1e-8, 0.01));
    double plainDouble = time(n, k -> PlainAdamW.step(pd, gd[k], md, vd, STEP, 1e-3, 0.9, 0.999, 1e-8, 0.01));
    out.printf("loop-check: %,d elements, one adaptive step; ratio = time / hand-written AdamW loop%n", n);
    out.printf("%-24s %-6s %10s %8s%n", "kernel", "type", "ns/elem", "ratio");
    out.printf("%-24s %-6s %10.3f %8.2f%n", "hand-written adamw", "float", plainFloat, 1.0);
    out.printf("%-24s %-6s %10.3f %8.2f%n", "hand-written adamw", "double", plainDouble, 1.0);
    for (Map.Entry<String, Supplier<StepKernel>> entry : kernels.entrySet()) {
      StepKernel kernel = entry.getValue().get();
      boolean isFloat = kernel.bufferType() == float[].class;
      Object param = isFloat ? pf.clone() : pd.clone();
      Object[] grads = isFloat ? gf : gd;
      Object[] state = new Object[kernel.stateNames().size()];
      for (int s = 0; s < state.length; s++) {
        state[s] = isFloat ? (Object) new float[n] : new double[n];
      }
      kernel.prepare(STEP, 0.5, H);
      double ns = time(n, k -> kernel.update(param, grads[k], state, 0, n));
      out.printf("%-24s %-6s %10.3f %8.2f%n", entry.getKey().trim(), isFloat ? "float" : "double", ns,
          ns / (isFloat ? plainFloat : plainDouble));
    }
  }

  /**
   * Best of several timed rounds after a warm-up long enough for C2 to compile the loop;
   * {@code step} gets the index of the gradient buffer to use.
   */
  private static double time(int n, IntConsumer step) {
    int reps = Math.max(1, 20_000_000 / n);
    for (int i = 0; i < reps * 3; i++) {
      step.accept(i % GRADIENTS);
    }
    double best = Double.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      long start = System.nanoTime();
      for (int i = 0; i < reps; i++) {
        step.accept(i % GRADIENTS);
      }
      best = Math.min(best, (System.nanoTime() - start) / (double) reps / n);
    }
    return best;
  }
}
