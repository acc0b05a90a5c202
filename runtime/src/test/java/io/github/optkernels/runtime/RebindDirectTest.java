package io.github.optkernels.runtime;

import static io.github.optkernels.runtime.DirectTensorsTest.direct;
import static io.github.optkernels.runtime.DirectTensorsTest.directFloats;
import static io.github.optkernels.runtime.DirectTensorsTest.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KernelOptimizer#rebindDirect}: an off-heap tensor given new parameter and gradient
 * memory between steps keeps its state, step count, group and checkpoint place, and steps the
 * new memory bit for bit as a heap tensor holding the same values; the old memory is never
 * touched again; the tensor is known by its new buffer; bad new memory is refused with the reason
 * and changes nothing.
 */
class RebindDirectTest {
  private static final int N = 2 * OffHeap.CHUNK + 3;

  @Test
  void aTensorGivenNewMemoryKeepsItsStateAndStepsTheNewMemoryAsAHeapTensorDoes() {
    TestOptimizer heap = new TestOptimizer();
    float[] heapParam = TestOptimizer.floats(N, 1);
    float[] heapGrad = new float[N];
    heap.add(heapParam, heapGrad);
    TestOptimizer offHeap = new TestOptimizer();
    ByteBuffer param = directFloats(TestOptimizer.floats(N, 1));
    ByteBuffer grad = directFloats(new float[N]);
    ParamGroup group = offHeap.addGroup(TestOptimizer.H.withLr(0.1));
    group.addDirect(BufferFormat.FLOAT32, param, grad);
    heap.setLr(0.1);
    ByteBuffer m = (ByteBuffer) offHeap.state(param, "m");
    for (int step = 1; step <= 4; step++) {
      float[] g = TestOptimizer.floats(N, 10 + step);
      System.arraycopy(g, 0, heapGrad, 0, N);
      if (step == 3) {
        // the parameter moves to new memory holding other values, the gradient to new memory too
        float[] set = TestOptimizer.floats(N, 99);
        System.arraycopy(set, 0, heapParam, 0, N);
        float[] oldValues = floats(param);
        ByteBuffer moved = directFloats(set);
        ByteBuffer movedGrad = directFloats(g);
        ByteBuffer old = param;
        offHeap.rebindDirect(BufferFormat.FLOAT32, old, moved, movedGrad);
        assertThrows(IllegalArgumentException.class, () -> offHeap.stepTensor(old), "the old buffer is not registered");
        offHeap.stepTensor(moved);
        offHeap.finishStep();
        heap.step();
        assertArrayEquals(oldValues, floats(param), "the old memory is never written again");
        param = moved;
        grad = movedGrad;
      } else if (step == 4) {
        // only the gradient moves
        ByteBuffer movedGrad = directFloats(g);
        offHeap.rebindDirect(BufferFormat.FLOAT32, param, param, movedGrad);
        float[] oldGrad = floats(grad);
        offHeap.step();
        heap.step();
        assertArrayEquals(oldGrad, floats(grad));
        grad = movedGrad;
      } else {
        grad.asFloatBuffer().put(0, g);
        offHeap.step();
        heap.step();
      }
      assertArrayEquals(heapParam, floats(param), "step " + step);
    }
    assertSame(m, offHeap.state(param, "m"), "the same off-heap state");
    assertArrayEquals((float[]) heap.state(heapParam, "m"), floats(m));
    assertEquals(4, offHeap.stepCount(param));
    assertSame(group, offHeap.group(param));
    assertEquals(1, offHeap.tensorCount());
  }

