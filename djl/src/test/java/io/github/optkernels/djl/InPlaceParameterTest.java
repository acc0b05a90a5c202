package io.github.optkernels.djl;

import static io.github.optkernels.djl.TestTensors.N;
import static io.github.optkernels.djl.TestTensors.adam;
import static io.github.optkernels.djl.TestTensors.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.NonFiniteGradientException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A contiguous CPU weight on the real PyTorch engine (offline) is stepped in place: its state is
 * off-heap, the memory it had before an update holds its new values after it, and wherever its
 * memory or its gradient's moves between updates the step follows with the parameter's state,
 * bit for bit as the generated optimizer steps a {@code float[]} holding the same values.
 */
class InPlaceParameterTest {
  private static final Device CPU = Device.cpu();

  private static float[] floats(ByteBuffer buffer) {
    float[] values = new float[buffer.capacity() / 4];
    buffer.duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer().get(values);
    return values;
  }

  private static void assertSameState(KernelOptimizer heap, float[] heapParam, OptkernelsOptimizer djl, String id) {
    Object param = djl.optimizerParam(id, CPU);
    for (String name : new String[] {"exp_avg", "exp_avg_sq"}) {
      ByteBuffer state = assertInstanceOf(ByteBuffer.class, djl.optimizer().state(param, name));
      assertTrue(state.isDirect(), name + " lives off-heap");
      assertArrayEquals((float[]) heap.state(heapParam, name), floats(state), name);
    }
    assertEquals(heap.stepCount(heapParam), djl.optimizer().stepCount(param));
  }

  @Test
  void theStateIsOffHeapAndTheWeightsOwnMemoryHoldsItsNewValues() {
    try (NDManager manager = NDManager.newBaseManager()) {
      float[] heapParam = values(N, 1, 1);
      float[] heapGrad = new float[N];
      KernelOptimizer heap = adam().add(heapParam, heapGrad);
      NDArray weight = manager.create(heapParam.clone());
      ByteBuffer memory = weight.toByteBuffer(true); // a view of the tensor's memory before any update
      OptkernelsOptimizer djl = OptkernelsOptimizer.of(adam(), ParameterMemory.IN_PLACE);
      for (int step = 1; step <= 3; step++) {
        float[] g = values(N, 10 + step, 0.1);
        System.arraycopy(g, 0, heapGrad, 0, N);
        heap.step();
        try (NDArray grad = manager.create(g)) {
          djl.update("w", weight, grad);
        }
        assertArrayEquals(heapParam, floats(memory), "step " + step + ": the same memory, stepped in place");
        assertArrayEquals(heapParam, weight.toFloatArray(), "step " + step);
      }
      assertTrue(djl.steppedInPlace("w", CPU));
      assertEquals(0, djl.parametersWrittenByAssignment());
      assertSameState(heap, heapParam, djl, "w");
    }
  }

  /**
   * PyTorch's {@code set} gives the weight new memory (from an array: memory the engine
   * allocates; from a direct buffer: that buffer's memory); each following update steps the new
   * memory from the values set, with the state the parameter had.
   */
  @Test
  void aWeightSetToNewMemoryKeepsItsStateAndIsSteppedFromTheValuesSet() {
    try (NDManager manager = NDManager.newBaseManager()) {
      float[] heapParam = values(N, 2, 1);
      float[] heapGrad = new float[N];
      KernelOptimizer heap = adam().add(heapParam, heapGrad);
      NDArray weight = manager.create(heapParam.clone());
      OptkernelsOptimizer djl = OptkernelsOptimizer.of(adam(), ParameterMemory.IN_PLACE);
      ByteBuffer users = ByteBuffer.allocateDirect(N * 4).order(ByteOrder.nativeOrder());
      for (int step = 1; step <= 6; step++) {
        if (step == 3) {
          float[] set = values(N, 50, 1);
          weight.set(set);
          System.arraycopy(set, 0, heapParam, 0, N);
        } else if (step == 5) {
          float[] set = values(N, 51, 1);
          users.asFloatBuffer().put(0, set);
          weight.set(users); // the tensor's memory is now the user's buffer
          System.arraycopy(set, 0, heapParam, 0, N);
        }
        float[] g = values(N, 20 + step, 0.1);
        System.arraycopy(g, 0, heapGrad, 0, N);
        heap.step();
        try (NDArray grad = manager.create(g)) {
          djl.update("w", weight, grad);
        }
        assertArrayEquals(heapParam, weight.toFloatArray(), "step " + step);
        assertSameState(heap, heapParam, djl, "w");
      }
      assertArrayEquals(heapParam, floats(users), "the user's buffer is the weight's memory, stepped in place");
      assertTrue(djl.steppedInPlace("w", CPU));
      assertEquals(1, djl.optimizer().tensorCount());
    }
  }

