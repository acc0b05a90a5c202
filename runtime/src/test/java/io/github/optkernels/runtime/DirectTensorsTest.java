package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The runtime's off-heap registration with the test kernels: every kind of bad buffer refused
 * with its reason and nothing changed; heap and off-heap tensors in one group (sharing one
 * prepared kernel) step as an all-heap optimizer does, on 2 threads; the NaN/Inf policy on
 * off-heap gradients; a kernel that throws mid-chunk loses none of its writes.
 */
class DirectTensorsTest {
  private static final int N = 3 * OffHeap.CHUNK + 5;

  static ByteBuffer direct(int bytes) {
    return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
  }

  static ByteBuffer directFloats(float[] values) {
    ByteBuffer buffer = direct(values.length * 4);
    buffer.asFloatBuffer().put(values);
    return buffer;
  }

  static float[] floats(ByteBuffer buffer) {
    float[] values = new float[buffer.remaining() / 4];
    buffer.slice().order(ByteOrder.nativeOrder()).asFloatBuffer().get(values);
    return values;
  }

  @Test
  void badBuffersAreRefusedWithTheirReasonAndChangeNothing() {
    TestOptimizer optimizer = new TestOptimizer();
    ByteBuffer param = directFloats(TestOptimizer.floats(N, 1));
    ByteBuffer grad = directFloats(TestOptimizer.floats(N, 2));
    optimizer.addDirect(BufferFormat.FLOAT32, param, grad);
    TestOptimizer reference = new TestOptimizer();
    float[] heapParam = TestOptimizer.floats(N, 1);
    reference.add(heapParam, TestOptimizer.floats(N, 2));
    ByteBuffer state = (ByteBuffer) optimizer.state(param, "m");
    ByteBuffer misaligned = direct(21);
    misaligned.position(1).limit(17);

    List<Object[]> cases = new ArrayList<>();
    cases.add(bad("heap ByteBuffer", () -> optimizer.addDirect(BufferFormat.FLOAT32,
        ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()), direct(16))));
    cases.add(bad("read-only", () -> optimizer.addDirect(BufferFormat.FLOAT32, direct(16).asReadOnlyBuffer(), direct(16))));
    ByteOrder other = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    cases.add(bad("byte order", () -> optimizer.addDirect(BufferFormat.FLOAT32, direct(16), direct(16).order(other))));
    cases.add(bad("not a whole number of float32 elements", () -> optimizer.addDirect(BufferFormat.FLOAT32,
        direct(18), direct(18))));
    cases.add(bad("not aligned", () -> optimizer.addDirect(BufferFormat.FLOAT32, misaligned, direct(16))));
    cases.add(bad("param has 4 float32 elements but grad has 5", () -> optimizer.addDirect(BufferFormat.FLOAT32,
        direct(16), direct(20))));
    cases.add(bad("different buffers", () -> optimizer.addDirect(BufferFormat.FLOAT32, grad, grad)));
    cases.add(bad("already registered (as a parameter of tensor 0)",
        () -> optimizer.addDirect(BufferFormat.FLOAT32, param, direct(N * 4))));
    cases.add(bad("the optimizer's state array 'm' of tensor 0",
        () -> optimizer.addDirect(BufferFormat.FLOAT32, state, direct(N * 4))));
    cases.add(bad("register off-heap memory with addDirect", () -> optimizer.add(direct(16), direct(16))));
    cases.add(bad("no fp16 kernel", () -> optimizer.addDirect(BufferFormat.FP16, direct(8), direct(8))));
    for (Object[] c : cases) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, (Executable) c[1], (String) c[0]);
      assertTrue(e.getMessage().contains((String) c[0]), e.getMessage() + " should say " + c[0]);
    }
    assertThrows(NullPointerException.class, () -> optimizer.addDirect(null, direct(4), direct(4)));
    // nothing was registered, and the one tensor steps as the heap reference does
    assertEqualValues(1, optimizer.tensorCount());
    optimizer.step();
    reference.step();
    assertEqualValues(heapParam, floats(param));
    assertEqualValues((float[]) reference.state(heapParam, "m"), floats(state));
  }

  private static Object[] bad(String reason, Executable registration) {
    return new Object[] {reason, registration};
  }

  /**
   * The state is direct, the tensor's size, and as far past a 64-byte line as the parameter is (a
   * line-aligned parameter gets line-aligned state): the loops over native memory align the
   * parameter, and the state's lines with it.
   */
  @Test
  void stateIsDirectTheSizeOfTheTensorAndAtTheParametersOffsetFromACacheLine() {
    for (int lineOffset : new int[] {0, 16, 36}) {
      TestOptimizer optimizer = new TestOptimizer();
      ByteBuffer lines = ByteBuffer.allocateDirect(4096).alignedSlice(64);
      ByteBuffer param = lines.position(lineOffset).limit(lineOffset + 7 * 4).slice().order(ByteOrder.nativeOrder());
      optimizer.addDirect(BufferFormat.FLOAT32, param, direct(7 * 4));
      ByteBuffer m = (ByteBuffer) optimizer.state(param, "m");
      assertTrue(m.isDirect());
      assertEqualValues(ByteOrder.nativeOrder(), m.order());
      assertEqualValues(7 * 4, m.capacity());
      assertEqualValues(lineOffset, m.alignmentOffset(0, 64));
    }
    assertTrue(OffHeap.implementation().contains("chunk copy"), OffHeap.implementation());
  }

  /**
   * Heap and off-heap float tensors in one group share one prepared kernel class and step
   * count; a double tensor of each kind too. Against the same tensors all on the heap.
   */
  @Test
  void heapAndOffHeapTensorsInOneOptimizerStepAsAllHeapOnTwoThreads() {
    int[] lengths = {N, 5, 2 * OffHeap.CHUNK, 1};
    TestOptimizer mixed = new TestOptimizer();
    TestOptimizer heap = new TestOptimizer();
    StepOptions two = StepOptions.defaults().withThreads(2).withSerialThreshold(0).withChunkSize(OffHeap.CHUNK + 7);
    mixed.setStepOptions(two);
    List<Object> heapParams = new ArrayList<>();
    List<Object> mixedParams = new ArrayList<>();
    List<Runnable> gradients = new ArrayList<>();
    for (int k = 0; k < lengths.length; k++) {
      int n = lengths[k];
      float[] p = TestOptimizer.floats(n, k);
      float[] g = new float[n];
      heap.add(p, g);
      heapParams.add(p);
      double[] pd = TestOptimizer.doubles(n, 100 + k);
      double[] gd = new double[n];
      heap.add(pd, gd);
      heapParams.add(pd);
      ByteBuffer dp = directFloats(p.clone());
      ByteBuffer dg = direct(n * 4);
      float[] hg = new float[n];
      if (k % 2 == 0) {
        mixed.addDirect(BufferFormat.FLOAT32, dp, dg);
        mixedParams.add(dp);
      } else {
        float[] hp = p.clone();
        mixed.add(hp, hg);
        mixedParams.add(hp);
      }
      ByteBuffer ddp = direct(n * 8);
      ddp.asDoubleBuffer().put(pd);
      ByteBuffer ddg = direct(n * 8);
      mixed.addDirect(BufferFormat.FLOAT64, ddp, ddg);
      mixedParams.add(ddp);
      long seed = k;
      gradients.add(() -> {
        float[] values = TestOptimizer.floats(n, seed * 1000 + heap.stepCount());
        System.arraycopy(values, 0, g, 0, n);
        System.arraycopy(values, 0, hg, 0, n);
        dg.asFloatBuffer().put(values);
        double[] dvalues = TestOptimizer.doubles(n, seed * 1000 + heap.stepCount());
        System.arraycopy(dvalues, 0, gd, 0, n);
        ddg.asDoubleBuffer().put(dvalues);
      });
    }
    for (int step = 0; step < 4; step++) {
      for (Runnable r : gradients) {
        r.run();
      }
      heap.step();
      mixed.step();
    }
    for (int t = 0; t < heapParams.size(); t++) {
      Object h = heapParams.get(t);
      Object m = mixedParams.get(t);
      assertEqualValues(bits(h, h), bits(m, h));
      for (String name : heap.stateNames(h)) {
        assertEqualValues(bits(heap.state(h, name), h), bits(mixed.state(m, name), h));
      }
      assertEqualValues(4L, mixed.stepCount(m));
    }
  }

  /** Element bits of an array or a direct buffer holding elements of {@code like}'s type. */
  private static long[] bits(Object buffer, Object like) {
    boolean doubles = like instanceof double[];
    int n = buffer instanceof ByteBuffer ? ((ByteBuffer) buffer).remaining() / (doubles ? 8 : 4)
        : java.lang.reflect.Array.getLength(buffer);
    long[] bits = new long[n];
    for (int i = 0; i < n; i++) {
      if (buffer instanceof ByteBuffer) {
        ByteBuffer b = (ByteBuffer) buffer;
        bits[i] = doubles ? b.getLong(b.position() + i * 8) : b.getInt(b.position() + i * 4);
      } else {
        bits[i] = doubles ? Double.doubleToRawLongBits(((double[]) buffer)[i])
            : Float.floatToRawIntBits(((float[]) buffer)[i]);
      }
    }
    return bits;
  }

  @Test
  void aNonFiniteOffHeapGradientIsFoundAndNothingChanges() {
    TestOptimizer optimizer = new TestOptimizer();
    ByteBuffer param = directFloats(TestOptimizer.floats(N, 1));
    ByteBuffer grad = directFloats(TestOptimizer.floats(N, 2));
    optimizer.addDirect(BufferFormat.FLOAT32, param, grad);
    optimizer.step();
    float[] before = floats(param);
    float[] m = floats((ByteBuffer) optimizer.state(param, "m"));
    grad.putFloat((2 * OffHeap.CHUNK + 3) * 4, Float.NEGATIVE_INFINITY);
    NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class, optimizer::step);
    assertEqualValues(2 * OffHeap.CHUNK + 3, e.index());
    assertEqualValues(Double.NEGATIVE_INFINITY, e.value());
    assertEqualValues(before, floats(param));
    assertEqualValues(m, floats((ByteBuffer) optimizer.state(param, "m")));
    assertEqualValues(1L, optimizer.stepCount(param));
    optimizer.setStepOptions(StepOptions.defaults().withNonFiniteGradients(NonFiniteGradients.SKIP));
    optimizer.step();
    assertEqualValues(1L, optimizer.skippedSteps());
    assertEqualValues(before, floats(param));
  }

  /** A kernel that writes the first elements of its range and then fails; the rest is EmaKernel's. */
  static final class FailingKernel implements StepKernel {
    private final EmaKernel ema = new EmaKernel();

    @Override
    public List<String> stateNames() {
      return ema.stateNames();
    }

    @Override
    public Class<?> bufferType() {
      return ema.bufferType();
    }

    @Override
    public List<Class<?>> stateTypes() {
      return ema.stateTypes();
    }

    @Override
    public List<String> carriedNames() {
      return ema.carriedNames();
    }

    @Override
    public double[] carriedInitial() {
      return ema.carriedInitial();
    }

    @Override
    public void prepare(long step, double[] carried, HyperparameterValues h) {
      ema.prepare(step, carried, h);
    }

    @Override
    public StepPhase phase() {
      return ema.phase();
    }

    @Override
    public void carriedAfter(double[] out) {
      ema.carriedAfter(out);
    }

    @Override
    public void update(Object param, Object grad, Object[] state, int from, int to) {
      float[] p = (float[]) param;
      for (int i = from; i < from + 3 && i < to; i++) {
        p[i] = 42f;
      }
      throw new IllegalStateException("failed after writing");
    }
  }

  @Test
  void whatAKernelWroteBeforeItFailedReachesTheMemory() {
    KernelOptimizer optimizer = new KernelOptimizer(TestOptimizer.SPEC, TestOptimizer.H) {
      @Override
      protected StepKernel newKernel(Class<?> bufferType) {
        return new FailingKernel();
      }
    };
    ByteBuffer param = directFloats(new float[] {1, 2, 3, 4, 5});
    optimizer.addDirect(BufferFormat.FLOAT32, param, direct(20));
    IllegalStateException e = assertThrows(IllegalStateException.class, optimizer::step);
    assertEquals("failed after writing", e.getMessage());
    assertEqualValues(new float[] {42, 42, 42, 4, 5}, floats(param));
  }

  private static void assertEqualValues(Object expected, Object actual) {
    if (expected instanceof float[]) {
      assertArrayEquals((float[]) expected, (float[]) actual);
    } else if (expected instanceof long[]) {
      assertArrayEquals((long[]) expected, (long[]) actual);
    } else {
      assertEquals(expected, actual);
    }
  }
}