  @Test
  void theOldBuffersMayBeRegisteredAgainAndTheNewOnesNot() {
    TestOptimizer optimizer = new TestOptimizer();
    ByteBuffer param = direct(16);
    ByteBuffer grad = direct(16);
    optimizer.addDirect(BufferFormat.FLOAT32, param, grad);
    ByteBuffer moved = direct(16);
    ByteBuffer movedGrad = direct(16);
    optimizer.rebindDirect(BufferFormat.FLOAT32, param, moved, movedGrad);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> optimizer.addDirect(BufferFormat.FLOAT32, moved, direct(16)));
    assertTrue(e.getMessage().contains("already registered"), e.getMessage());
    optimizer.addDirect(BufferFormat.FLOAT32, param, grad); // released by the rebind: a tensor of its own now
    assertEquals(2, optimizer.tensorCount());
    assertEquals(0, optimizer.stepCount(param));
  }

  @Test
  void badNewMemoryIsRefusedWithItsReasonAndChangesNothing() {
    TestOptimizer optimizer = new TestOptimizer();
    ByteBuffer param = directFloats(TestOptimizer.floats(N, 1));
    ByteBuffer grad = directFloats(TestOptimizer.floats(N, 2));
    optimizer.addDirect(BufferFormat.FLOAT32, param, grad);
    ByteBuffer other = directFloats(TestOptimizer.floats(N, 3));
    ByteBuffer otherGrad = direct(N * 4);
    optimizer.addDirect(BufferFormat.FLOAT32, other, otherGrad);
    float[] heapParam = TestOptimizer.floats(7, 4);
    optimizer.add(heapParam, new float[7]);
    optimizer.step();
    TestOptimizer reference = new TestOptimizer();
    float[] referenceParam = TestOptimizer.floats(N, 1);
    reference.add(referenceParam, TestOptimizer.floats(N, 2));
    reference.step();
    ByteBuffer state = (ByteBuffer) optimizer.state(param, "m");
    ByteBuffer misaligned = direct(N * 4 + 8);
    misaligned.position(1).limit(N * 4 + 1);
    ByteOrder swapped = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    ByteBuffer fresh = direct(N * 4);

    List<Object[]> cases = new ArrayList<>();
    cases.add(bad("not a registered parameter", () -> optimizer.rebindDirect(BufferFormat.FLOAT32, direct(N * 4), fresh, direct(N * 4))));
    cases.add(bad("not a registered parameter", () -> optimizer.rebindDirect(BufferFormat.FLOAT32,
        ByteBuffer.wrap(new byte[4]), fresh, direct(N * 4))));
    cases.add(bad("is float32, not float64", () -> optimizer.rebindDirect(BufferFormat.FLOAT64, param, direct(N * 8), direct(N * 8))));
    cases.add(bad("has " + N + " float32 elements but newParam has " + (N - 1), () -> optimizer.rebindDirect(
        BufferFormat.FLOAT32, param, direct((N - 1) * 4), direct(N * 4))));
    cases.add(bad("and newGrad " + (N + 1), () -> optimizer.rebindDirect(BufferFormat.FLOAT32, param, fresh, direct((N + 1) * 4))));
    cases.add(bad("newParam is a heap ByteBuffer", () -> optimizer.rebindDirect(BufferFormat.FLOAT32, param,
        ByteBuffer.allocate(N * 4).order(ByteOrder.nativeOrder()), direct(N * 4))));
    cases.add(bad("newGrad is read-only", () -> optimizer.rebindDirect(BufferFormat.FLOAT32, param, fresh,
        direct(N * 4).asReadOnlyBuffer())));
    cases.add(bad("byte order", () -> optimizer.rebindDirect(BufferFormat.FLOAT32, param, fresh, direct(N * 4).order(swapped))));
    cases.add(bad("not aligned", () -> optimizer.rebindDirect(BufferFormat.FLOAT32, param, misaligned, direct(N * 4))));
    cases.add(bad("different buffers", () -> optimizer.rebindDirect(BufferFormat.FLOAT32, param, fresh, fresh)));
    cases.add(bad("newGrad is already registered (as a parameter of tensor 1)",
        () -> optimizer.rebindDirect(BufferFormat.FLOAT32, param, fresh, other)));
    cases.add(bad("newParam is already registered (as a gradient of tensor 1)",
        () -> optimizer.rebindDirect(BufferFormat.FLOAT32, param, otherGrad, direct(N * 4))));
    cases.add(bad("newParam is already registered (as the optimizer's state array 'm' of tensor 0)",
        () -> optimizer.rebindDirect(BufferFormat.FLOAT32, param, state, direct(N * 4))));
    cases.add(bad("newParam is already registered (as a gradient of tensor 0)",
        () -> optimizer.rebindDirect(BufferFormat.FLOAT32, param, grad, direct(N * 4))));
    for (Object[] c : cases) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, (Executable) c[1], (String) c[0]);
      assertTrue(e.getMessage().contains((String) c[0]), e.getMessage() + " should say " + c[0]);
    }
    assertThrows(NullPointerException.class, () -> optimizer.rebindDirect(BufferFormat.FLOAT32, param, null, fresh));
    // nothing changed: the tensor is still known by param and steps its memory as the reference
    assertEquals(3, optimizer.tensorCount());
    assertSame(state, optimizer.state(param, "m"));
    assertEquals(1, optimizer.stepCount(param));
    optimizer.step();
    reference.step();
    assertArrayEquals(referenceParam, floats(param));
    assertArrayEquals((float[]) reference.state(referenceParam, "m"), floats(state));
  }

  @Test
  void aCheckpointAfterARebindLoadsIntoHeapTensorsInTheSameOrder(@TempDir Path dir) throws IOException {
    TestOptimizer offHeap = new TestOptimizer();
    ByteBuffer first = directFloats(TestOptimizer.floats(N, 1));
    ByteBuffer second = directFloats(TestOptimizer.floats(5, 2));
    offHeap.addDirect(BufferFormat.FLOAT32, first, directFloats(TestOptimizer.floats(N, 3)));
    offHeap.addDirect(BufferFormat.FLOAT32, second, directFloats(TestOptimizer.floats(5, 4)));
    offHeap.step();
    ByteBuffer moved = directFloats(floats(first));
    offHeap.rebindDirect(BufferFormat.FLOAT32, first, moved, directFloats(TestOptimizer.floats(N, 5)));
    offHeap.step();
    Path file = dir.resolve("rebound.ckpt");
    offHeap.save(file);
    TestOptimizer heap = new TestOptimizer();
    float[] a = new float[N];
    float[] b = new float[5];
    heap.add(a, new float[N]);
    heap.add(b, new float[5]);
    heap.load(file);
    assertArrayEquals(floats((ByteBuffer) offHeap.state(moved, "m")), (float[]) heap.state(a, "m"));
    assertArrayEquals(floats((ByteBuffer) offHeap.state(second, "m")), (float[]) heap.state(b, "m"));
    assertEquals(2, heap.stepCount(a));
  }

  private static Object[] bad(String reason, Executable rebind) {
    return new Object[] {reason, rebind};
  }
}