  /**
   * DJL hands the gradient anew at each update: in new memory, as a non-contiguous view (whose
   * {@code toByteBuffer} is a copy: the gradient is only read), as the weight's own gradient
   * (zeroed after the step).
   */
  @Test
  void aGradientInNewMemoryAtEachUpdateIsReadWhereItIs() {
    try (NDManager manager = NDManager.newBaseManager()) {
      int rows = 37;
      int cols = 11;
      float[] heapParam = values(rows * cols, 3, 1);
      float[] heapGrad = new float[rows * cols];
      KernelOptimizer heap = adam().add(heapParam, heapGrad);
      NDArray weight = manager.create(heapParam.clone()).reshape(rows, cols);
      weight.setRequiresGradient(true);
      OptkernelsOptimizer djl = OptkernelsOptimizer.of(adam(), ParameterMemory.IN_PLACE);
      for (int step = 1; step <= 6; step++) {
        float[] g = values(rows * cols, 30 + step, 0.1);
        System.arraycopy(g, 0, heapGrad, 0, g.length);
        heap.step();
        NDArray grad;
        if (step % 3 == 1) {
          grad = manager.create(g).reshape(rows, cols);
        } else if (step % 3 == 2) {
          // a view with strides: the gradient's elements in the weight's order, not contiguous
          float[] transposed = new float[g.length];
          for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
              transposed[c * rows + r] = g[r * cols + c];
            }
          }
          grad = manager.create(transposed).reshape(cols, rows).transpose();
        } else {
          // the weight's own gradient, as DJL's trainer passes it
          try (GradientCollector collector = manager.getEngine().newGradientCollector();
              NDArray scale = manager.create(g).reshape(rows, cols)) {
            collector.backward(weight.mul(scale).sum()); // d/dw = g
          }
          grad = weight.getGradient();
          assertArrayEquals(g, grad.toFloatArray(), "the weight's own gradient holds the values set");
        }
        djl.update("w", weight, grad);
        if (step % 3 == 1) {
          assertArrayEquals(g, grad.toFloatArray(), "step " + step + ": a gradient not the weight's own is only read");
        }
        grad.close();
        assertArrayEquals(heapParam, weight.toFloatArray(), "step " + step);
        try (NDArray own = weight.getGradient()) {
          assertArrayEquals(new float[rows * cols], own.toFloatArray(), "the weight's own gradient is zeroed");
        }
      }
      assertSameState(heap, heapParam, djl, "w");
    }
  }

  /**
   * A gradient that is not the weight's own is only read, also when the optimizer's own options
   * zero the gradients a step consumes; the weight's own gradient is zeroed all the same.
   */
  @Test
  void aGradientNotTheWeightsOwnIsOnlyReadWhateverTheOptionsSay() {
    try (NDManager manager = NDManager.newBaseManager()) {
      float[] values = values(N, 5, 1);
      NDArray weight = manager.create(values.clone());
      weight.setRequiresGradient(true);
      KernelOptimizer adam = adam();
      adam.setStepOptions(adam.stepOptions().withGradientsZeroed(true));
      OptkernelsOptimizer djl = OptkernelsOptimizer.of(adam, ParameterMemory.IN_PLACE);
      float[] g = values(N, 50, 0.1);
      try (GradientCollector collector = manager.getEngine().newGradientCollector();
          NDArray scale = manager.create(g)) {
        collector.backward(weight.mul(scale).sum()); // the weight's own gradient: g
      }
      try (NDArray other = manager.create(g)) {
        djl.update("w", weight, other);
        assertArrayEquals(g, other.toFloatArray(), "the gradient passed is only read");
      }
      try (NDArray own = weight.getGradient()) {
        assertArrayEquals(new float[N], own.toFloatArray(), "the weight's own gradient is zeroed");
      }
      assertTrue(djl.optimizer().stepOptions().gradientsZeroed(), "the optimizer's options are as they were");
    }
  }

  @Test
  void aNonContiguousWeightIsSteppedAsHeapCopies() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray transposed = manager.create(values(37 * 11, 4, 1)).reshape(37, 11).transpose();
      OptkernelsOptimizer djl = OptkernelsOptimizer.of(adam(), ParameterMemory.IN_PLACE);
      djl.update("t", transposed, manager.create(values(37 * 11, 5, 0.1)).reshape(11, 37));
      assertFalse(djl.steppedInPlace("t", CPU));
      assertFalse(djl.writesThroughView("t", CPU));
      assertEquals(1, djl.parametersWrittenByAssignment());
      Object param = djl.optimizerParam("t", CPU);
      assertInstanceOf(float[].class, param);
      assertInstanceOf(float[].class, djl.optimizer().state(param, "exp_avg"));
    }
  }

  /** Refused after registration too: the weight, its state and its step count stay as they were. */
  @Test
  void badInputForARegisteredParameterChangesNothing() {
    try (NDManager manager = NDManager.newBaseManager()) {
      float[] heapParam = values(N, 6, 1);
      float[] heapGrad = values(N, 7, 0.1);
      KernelOptimizer heap = adam().add(heapParam, heapGrad);
      NDArray weight = manager.create(heapParam.clone());
      OptkernelsOptimizer djl = OptkernelsOptimizer.of(adam(), ParameterMemory.IN_PLACE);
      djl.update("w", weight, manager.create(heapGrad.clone()));
      heap.step();
      assertThrows(IllegalArgumentException.class, () -> djl.update("w", weight, manager.create(new float[N - 1])));
      assertThrows(IllegalArgumentException.class, () -> djl.update("w", weight, manager.create(new double[N])));
      float[] nan = values(N, 8, 0.1);
      nan[N - 2] = Float.NaN;
      NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class,
          () -> djl.update("w", weight, manager.create(nan)));
      assertEquals(N - 2, e.index());
      assertArrayEquals(heapParam, weight.toFloatArray());
      assertSameState(heap, heapParam, djl, "w");
      float[] g = values(N, 9, 0.1);
      djl.update("w", weight, manager.create(g));
      System.arraycopy(g, 0, heapGrad, 0, N);
      heap.step();
      assertArrayEquals(heapParam, weight.toFloatArray());
      assertSameState(heap, heapParam, djl, "w");
    }
  }

  /** A checkpoint of in-place state loads where the same parameter is stepped as heap copies, and back. */
  @Test
  void aCheckpointMovesBetweenInPlaceAndCopiedParameters(@TempDir Path dir) throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      int rows = 37;
      int cols = 11;
      NDArray inPlace = manager.create(values(rows * cols, 10, 1)).reshape(cols, rows);
      OptkernelsOptimizer first = OptkernelsOptimizer.of(adam(), ParameterMemory.IN_PLACE);
      for (int step = 1; step <= 3; step++) {
        first.update("w", inPlace, manager.create(values(rows * cols, 60 + step, 0.1)).reshape(cols, rows));
      }
      Path file = dir.resolve("in-place.ckpt");
      first.save(file);
      // the resumed model holds the parameter as a transposed view: stepped as heap copies
      NDArray matrix = manager.create(new float[rows * cols]).reshape(rows, cols);
      NDArray copied = matrix.transpose();
      copied.set(new NDIndex("..."), inPlace);
      OptkernelsOptimizer resumed = OptkernelsOptimizer.of(adam(), ParameterMemory.IN_PLACE);
      resumed.register("w", copied);
      resumed.load(file);
      assertFalse(resumed.steppedInPlace("w", CPU));
      for (int step = 4; step <= 5; step++) {
        float[] g = values(rows * cols, 60 + step, 0.1);
        first.update("w", inPlace, manager.create(g).reshape(cols, rows));
        resumed.update("w", copied, manager.create(g).reshape(cols, rows));
        assertArrayEquals(inPlace.toFloatArray(), copied.toFloatArray(), "step " + step);
      }
      // and back: the copied state into an in-place parameter
      resumed.save(file);
      NDArray again = manager.create(copied.toFloatArray()).reshape(cols, rows);
      OptkernelsOptimizer third = OptkernelsOptimizer.of(adam(), ParameterMemory.IN_PLACE);
      third.register("w", again);
      third.load(file);
      assertTrue(third.steppedInPlace("w", CPU));
      float[] g = values(rows * cols, 66, 0.1);
      first.update("w", inPlace, manager.create(g).reshape(cols, rows));
      third.update("w", again, manager.create(g).reshape(cols, rows));
      assertArrayEquals(inPlace.toFloatArray(), again.toFloatArray());
    }
  }
}
