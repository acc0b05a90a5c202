package io.github.optkernels.examples.speed;

import io.github.optkernels.examples.SixteenBitPath;
import io.github.optkernels.examples.handwritten.HandAdamW;
import io.github.optkernels.examples.handwritten.HandAdamWBf16;
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
import io.github.optkernels.examples.variants.half.AdamStochasticBf16Kernel;
import io.github.optkernels.examples.variants.half.AdamWMixedBf16Kernel;
import io.github.optkernels.examples.variants.half.AdamWMixedFp16Kernel;
import io.github.optkernels.examples.variants.half.AdamWMixedKahanBf16Kernel;
import io.github.optkernels.examples.variants.half.AdamWMixedKahanFp16Kernel;
import io.github.optkernels.examples.variants.half.AdamWPureBf16Kernel;
import io.github.optkernels.examples.variants.half.AdamWPureKahanBf16Kernel;
import io.github.optkernels.runtime.Bf16;
import io.github.optkernels.runtime.Fp16;
import io.github.optkernels.runtime.Hyperparameters;
import io.github.optkernels.runtime.StepKernel;
import java.io.PrintStream;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * {@code loop-check [N]}: a quick check that the generated element loops are vectorized, not a
 * benchmark (the JMH module is). Times one adaptive step of every generated kernel on an
 * N-element tensor (default 65,536: cache-resident, so the loop's arithmetic shows rather than
 * memory bandwidth) against {@link HandAdamW}, the loop a user would write. Run it a second
 * time with {@code java -XX:-UseSuperWord -jar ...}: a vectorized loop slows down several times
 * there; one that C2 did not vectorize does not change.
 *
 * <p>16-bit kernels (AdamW in its storage configurations) are compared with the hand-written
 * fp32 loop and with the straightforward bf16 loop ({@link HandAdamWBf16}). Their block conversions run
 * in plain Java unless the JVM has {@code --add-modules jdk.incubator.vector}; the first line says
 * which.
 *
 * <p>Gradients cycle through {@value #GRADIENTS} random buffers: with one fixed gradient, m
 * converges to g, AdaBelief's deviation g − m to 0, and its square into subnormal numbers, whose
 * arithmetic is many times slower — a property of that input, not of the loop. Every loop is
 * timed once per round, rounds interleaved, best of {@value #ROUNDS}: a busy machine slows a
 * round, and interleaving spreads that over all loops instead of a few.
 */
public final class LoopCheckCommand {
  private static final Hyperparameters H =
      new Hyperparameters(1e-3, 0.9, 0.999, 1e-8, 0, 0.01, 1e-3, 0.004, 0);
  private static final long STEP = 100; // past rectification's start: every kernel runs ADAPTIVE
  private static final int GRADIENTS = 8;
  private static final int ROUNDS = 7;

  private LoopCheckCommand() {}

  /** One timed loop: a name, its element type and what one step does with gradient buffer k. */
  private record Loop(String name, String type, IntConsumer step) {}

  public static void run(int n, PrintStream out) {
    List<String> names = new ArrayList<>();
    List<Supplier<StepKernel>> suppliers = new ArrayList<>();
    names.addAll(List.of("adam", "adamw", "amsgrad", "radam", "radamw_fully_decoupled", "nadam",
        "adabelief", "adabelief_amsgrad"));
    suppliers.addAll(List.of(AdamFloatKernel::new, AdamWFloatKernel::new, AMSGradFloatKernel::new,
        RAdamFloatKernel::new, RAdamWFullyDecoupledFloatKernel::new, NAdamFloatKernel::new,
        AdaBeliefFloatKernel::new, AdaBeliefAMSGradFloatKernel::new));
    List<Supplier<StepKernel>> doubles = List.of(AdamDoubleKernel::new, AdamWDoubleKernel::new,
        AMSGradDoubleKernel::new, RAdamDoubleKernel::new, RAdamWFullyDecoupledDoubleKernel::new,
        NAdamDoubleKernel::new, AdaBeliefDoubleKernel::new, AdaBeliefAMSGradDoubleKernel::new);
    List<String> halfNames = List.of("adamw mixed+kahan", "adamw mixed", "adamw pure+kahan",
        "adamw pure", "adam mixed+stochastic", "adamw mixed+kahan", "adamw mixed");
    List<Supplier<StepKernel>> halves = List.of(AdamWMixedKahanBf16Kernel::new,
        AdamWMixedBf16Kernel::new, AdamWPureKahanBf16Kernel::new, AdamWPureBf16Kernel::new,
        () -> new AdamStochasticBf16Kernel(42), AdamWMixedKahanFp16Kernel::new, AdamWMixedFp16Kernel::new);

    SplittableRandom random = new SplittableRandom(42);
    float[] pf = new float[n];
    double[] pd = new double[n];
    short[] pb = new short[n];
    short[] ph = new short[n];
    float[][] gf = new float[GRADIENTS][n];
    double[][] gd = new double[GRADIENTS][n];
    short[][] gb = new short[GRADIENTS][n];
    short[][] gh = new short[GRADIENTS][n];
    for (int i = 0; i < n; i++) {
      pf[i] = (float) random.nextDouble(-1, 1);
      pd[i] = pf[i];
      pb[i] = Bf16.fromFloat(pf[i]);
      ph[i] = Fp16.fromFloat(pf[i]);
      for (int k = 0; k < GRADIENTS; k++) {
        gf[k][i] = (float) random.nextDouble(-1, 1);
        gd[k][i] = gf[k][i];
        gb[k][i] = Bf16.fromFloat(gf[k][i]);
        gh[k][i] = Fp16.fromFloat(gf[k][i]);
      }
    }
    List<Loop> loops = new ArrayList<>();
    float[] mf = new float[n];
    float[] vf = new float[n];
    double[] md = new double[n];
    double[] vd = new double[n];
    short[] pbPlain = pb.clone();
    float[] mb = new float[n];
    float[] vb = new float[n];
    loops.add(new Loop("hand-written adamw", "float",
        k -> HandAdamW.step(pf, gf[k], mf, vf, STEP, H, 0, n)));
    loops.add(new Loop("hand-written adamw", "double",
        k -> HandAdamW.step(pd, gd[k], md, vd, STEP, H, 0, n)));
    loops.add(new Loop("hand-written adamw", "bf16",
        k -> HandAdamWBf16.step(pbPlain, gb[k], mb, vb, STEP, H, 0, n)));
    for (int s = 0; s < names.size(); s++) {
      loops.add(kernelLoop(names.get(s), "float", suppliers.get(s).get(), pf.clone(), gf, n));
    }
    for (int s = 0; s < names.size(); s++) {
      loops.add(kernelLoop(names.get(s), "double", doubles.get(s).get(), pd.clone(), gd, n));
    }
    for (int s = 0; s < halves.size(); s++) {
      boolean bf16 = s < 5;
      loops.add(kernelLoop(halfNames.get(s), bf16 ? "bf16" : "fp16", halves.get(s).get(),
          bf16 ? pb.clone() : ph.clone(), bf16 ? gb : gh, n));
    }

    double[] best = time(n, loops);
    double plainFloat = best[0];
    double plainDouble = best[1];
    double plainBf16 = best[2];
    out.printf("loop-check: %,d elements, one adaptive step%n%s%n", n, SixteenBitPath.current().line());
    out.printf("ratio = time / hand-written fp32 (double: / hand-written double) AdamW loop;%n"
        + "speed-up = hand-written straightforward bf16 loop / time%n");
    out.printf("%-24s %-6s %10s %8s %9s%n", "kernel", "type", "ns/elem", "ratio", "speed-up");
    for (int l = 0; l < loops.size(); l++) {
      Loop loop = loops.get(l);
      boolean isDouble = loop.type().equals("double");
      double ratio = best[l] / (isDouble ? plainDouble : plainFloat);
      boolean sixteenBit = loop.type().equals("bf16") || loop.type().equals("fp16");
      out.printf("%-24s %-6s %10.3f %8.2f %9s%n", loop.name(), loop.type(), best[l], ratio,
          sixteenBit ? String.format("%.2f", plainBf16 / best[l]) : "");
    }
  }

  private static Loop kernelLoop(String name, String type, StepKernel kernel, Object param,
      Object[] grads, int n) {
    Object[] state = new Object[kernel.stateNames().size()];
    for (int s = 0; s < state.length; s++) {
      state[s] = Array.newInstance(kernel.stateTypes().get(s).getComponentType(), n);
    }
    double[] carried = kernel.carriedInitial();
    java.util.Arrays.fill(carried, 0.5); // NAdam's Π, as in the middle of training; others carry nothing
    kernel.prepare(STEP, carried, H);
    return new Loop(name, type, k -> kernel.update(param, grads[k], state, 0, n));
  }

  /**
   * Best ns/element of each loop over {@value #ROUNDS} interleaved rounds, after a warm-up long
   * enough for C2 to compile every loop; a step gets the index of the gradient buffer to use.
   */
  private static double[] time(int n, List<Loop> loops) {
    int reps = Math.max(1, 20_000_000 / n);
    for (Loop loop : loops) {
      for (int i = 0; i < reps * 3; i++) {
        loop.step().accept(i % GRADIENTS);
      }
    }
    double[] best = new double[loops.size()];
    java.util.Arrays.fill(best, Double.MAX_VALUE);
    for (int round = 0; round < ROUNDS; round++) {
      for (int l = 0; l < loops.size(); l++) {
        IntConsumer step = loops.get(l).step();
        long start = System.nanoTime();
        for (int i = 0; i < reps; i++) {
          step.accept(i % GRADIENTS);
        }
        best[l] = Math.min(best[l], (System.nanoTime() - start) / (double) reps / n);
      }
    }
    return best;
  }
}
