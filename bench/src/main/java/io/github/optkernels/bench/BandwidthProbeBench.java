package io.github.optkernels.bench;

import io.github.optkernels.runtime.GradientScan;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The floor: a loop with the memory traffic of an optimizer step and next to no arithmetic. Per
 * element it reads the parameter, gradient and both moments and writes parameter and moments back
 * in place (fp32: 16 bytes read, 12 written; fp64: twice that), plus the Kahan buffer for
 * {@code bf16_kahan} (bf16 parameter and gradient, float32 moments: 14 read, 12 written); plain
 * {@code bf16} has no Kahan buffer (12 read, 10 written). Every array is written where it was
 * read, so there is no write-allocate traffic, exactly as in a step (STREAM's triad counts neither
 * and understates this). Its time at a size far past the caches is the fastest a step of that
 * layout can be on this machine; {@link Table} states every step against it.
 *
 * <p>The arithmetic ({@code x·0.5 + g}) keeps values bounded and normal, is vectorized by C2 on
 * every array type, and is cheaper per byte than any step.
 *
 * <p>{@code fp32_scanned} is the fp32 probe after the runtime's NaN/Inf scan has read every
 * gradient once ({@code GradientScan}, the pass the default {@code NonFiniteGradients.REFUSE}
 * adds to a step): its time over the fp32 probe's is the least that pass can cost a step that
 * runs at this machine's memory speed, measured rather than assumed from byte counts (32/28 if
 * reads and writes cost the same, 20/16 if the reads alone set the pace).
 */
@State(Scope.Benchmark)
public class BandwidthProbeBench extends StepBenchmark {
  @Param({"fp32", "fp32_scanned", "fp64", "bf16", "bf16_kahan"})
  public String layout;

  @Param({"1003", "65537", "1048583", "16777259", "67108879", "124439808"})
  public int size;

  @Param({"1", ALL_CORES})
  public String threads;

  private Split split;
  private Split.Range body;
  /** The NaN/Inf scan over every gradient, before {@link #body}; null but for {@code fp32_scanned}. */
  private Split.Range scan;

  @Setup(Level.Trial)
  public void setUp() {
    split = new Split(threadCount(threads));
    switch (layout) {
      case "fp32":
      case "fp32_scanned": {
        float[] p = Data.floats(size, 1);
        float[] g = Data.floats(size, 2);
        float[] m = new float[size];
        float[] v = new float[size];
        if (layout.equals("fp32_scanned")) {
          scan = (from, to) -> {
            int bad = GradientScan.firstNonFinite(g, from, to);
            if (bad >= 0) {
              throw new IllegalStateException("gradient " + bad + " is not finite");
            }
          };
        }
        body = fp32(p, g, m, v);
        break;
      }
      case "fp64": {
        double[] p = Data.doubles(size, 1);
        double[] g = Data.doubles(size, 2);
        double[] m = new double[size];
        double[] v = new double[size];
        body = (from, to) -> {
          for (int i = from; i < to; i++) {
            double gi = g[i];
            p[i] = p[i] * 0.5 + gi;
            m[i] = m[i] * 0.5 + gi;
            v[i] = v[i] * 0.5 + gi;
          }
        };
        break;
      }
      case "bf16":
      case "bf16_kahan": {
        short[] p = Data.bf16(size, 1);
        short[] g = Data.bf16(size, 2);
        float[] m = Data.floats(size, 3);
        float[] v = Data.floats(size, 4);
        if (layout.equals("bf16")) {
          body = (from, to) -> {
            for (int i = from; i < to; i++) {
              p[i] = (short) (p[i] ^ g[i]);
              m[i] = m[i] * 0.5f + 1f;
              v[i] = v[i] * 0.5f + 1f;
            }
          };
        } else {
          short[] c = new short[size];
          body = (from, to) -> {
            for (int i = from; i < to; i++) {
              short gi = g[i];
              p[i] = (short) (p[i] ^ gi);
              c[i] = (short) (c[i] ^ gi);
              m[i] = m[i] * 0.5f + 1f;
              v[i] = v[i] * 0.5f + 1f;
            }
          };
        }
        break;
      }
      default:
        throw new IllegalArgumentException("layout " + layout);
    }
  }

  /** The fp32 layout's loop over {@code p}, {@code g} and the moments {@code m} and {@code v}. */
  static Split.Range fp32(float[] p, float[] g, float[] m, float[] v) {
    return (from, to) -> {
      for (int i = from; i < to; i++) {
        float gi = g[i];
        p[i] = p[i] * 0.5f + gi;
        m[i] = m[i] * 0.5f + gi;
        v[i] = v[i] * 0.5f + gi;
      }
    };
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    split.close();
  }

  @Benchmark
  public void stream() {
    if (scan != null) {
      split.run(size, scan);
    }
    split.run(size, body);
  }

  /** Bytes one element of {@code layout} moves (read plus written). */
  static int bytesPerElement(String layout) {
    switch (layout) {
      case "fp32":
        return 28;
      case "fp32_scanned":
        return 32;
      case "fp64":
        return 56;
      case "bf16":
        return 22;
      case "bf16_kahan":
        return 26;
      default:
        throw new IllegalArgumentException("layout " + layout);
    }
  }
}
