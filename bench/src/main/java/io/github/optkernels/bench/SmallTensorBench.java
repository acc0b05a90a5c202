package io.github.optkernels.bench;

import io.github.optkernels.examples.variants.AdamW;
import io.github.optkernels.examples.variants.AdamWFloatKernel;
import io.github.optkernels.runtime.GradientScan;
import io.github.optkernels.runtime.NonFiniteGradients;
import io.github.optkernels.runtime.StepOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the runtime costs on a small tensor: one float32 AdamW step of about 4K elements (in L1/L2,
 * so fixed costs show), through {@code AdamW.step()} with the default step options (the tensor is
 * below the serial threshold, so it stays on the calling thread), against the bare generated
 * kernel ({@code prepare} then {@code update}) on the same buffers. {@code runtime} skips the
 * NaN/Inf scan ({@link NonFiniteGradients#UNCHECKED}), as the bare kernel does;
 * {@code runtime_refuse} is the default ({@link NonFiniteGradients#REFUSE}), which scans first:
 * the ratio of the two is what the default's safety costs, and {@code scan} is the scan alone
 * ({@link GradientScan#firstNonFinite(float[], int, int)} over the gradient; which loop runs on
 * which JDK is {@link GradientScan#implementation()}). {@code threads}: the runtime's serial
 * options, or the default scheduler on every core (a 4K step is below its serial threshold, so
 * it stays on the calling thread; the row shows that the choice costs nothing).
 */
@State(Scope.Benchmark)
public class SmallTensorBench extends StepBenchmark {
  @Param({"kernel", "runtime", "runtime_refuse", "scan"})
  public String path;

  @Param({"1", ALL_CORES})
  public String threads;

  @Param({"4099"})
  public int size;

  private float[] p;
  private float[] g;
  private float[] m;
  private float[] v;
  private AdamWFloatKernel kernel;
  private AdamW optimizer;
  private long t;
  /** AdamW carries no values from step to step. */
  private static final double[] NOTHING_CARRIED = new double[0];

  @Setup(Level.Trial)
  public void setUp() {
    p = Data.floats(size, 1);
    g = Data.floats(size, 2);
    if (path.equals("scan")) {
      return;
    }
    if (path.equals("kernel")) {
      kernel = new AdamWFloatKernel();
      m = new float[size];
      v = new float[size];
    } else {
      optimizer = AdamW.builder().hyperparameters(Data.ADAMW).build();
      optimizer.add(p, g);
      int threadCount = threadCount(threads);
      StepOptions options = threadCount == 1 ? StepOptions.serial() : StepOptions.defaults().withThreads(threadCount);
      optimizer.setStepOptions(options.withNonFiniteGradients(
          path.equals("runtime") ? NonFiniteGradients.UNCHECKED : NonFiniteGradients.REFUSE));
    }
  }

  @Benchmark
  public int step() {
    if (optimizer == null && kernel == null) {
      return GradientScan.firstNonFinite(g, 0, size);
    }
    if (kernel != null) {
      kernel.prepare(++t, NOTHING_CARRIED, Data.ADAMW);
      kernel.update(p, g, m, v);
    } else {
      optimizer.step();
    }
    return 0;
  }
}
