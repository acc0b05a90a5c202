package io.github.optkernels.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A generated optimizer in miniature: {@code float[]} tensors get an {@link EmaKernel},
 * {@code double[]} tensors a {@link CountingKernel}; {@link #withBits16()} makes one whose
 * {@code float[]} tensors keep 16-bit state instead.
 */
final class TestOptimizer extends KernelOptimizer {
  // Its kernels keep a momentum product as NAdam does, so the spec reads ψ (momentumDecay): a
  // checkpoint of a spec without one may only hold Π = 1.
  static final SpecInfo SPEC = new SpecInfo("TestEma", "test.TestEmaSpec", "rule=EMA",
      List.of("m", "steps"), Set.of(Hyperparameter.LR, Hyperparameter.BETA1, Hyperparameter.BETA2,
          Hyperparameter.EPS, Hyperparameter.WEIGHT_DECAY, Hyperparameter.MOMENTUM_DECAY,
          Hyperparameter.VARIANCE_WARMUP_STEPS));
  static final SpecInfo OTHER_SPEC = new SpecInfo("TestEma", "test.TestEmaSpec", "rule=OTHER",
      List.of("m", "steps"), Set.of(Hyperparameter.LR, Hyperparameter.BETA1, Hyperparameter.BETA2,
          Hyperparameter.EPS, Hyperparameter.WEIGHT_DECAY, Hyperparameter.MOMENTUM_DECAY,
          Hyperparameter.VARIANCE_WARMUP_STEPS));
  static final Hyperparameters H = new Hyperparameters(0.1, 0.9, 0.999, 1e-8, 0, 0, Double.NaN, 0.004, 0);

  private final boolean bits16;
  /** Every kernel this optimizer made, to count prepares. */
  final List<StepKernel> kernels = new ArrayList<>();

  TestOptimizer() {
    this(SPEC, H, false);
  }

  TestOptimizer(SpecInfo spec, Hyperparameters h, boolean bits16) {
    super(spec, h);
    this.bits16 = bits16;
  }

  static TestOptimizer withBits16() {
    return new TestOptimizer(SPEC, H, true);
  }

  @Override
  protected StepKernel newKernel(Class<?> bufferType) {
    StepKernel kernel = bufferType == float[].class ? (bits16 ? new Bits16Kernel() : new EmaKernel())
        : bufferType == double[].class ? new CountingKernel() : null;
    if (kernel != null) {
      kernels.add(kernel);
    }
    return kernel;
  }

  int prepares() {
    int n = 0;
    for (StepKernel kernel : kernels) {
      if (kernel instanceof EmaKernel) {
        n += ((EmaKernel) kernel).prepares;
      }
    }
    return n;
  }

  /** Deterministic float data: values in [-1, 1) from a seed. */
  static float[] floats(int n, long seed) {
    float[] values = new float[n];
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      values[i] = (float) (2 * random.nextDouble() - 1);
    }
    return values;
  }

  static double[] doubles(int n, long seed) {
    double[] values = new double[n];
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      values[i] = 2 * random.nextDouble() - 1;
    }
    return values;
  }

  static boolean sameArray(Object a, Object b) {
    if (a instanceof float[]) {
      return Arrays.equals((float[]) a, (float[]) b);
    }
    if (a instanceof double[]) {
      return Arrays.equals((double[]) a, (double[]) b);
    }
    return Arrays.equals((short[]) a, (short[]) b);
  }
}
