package io.github.optkernels.bench;

import io.github.optkernels.examples.variants.AdamW;
import io.github.optkernels.examples.variants.AdamWFloatKernel;
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
 * NaN/Inf scan, as the bare kernel does; {@code runtime_scan} is the default, which scans.
 */
@State(Scope.Benchmark)
public class SmallTensorBench extends StepBenchmark {
  @Param({"kernel", "runtime", "runtime_scan"})
  public String path;

  @Param({"4099"})
  public int size;

  private float[] p;
  private float[] g;
  private float[] m;
  private float[] v;
  private AdamWFloatKernel kernel;
  private AdamW optimizer;
  private long t;

  @Setup(Level.Trial)
  public void setUp() {
    p = Data.floats(size, 1);
    g = Data.floats(size, 2);
    if (path.equals("kernel")) {
      kernel = new AdamWFloatKernel();
      m = new float[size];
      v = new float[size];
    } else {
      optimizer = AdamW.builder().hyperparameters(Data.ADAMW).build();
      optimizer.add(p, g);
      if (path.equals("runtime")) {
        optimizer.setStepOptions(StepOptions.defaults().withNonFiniteGradients(NonFiniteGradients.UNCHECKED));
      }
    }
  }

  @Benchmark
  public void step() {
    if (kernel != null) {
      kernel.prepare(++t, 1.0, Data.ADAMW);
      kernel.update(p, g, m, v);
    } else {
      optimizer.step();
    }
  }
}
