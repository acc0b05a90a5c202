package io.github.optkernels.bench;

import io.github.optkernels.examples.speed.Gpt2Shapes;
import io.github.optkernels.examples.variants.AdamW;
import io.github.optkernels.examples.variants.half.AdamWMixedKahan;
import io.github.optkernels.runtime.BufferFormat;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.ParamGroup;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One generated AdamW {@code step()} over tensors on the heap ({@code storage = heap}: arrays)
 * or off it ({@code direct}: direct {@link ByteBuffer}s registered with {@code addDirect}, state
 * off-heap too), same values, same optimizer, same scheduler: the ratio of the two rows is what
 * the off-heap path ({@link io.github.optkernels.runtime.OffHeap#implementation()}) costs. Shapes:
 * GPT-2 small's 148 tensors in two groups ({@code gpt2}) and one tensor of 16M elements
 * ({@code t16m}); float32, float64, or bf16 parameters with float32 moments and Kahan compensation.
 * Gradients unscanned, as in the other step benchmarks. The floor is {@link BandwidthProbeBench}
 * of the same layout and size (run both: {@code -p} is per benchmark).
 *
 * <p>{@code -XX:MaxDirectMemorySize=8g}: GPT-2 small's parameters, gradients and two moments are
 * 2 GB off-heap in float32, 4 GB in float64 (with as much again on the heap while they are set
 * up: {@code -Xmx8g} holds it).
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx8g", "-XX:MaxDirectMemorySize=8g", "--add-modules", "jdk.incubator.vector"})
public class OffHeapStepBench extends StepBenchmark {
  @Param({"gpt2", "t16m"})
  public String shape;

  @Param({"fp32", "fp64", "bf16_kahan"})
  public String precision;

  @Param({"heap", "direct"})
  public String storage;

  @Param({"1", ALL_CORES})
  public String threads;

  private KernelOptimizer optimizer;

  @Setup(Level.Trial)
  public void setUp() {
    List<Gpt2Shapes.Shape> shapes = shape.equals("gpt2") ? Gpt2Shapes.full() : null;
    int count = shapes == null ? 1 : shapes.size();
    optimizer = precision.equals("bf16_kahan")
        ? AdamWMixedKahan.builder().hyperparameters(Data.ADAMW).build()
        : AdamW.builder().hyperparameters(Data.ADAMW).build();
    ParamGroup noDecay = optimizer.addGroup(Data.NO_DECAY);
    BufferFormat format = format(precision);
    for (int i = 0; i < count; i++) {
      int n = shapes == null ? tensorSize(shape) : shapes.get(i).size();
      ParamGroup group = shapes == null || shapes.get(i).decays() ? optimizer.defaultGroup() : noDecay;
      Object param = values(format, n, 2L * i);
      Object grad = values(format, n, 2L * i + 1);
      if (storage.equals("direct")) {
        group.addDirect(format, direct(param), direct(grad));
      } else if (format == BufferFormat.BF16) {
        ((AdamWMixedKahan) optimizer).addBf16(group, (short[]) param, (short[]) grad);
      } else {
        group.add(param, grad);
      }
    }
    optimizer.setStepOptions(generatedStepOptions(threadCount(threads)));
  }

  private static BufferFormat format(String precision) {
    switch (precision) {
      case "fp32":
        return BufferFormat.FLOAT32;
      case "fp64":
        return BufferFormat.FLOAT64;
      case "bf16_kahan":
        return BufferFormat.BF16;
      default:
        throw new IllegalArgumentException("precision " + precision);
    }
  }

  /** Seeded values of {@code n} elements as the heap array of {@code format}. */
  private static Object values(BufferFormat format, int n, long seed) {
    switch (format) {
      case FLOAT32:
        return Data.floats(n, seed);
      case FLOAT64:
        return Data.doubles(n, seed);
      default:
        return Data.bf16(n, seed);
    }
  }

  /** {@code t16m}: 16M elements, odd (16,777,259); {@code t<n>}, e.g. the smoke test's {@code t4099}: n. */
  static int tensorSize(String shape) {
    return shape.equals("t16m") ? 16_777_259 : Integer.parseInt(shape.substring(1));
  }

  /**
   * The array's values in new direct memory aligned to 64 bytes, as a native engine's tensors are
   * (PyTorch's CPU allocator, {@code Arena.allocate(bytes, 64)}); the optimizer's own state is too.
   */
  private static ByteBuffer direct(Object array) {
    int bytes = java.lang.reflect.Array.getLength(array) * (array instanceof double[] ? 8 : array instanceof float[] ? 4 : 2);
    // alignedSlice also rounds the end down to a multiple of 64: whole lines plus one
    ByteBuffer buffer = ByteBuffer.allocateDirect((bytes + 63) / 64 * 64 + 64).alignedSlice(64).limit(bytes).slice()
        .order(ByteOrder.nativeOrder());
    if (array instanceof double[]) {
      buffer.asDoubleBuffer().put((double[]) array);
    } else if (array instanceof float[]) {
      buffer.asFloatBuffer().put((float[]) array);
    } else {
      buffer.asShortBuffer().put((short[]) array);
    }
    return buffer;
  }

  @Benchmark
  public void step() {
    optimizer.step();
  }
}
