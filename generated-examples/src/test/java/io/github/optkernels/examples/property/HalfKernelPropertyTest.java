package io.github.optkernels.examples.property;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import io.github.optkernels.examples.reference.ReferenceOptimizer;
import io.github.optkernels.examples.reference.ReferenceSpec;
import io.github.optkernels.processor.OptimizerProcessor;
import io.github.optkernels.runtime.Bf16;
import io.github.optkernels.runtime.Fp16;
import io.github.optkernels.runtime.HalfArrays;
import io.github.optkernels.runtime.Hyperparameters;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.RoundingNoise;
import io.github.optkernels.runtime.StepKernel;
import io.github.optkernels.runtime.StepPhase;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The differential tier for 16-bit kernels, on a spread of {@value #COMBINATIONS} structural
 * combinations (every option value appears), each compiled with a float kernel and one 16-bit
 * kernel (bf16 or fp16, alternating) in one of the six storage configurations (float32 or 16-bit
 * moments × nearest-even, Kahan-compensated or stochastically rounded parameter):
 *
 * <ol>
 *   <li><b>Exactly, per step.</b> A 16-bit step is "widen, the float kernel's step, round": from
 *       the 16-bit kernel's state, widened, the float kernel's step followed by the storage model
 *       of the conformance README (moments rounded to nearest even, the parameter by the spec's
 *       rounding, Kahan's scheme written out per element) must give the 16-bit kernel's new
 *       state bit for bit. The 16-bit kernel runs each step over random ranges, so block and
 *       vector boundaries fall anywhere. With the float kernels checked against the interpreter
 *       by {@link GeneratedKernelPropertyTest}, this is a check against the interpreter too.</li>
 *   <li><b>Against the interpreter, with a tolerance from the storage model.</b> The optimizer,
 *       driven through its public API (16-bit buffers through the untyped {@code add}: these
 *       specs generate one 16-bit format), against {@link ReferenceOptimizer} in double. With u
 *       the format's unit roundoff (2^-8 bf16, 2^-11 fp16), each step rounds the stored parameter
 *       once, by at most u·|p| (nearest) or 2u·|p| (stochastic); without Kahan compensation those
 *       errors add up over the T steps. The moments' own roundings move each update by a few u of
 *       its size, which is at most lr·max(1, 1/(1 − β1)) (adaptive steps are about lr; the
 *       un-adapted and Nesterov steps weigh m by up to 1/(1 − β1)). The bound after step t is
 *       therefore t·2u·scale + Σlr·4u·max(1, 1/(1 − β1)), scale the trajectory's max(1, |p|).
 *       Observed worst: 0.55 of it. It is loose (about the size of the whole movement in bf16),
 *       so it only catches gross errors; the exact tier does the fine-grained checking.</li>
 * </ol>
 */
class HalfKernelPropertyTest {
  static final int COMBINATIONS = 240;
  private static final String PACKAGE = "halfprop";
  private static final int BATCH = 60;

  /** One storage configuration of a 16-bit kernel. */
  private record Storage(boolean bf16, boolean halfState, String store) {
    String annotation() {
      StringBuilder a = new StringBuilder("    precisions = {Precision.FLOAT, Precision.")
          .append(bf16 ? "BFLOAT16" : "FLOAT16").append("},\n");
      if (halfState) {
        a.append("    statePrecision = StatePrecision.PARAMETER,\n");
      }
      if (store.equals("nearest")) {
        a.append("    kahan = Kahan.OFF,\n");
      } else if (store.equals("stochastic")) {
        a.append("    rounding = ParamRounding.STOCHASTIC,\n");
      }
      return a.toString();
    }

    double unitRoundoff() {
      return bf16 ? 0x1p-8 : 0x1p-11;
    }

    short encode(float x) {
      return bf16 ? Bf16.fromFloat(x) : Fp16.fromFloat(x);
    }

    float decode(short bits) {
      return bf16 ? Bf16.toFloat(bits) : Fp16.toFloat(bits);
    }
  }

  /** Combination {@code k}: its structure (spread over all 4,320) and its storage. */
  private static ReferenceSpec spec(List<ReferenceSpec> all, int k) {
    return all.get((int) ((k * 1801L + 17) % all.size()));
  }

  private static Storage storage(int k) {
    String[] stores = {"kahan", "nearest", "stochastic"};
    return new Storage(k % 2 == 0, (k / 2) % 2 == 0, stores[(k / 4) % 3]);
  }

  private record Outcome(String failure, double exactSteps, double deviation, List<StepPhase> phases) {}

  @Test
  void sixteenBitKernelsAreTheFloatKernelPlusRoundingAndFollowTheInterpreter() throws Exception {
    List<ReferenceSpec> all = SpecCombinations.all();
    List<Outcome> outcomes = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<List<Outcome>>> batches = new ArrayList<>();
      for (int from = 0; from < COMBINATIONS; from += BATCH) {
        int start = from;
        int end = Math.min(COMBINATIONS, from + BATCH);
        batches.add(pool.submit(() -> compileAndRun(all, start, end)));
      }
      for (Future<List<Outcome>> batch : batches) {
        outcomes.addAll(batch.get());
      }
    } finally {
      pool.shutdown();
    }
    List<String> failures = new ArrayList<>();
    double worst = 0;
    long exactSteps = 0;
    Set<StepPhase> phases = EnumSet.noneOf(StepPhase.class);
    for (Outcome outcome : outcomes) {
      if (outcome.failure() != null) {
        failures.add(outcome.failure());
      }
      worst = Math.max(worst, outcome.deviation());
      exactSteps += (long) outcome.exactSteps();
      phases.addAll(outcome.phases());
    }
    System.out.printf("16-bit property test: %d combinations, %d steps equal bit for bit to the float"
        + " kernel plus rounding; worst deviation from the interpreter %.2f of the storage-model bound%n",
        outcomes.size(), exactSteps, worst);
    assertWithMessage("%s of %s combinations failed, e.g.\n%s", failures.size(), outcomes.size(),
        String.join("\n", failures.subList(0, Math.min(10, failures.size()))))
        .that(failures).isEmpty();
    assertThat(outcomes).hasSize(COMBINATIONS);
    assertThat(exactSteps).isEqualTo((long) COMBINATIONS * Trial.STEPS);
    assertThat(phases).containsExactlyElementsIn(EnumSet.allOf(StepPhase.class));
  }

  private static List<Outcome> compileAndRun(List<ReferenceSpec> all, int from, int to) throws Exception {
    List<JavaFileObject> sources = new ArrayList<>();
    for (int k = from; k < to; k++) {
      String source = SpecCombinations.source(PACKAGE, name(k), spec(all, k))
          .replace("@Optimizer(\n", "@Optimizer(\n" + storage(k).annotation());
      sources.add(JavaFileObjects.forSourceString(PACKAGE + "." + name(k) + "Spec", source));
    }
    // In a JVM with the Vector API the kernels get (and use) their fused loops, as in a user's
    // build that compiles with the module; otherwise only their block loops.
    List<String> options = HalfArrays.usesVectorApi()
        ? List.of("--add-modules", "jdk.incubator.vector") : List.of();
    Compilation compilation = Compiler.javac().withProcessors(new OptimizerProcessor()).withOptions(options)
        .compile(sources);
    assertWithMessage("specs %s..%s did not compile: %s", from, to - 1, compilation.diagnostics())
        .that(compilation.status()).isEqualTo(Compilation.Status.SUCCESS);
    CompiledClasses classes = new CompiledClasses(compilation);
    List<Outcome> outcomes = new ArrayList<>();
    for (int k = from; k < to; k++) {
      outcomes.add(run(k, spec(all, k), storage(k), classes));
    }
    return outcomes;
  }

  private static String name(int k) {
    return String.format("H%04d", k);
  }

  private static Outcome run(int k, ReferenceSpec spec, Storage storage, CompiledClasses classes)
      throws Exception {
    Trial trial = Trial.random(spec, 0x16B17L + k);
    float[][] grads = storage.bf16() ? trial.grads() : largeEnoughForFp16(trial.grads());
    String prefix = PACKAGE + "." + name(k);
    Class<?> floatKernel = classes.loadClass(prefix + "FloatKernel");
    Class<?> halfKernel = classes.loadClass(prefix + (storage.bf16() ? "Bf16Kernel" : "Fp16Kernel"));
    boolean fused = HalfArrays.usesVectorApi() && (Boolean) halfKernel.getMethod("usesFusedLoops").invoke(null);
    assertWithMessage("%s runs its fused loops", halfKernel.getSimpleName())
        .that(fused).isEqualTo(HalfArrays.usesVectorApi());
    long seed = RoundingNoise.tensorSeed(k, 0);
    String label = name(k) + " " + spec + " " + storage;
    try {
      int exact = exactSteps(trial, grads, storage,
          (StepKernel) floatKernel.getConstructor().newInstance(),
          storage.store().equals("stochastic")
              ? (StepKernel) halfKernel.getConstructor(long.class).newInstance(seed)
              : (StepKernel) halfKernel.getConstructor().newInstance(),
          seed, new SplittableRandom(k));
      List<StepPhase> phases = new ArrayList<>();
      double deviation = againstTheInterpreter(spec, trial, grads, storage,
          classes.loadClass(prefix), phases);
      String failure = deviation <= 1 ? null
          : String.format("%s: %.2f of the storage-model bound from the interpreter", label, deviation);
      return new Outcome(failure, exact, deviation, phases);
    } catch (AssertionError e) {
      return new Outcome(label + ": " + e.getMessage(), 0, 0, List.of());
    }
  }

  /**
   * fp16 keeps |g|² down to 6e-8 only: smaller squares flush a 16-bit second moment to 0 and the
   * step divides by ε alone (conformance README, section 5). Like the README's cases, fp16 trials
   * use gradients of at least 0.05 in magnitude, or 0.
   */
  private static float[][] largeEnoughForFp16(float[][] grads) {
    float[][] scaled = new float[grads.length][];
    for (int t = 0; t < grads.length; t++) {
      scaled[t] = grads[t].clone();
      for (int i = 0; i < scaled[t].length; i++) {
        float g = scaled[t][i];
        scaled[t][i] = g == 0 ? 0 : Math.copySign(0.05f + Math.abs(g), g);
      }
    }
    return scaled;
  }

  /** Tier 1: every step of the 16-bit kernel equals the float kernel's step plus the storage model. */
  private static int exactSteps(Trial trial, float[][] grads, Storage storage, StepKernel floats,
      StepKernel halves, long seed, SplittableRandom ranges) {
    int n = trial.p0().length;
    short[] param = new short[n];
    for (int i = 0; i < n; i++) {
      param[i] = storage.encode(trial.p0()[i]);
    }
    List<String> names = halves.stateNames();
    Object[] state = new Object[names.size()];
    for (int s = 0; s < state.length; s++) {
      state[s] = Array.newInstance(halves.stateTypes().get(s).getComponentType(), n);
    }
    int moments = floats.stateNames().size();
    assertThat(halves.carriedNames()).isEqualTo(floats.carriedNames());
    double[] carried = halves.carriedInitial();
    int steps = 0;
    for (int t = 0; t < Trial.STEPS; t++) {
      Hyperparameters h = trial.hyperparameters().withLr(trial.lrs()[t]);
      short[] grad = new short[n];
      for (int i = 0; i < n; i++) {
        grad[i] = storage.encode(grads[t][i]);
      }
      // the float kernel's step from the widened state
      float[] p32 = decode(storage, param);
      float[] g32 = decode(storage, grad);
      Object[] state32 = new Object[moments];
      for (int s = 0; s < moments; s++) {
        state32[s] = state[s] instanceof float[] ? ((float[]) state[s]).clone() : decode(storage, (short[]) state[s]);
      }
      floats.prepare(t + 1, carried, h);
      floats.update(p32, g32, state32, 0, n);
      // the storage model, written out
      short[] expectedParam = param.clone();
      short[] expectedComp = names.contains("kahan_comp") ? ((short[]) state[moments]).clone() : null;
      if (floats.phase() == StepPhase.ADAPTIVE || floats.phase() == StepPhase.UNADAPTED) {
        int key = RoundingNoise.stepKey(seed, t + 1);
        for (int i = 0; i < n; i++) {
          if (expectedComp != null) {
            float p = storage.decode(param[i]);
            float c = storage.decode(storage.encode(storage.decode(expectedComp[i]) + (p32[i] - p)));
            short next = storage.encode(p + c);
            expectedParam[i] = next;
            expectedComp[i] = storage.encode(c + storage.decode(storage.encode(p - storage.decode(next))));
          } else if (storage.store().equals("stochastic")) {
            int random = RoundingNoise.bits(key, i);
            expectedParam[i] = storage.bf16() ? Bf16.fromFloatStochastic(p32[i], random)
                : Fp16.fromFloatStochastic(p32[i], random);
          } else {
            expectedParam[i] = storage.encode(p32[i]);
          }
        }
      }
      // the 16-bit kernel's step, over random ranges
      halves.prepare(t + 1, carried, h);
      for (int lo = 0; lo < n; ) {
        int hi = Math.min(n, lo + 1 + ranges.nextInt(Math.max(1, n)));
        halves.update(param, grad, state, lo, hi);
        lo = hi;
      }
      assertThat(halves.phase()).isEqualTo(floats.phase());
      double[] floatsAfter = new double[carried.length];
      floats.carriedAfter(floatsAfter);
      double[] halvesAfter = new double[carried.length];
      halves.carriedAfter(halvesAfter);
      assertThat(halvesAfter).isEqualTo(floatsAfter);
      assertWithMessage("step %s parameter", t + 1).that(param).isEqualTo(expectedParam);
      for (int s = 0; s < moments; s++) {
        Object want = state[s] instanceof float[] ? state32[s] : encode(storage, (float[]) state32[s]);
        assertWithMessage("step %s state %s", t + 1, names.get(s)).that(state[s]).isEqualTo(want);
      }
      if (expectedComp != null) {
        assertWithMessage("step %s kahan_comp", t + 1).that(state[moments]).isEqualTo(expectedComp);
      }
      carried = halvesAfter;
      steps++;
    }
    return steps;
  }

  /** Tier 2: the optimizer against the interpreter; the deviation as a fraction of the bound. */
  private static double againstTheInterpreter(ReferenceSpec spec, Trial trial, float[][] grads,
      Storage storage, Class<?> optimizerClass, List<StepPhase> phases) throws Exception {
    int n = trial.p0().length;
    short[] param = new short[n];
    double[] start = new double[n];
    for (int i = 0; i < n; i++) {
      param[i] = storage.encode(trial.p0()[i]);
      start[i] = storage.decode(param[i]);
    }
    Object builder = optimizerClass.getMethod("builder").invoke(null);
    builder.getClass().getMethod("hyperparameters", Hyperparameters.class).invoke(builder, trial.hyperparameters());
    KernelOptimizer optimizer = (KernelOptimizer) builder.getClass().getMethod("build").invoke(builder);
    short[] grad = new short[n];
    optimizer.add(param, grad);
    ReferenceOptimizer reference = new ReferenceOptimizer(spec, trial.hyperparameters(), start);
    double scale = 1;
    double sumLr = 0;
    double deviation = 0;
    for (int t = 0; t < Trial.STEPS; t++) {
      double lr = trial.lrs()[t];
      double[] g = new double[n];
      for (int i = 0; i < n; i++) {
        grad[i] = storage.encode(grads[t][i]);
        g[i] = storage.decode(grad[i]);
      }
      optimizer.setLr(lr);
      optimizer.step();
      reference.setHyperparameters(trial.hyperparameters().withLr(lr));
      reference.step(g);
      phases.add(reference.lastPhase());
      double[] want = reference.params();
      sumLr += lr;
      double worst = 0;
      for (int i = 0; i < n; i++) {
        scale = Math.max(scale, Math.abs(want[i]));
        double d = Math.abs(storage.decode(param[i]) - want[i]);
        worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(worst, d);
      }
      double u = storage.unitRoundoff();
      double bound = (t + 1) * 2 * u * scale + sumLr * 4 * u * Math.max(1, 1 / (1 - trial.hyperparameters().beta1()));
      deviation = Math.max(deviation, worst / bound);
    }
    return deviation;
  }

  private static float[] decode(Storage storage, short[] bits) {
    float[] values = new float[bits.length];
    for (int i = 0; i < bits.length; i++) {
      values[i] = storage.decode(bits[i]);
    }
    return values;
  }

  private static short[] encode(Storage storage, float[] values) {
    short[] bits = new short[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = storage.encode(values[i]);
    }
    return bits;
  }
}
