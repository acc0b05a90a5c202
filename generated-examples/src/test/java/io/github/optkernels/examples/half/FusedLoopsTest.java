package io.github.optkernels.examples.half;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import io.github.optkernels.runtime.Bf16;
import io.github.optkernels.runtime.Fp16;
import io.github.optkernels.runtime.HalfArrays;
import io.github.optkernels.runtime.Hyperparameters;
import io.github.optkernels.runtime.StepKernel;
import io.github.optkernels.runtime.StepPhase;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused Vector API loops against the block loops, on every 16-bit kernel of
 * {@code variants/half}: one update over a whole tensor (whole vectors through the fused loop when
 * this JVM has {@code jdk.incubator.vector}, the tail through the block loop) must give the same
 * bits as one update per element (always the block loop: a range shorter than a vector). The
 * tensors hold the values the fused loops hand to the block code (NaN, ±Inf, fp16 overflow and
 * subnormals, bf16 near its largest value) among ordinary ones, so both the fused arithmetic and
 * its fall-backs are compared. In a JVM without the module both sides run the block loop, and
 * the test checks that the kernels say so.
 */
class FusedLoopsTest {
  private static final String PACKAGE = "io.github.optkernels.examples.variants.half.";
  private static final int N = 8 * 16 + 5;
  private static final int STEPS = 12;

  static List<String> kernels() {
    List<String> names = new ArrayList<>();
    String[] families = {"Adam", "AdamW", "AMSGrad", "AdaBelief", "AdaBeliefAdam", "AdaBeliefAMSGrad", "NAdam",
        "RAdam", "RAdamNoSgd", "RAdamWFullyDecoupled"};
    for (String family : families) {
      for (String storage : new String[] {"MixedKahan", "Mixed", "PureKahan", "Pure"}) {
        names.add(family + storage + "Bf16Kernel");
        names.add(family + storage + "Fp16Kernel");
      }
    }
    names.add("AdamStochasticBf16Kernel");
    names.add("AdamStochasticFp16Kernel");
    return names;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kernels")
  void aWholeTensorUpdateEqualsOneUpdatePerElement(String kernelName) throws Exception {
    Class<?> type = Class.forName(PACKAGE + kernelName);
    boolean fused = (Boolean) type.getMethod("usesFusedLoops").invoke(null);
    assertWithMessage("fused loops in use").that(fused).isEqualTo(HalfArrays.usesVectorApi());
    StepKernel kernel = kernelName.startsWith("AdamStochastic")
        ? (StepKernel) type.getConstructor(long.class).newInstance(0x5EEDL)
        : (StepKernel) type.getConstructor().newInstance();
    boolean bf16 = kernelName.endsWith("Bf16Kernel");
    SplittableRandom random = new SplittableRandom(kernelName.hashCode());

    short[] param = values(random, bf16, 1f);
    Object[] state = new Object[kernel.stateNames().size()];
    for (int s = 0; s < state.length; s++) {
      state[s] = kernel.stateTypes().get(s) == float[].class ? new float[N] : new short[N];
    }
    short[] paramEach = param.clone();
    Object[] stateEach = copy(state);
    // K = 2 steps of Adam-2k warm-up, then RAdam's un-adapted steps: every phase gets run
    Hyperparameters h = new Hyperparameters(1e-2, 0.9, 0.99, 1e-8, 1e-12, 0.05, Double.NaN, 0.004, 2);
    double[] carried = kernel.carriedInitial();
    Set<StepPhase> phases = EnumSet.noneOf(StepPhase.class);
    for (int t = 1; t <= STEPS; t++) {
      short[] grad = values(random, bf16, 0.1f);
      kernel.prepare(t, carried, h);
      phases.add(kernel.phase());
      kernel.carriedAfter(carried); // prepare has read it
      kernel.update(param, grad, state, 0, N);
      for (int i = 0; i < N; i++) {
        kernel.update(paramEach, grad, stateEach, i, i + 1);
      }
      assertSameBits(kernelName + " step " + t + " param", bf16, param, paramEach);
      for (int s = 0; s < state.length; s++) {
        String what = kernelName + " step " + t + " " + kernel.stateNames().get(s);
        if (state[s] instanceof float[] floats) {
          assertSameBits(what, floats, (float[]) stateEach[s]);
        } else {
          assertSameBits(what, bf16, (short[]) state[s], (short[]) stateEach[s]);
        }
      }
    }
    assertThat(phases).contains(StepPhase.VARIANCE_WARMUP);
  }

  /** Mostly ordinary values of about {@code scale}, and one in six an awkward one. */
  private static short[] values(SplittableRandom random, boolean bf16, float scale) {
    float[] awkward = bf16
        ? new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 3.3e38f, -3.38e38f,
            1e-39f, -2e-40f}
        : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 65504f, -60000f,
            3e-5f, -6e-8f, 1e-6f};
    short[] bits = new short[N];
    for (int i = 0; i < N; i++) {
      float x = random.nextInt(6) == 0 ? awkward[random.nextInt(awkward.length)]
          : (float) (random.nextDouble(-1, 1) * scale);
      bits[i] = bf16 ? Bf16.fromFloat(x) : Fp16.fromFloat(x);
    }
    return bits;
  }

  private static Object[] copy(Object[] state) {
    Object[] copy = new Object[state.length];
    for (int s = 0; s < state.length; s++) {
      copy[s] = state[s] instanceof float[] f ? f.clone() : ((short[]) state[s]).clone();
    }
    return copy;
  }

  /** Equal bits, except that any two NaNs are equal (Java does not pin NaN payloads). */
  private static void assertSameBits(String what, boolean bf16, short[] whole, short[] each) {
    for (int i = 0; i < N; i++) {
      float a = bf16 ? Bf16.toFloat(whole[i]) : Fp16.toFloat(whole[i]);
      float b = bf16 ? Bf16.toFloat(each[i]) : Fp16.toFloat(each[i]);
      if (!(Float.isNaN(a) && Float.isNaN(b))) {
        assertWithMessage("%s[%s]: %s vs %s", what, i, a, b).that(whole[i]).isEqualTo(each[i]);
      }
    }
  }

  private static void assertSameBits(String what, float[] whole, float[] each) {
    for (int i = 0; i < N; i++) {
      assertWithMessage("%s[%s]", what, i)
          .that(Float.floatToIntBits(whole[i])).isEqualTo(Float.floatToIntBits(each[i]));
    }
  }
}
