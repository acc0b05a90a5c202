package io.github.optkernels.djl;

import static io.github.optkernels.djl.TestTensors.N;
import static io.github.optkernels.djl.TestTensors.adam;
import static io.github.optkernels.djl.TestTensors.backward;
import static io.github.optkernels.djl.TestTensors.savedAndResumed;
import static io.github.optkernels.djl.TestTensors.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.optkernels.runtime.BufferFormat;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.NonFiniteGradientException;
import io.github.optkernels.runtime.OffHeap;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DJL optimizer on the real PyTorch engine (CPU, offline), tensor by tensor: a contiguous
 * weight gets its new values through a view of its memory, bit for bit as the generated optimizer
 * steps a {@code float[]}; a non-contiguous one by an indexed assignment; a weight set between
 * updates is stepped from its new values; the weight's own gradient is read, then zeroed; bad
 * input refused before anything registers; its checkpoint loads into a fresh optimizer.
 */
class OptkernelsOptimizerTest {

  /**
   * By default it is stepped in place exactly where the runtime steps off-heap float32 memory in
   * place (JDK 22+ with the Vector API, the test specs compiled for 22 there), else as heap
   * copies, which cost less than the runtime's chunk copy; either way as an array is.
   */
  @Test
  void aContiguousWeightGetsItsValuesThroughAViewAsAnArrayDoes() {
    try (NDManager manager = NDManager.newBaseManager()) {
      float[] heapParam = values(N, 1, 1);
      float[] heapGrad = new float[N];
      KernelOptimizer heap = adam().add(heapParam, heapGrad);
      NDArray weight = manager.create(heapParam.clone());
      OptkernelsOptimizer djl = OptkernelsOptimizer.of(adam());
      for (int step = 1; step <= 5; step++) {
        float[] g = values(N, 100 + step, 0.1);
        System.arraycopy(g, 0, heapGrad, 0, N);
        heap.step();
        try (NDArray grad = manager.create(g)) {
          djl.update("w", weight, grad);
        }
        assertArrayEquals(heapParam, weight.toFloatArray(), "step " + step);
      }
      assertTrue(djl.writesThroughView("w", weight.getDevice()));
      assertEquals(1, djl.optimizer().tensorCount());
      boolean inPlace = OffHeap.stepsInPlace(adam(), BufferFormat.FLOAT32);
      assertEquals(Runtime.version().feature() >= 22, inPlace, OffHeap.segmentLoops());
      assertEquals(inPlace, djl.steppedInPlace("w", weight.getDevice()));
    }
  }

  @Test
  void aNonContiguousWeightGetsItsValuesByAssignmentAndEveryWriteLands() {
    try (NDManager manager = NDManager.newBaseManager()) {
      int rows = 37;
      int cols = 11;
      float[] base = values(rows * cols, 2, 1);
      NDArray matrix = manager.create(base).reshape(rows, cols);
      NDArray transposed = matrix.transpose(); // a view with strides, not contiguous
      float[] heapParam = transposed.toFloatArray(); // the view's elements in its own order
      float[] heapGrad = new float[heapParam.length];
      KernelOptimizer heap = adam().add(heapParam, heapGrad);
      OptkernelsOptimizer djl = OptkernelsOptimizer.of(adam());
      for (int step = 1; step <= 3; step++) {
        float[] g = values(heapParam.length, 200 + step, 0.1);
        System.arraycopy(g, 0, heapGrad, 0, g.length);
        heap.step();
        try (NDArray grad = manager.create(g).reshape(cols, rows)) {
          djl.update("w", transposed, grad);
        }
        assertArrayEquals(heapParam, transposed.toFloatArray(), "step " + step);
        // and the update reached the matrix the view is of
        assertArrayEquals(heapParam, matrix.transpose().toFloatArray(), "step " + step + ", through the matrix");
      }
      assertFalse(djl.writesThroughView("w", transposed.getDevice()));
    }
  }

  @Test
  void badInputIsRefusedAndChangesNothing() {
    try (NDManager manager = NDManager.newBaseManager()) {
      OptkernelsOptimizer djl = OptkernelsOptimizer.of(adam());
      NDArray weight = manager.create(values(8, 3, 1));
      float[] before = weight.toFloatArray();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> djl.update("w", weight, manager.create(new float[7])));
      assertTrue(e.getMessage().contains("does not match"), e.getMessage());
      assertArrayEquals(before, weight.toFloatArray());
      assertEquals(0, djl.optimizer().tensorCount(), "a refused first update registers nothing");
      e = assertThrows(IllegalArgumentException.class,
          () -> djl.update("i", manager.create(new int[] {1, 2}), manager.create(new int[] {1, 2})));
      assertTrue(e.getMessage().contains("INT32") || e.getMessage().contains("int32"), e.getMessage());
      float[] nan = new float[8];
      nan[5] = Float.NaN;
      NonFiniteGradientException bad = assertThrows(NonFiniteGradientException.class,
          () -> djl.update("w", weight, manager.create(nan)));
      assertEquals(5, bad.index());
      assertArrayEquals(before, weight.toFloatArray());
      // another array for a registered parameter: one parameter is one array, refused
      NDArray other = manager.create(values(8, 3, 1));
      e = assertThrows(IllegalArgumentException.class, () -> djl.update("w", other, manager.create(new float[8])));
      assertTrue(e.getMessage().contains("registered with another array"), e.getMessage());
      assertThrows(IllegalArgumentException.class, () -> OptkernelsOptimizer.of(adam().add(new float[1], new float[1])));
      assertEquals(DataType.FLOAT32, weight.getDataType());
      assertEquals(Device.cpu(), weight.getDevice());
    }
  }

  /**
   * A weight's own gradient holding NaN, as DJL's trainer passes it after a backward pass that
   * overflowed: the update is refused and the weight and its gradient are as they were, however
   * the parameter is reached (the heap copies zero the gradient as they read it).
   */
  @Test
  void aRefusedUpdateLeavesTheWeightsOwnGradientAsItWas() {
    for (ParameterMemory memory : ParameterMemory.values()) {
      if (memory == ParameterMemory.BF16_COPIES) {
        continue; // needs a bf16 kernel: Bf16CopiesTest
      }
      try (NDManager manager = NDManager.newBaseManager()) {
        float[] start = values(N, 11, 1);
        float[] g = values(N, 12, 0.1);
        g[N - 3] = Float.NaN;
        NDArray weight = manager.create(start.clone());
        backward(manager, weight, g);
        OptkernelsOptimizer djl = OptkernelsOptimizer.of(adam(), memory);
        try (NDArray own = weight.getGradient()) {
          NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class, () -> djl.update("w", weight, own));
          assertEquals(N - 3, e.index(), memory.toString());
        }
        assertArrayEquals(start, weight.toFloatArray(), memory.toString());
        try (NDArray own = weight.getGradient()) {
          assertArrayEquals(g, own.toFloatArray(), memory + ": the gradient as it was");
        }
      }
    }
  }

  /**
   * PyTorch's {@code set} gives a tensor new memory: the update reads the weight's current memory,
   * so the step starts from the values the user set, and lands where the tensor now is.
   */
  @Test
  void aWeightSetToNewValuesBetweenUpdatesIsSteppedFromThem() {
    try (NDManager manager = NDManager.newBaseManager()) {
      OptkernelsOptimizer djl = OptkernelsOptimizer.of(adam());
      float[] heapParam = values(64, 5, 1);
      float[] heapGrad = values(64, 6, 0.1);
      KernelOptimizer heap = adam().add(heapParam, heapGrad);
      NDArray weight = manager.create(heapParam.clone());
      djl.update("w", weight, manager.create(heapGrad.clone()));
      heap.step();
      float[] replaced = values(64, 7, 1);
      weight.set(replaced);
      System.arraycopy(replaced, 0, heapParam, 0, 64);
      float[] g = values(64, 8, 0.1);
      djl.update("w", weight, manager.create(g));
      System.arraycopy(g, 0, heapGrad, 0, 64);
      heap.step();
      assertArrayEquals(heapParam, weight.toFloatArray());
      assertTrue(djl.writesThroughView("w", weight.getDevice()));
    }
  }

  /** DJL's optimizers leave the weight's gradient zero: the engine accumulates into it. */
  @Test
  void theWeightsOwnGradientIsReadThenZeroed() {
    try (NDManager manager = NDManager.newBaseManager()) {
      int n = 40_000; // more than one pass of the copy that zeroes
      float[] start = values(n, 9, 1);
      float[] heapParam = start.clone();
      float[] heapGrad = new float[n];
      KernelOptimizer heap = adam().add(heapParam, heapGrad);
      NDArray weight = manager.create(start);
      weight.setRequiresGradient(true);
      OptkernelsOptimizer djl = OptkernelsOptimizer.of(adam());
      NDArray scale = manager.create(values(n, 10, 1));
      for (int step = 1; step <= 2; step++) {
        try (ai.djl.training.GradientCollector collector = manager.getEngine().newGradientCollector()) {
          collector.backward(weight.mul(scale).mul(step).sum()); // d/dw = scale * step
        }
        float[] expected = scale.mul(step).toFloatArray();
        assertArrayEquals(expected, weight.getGradient().toFloatArray(), "accumulated from zero at step " + step);
        System.arraycopy(expected, 0, heapGrad, 0, n);
        heap.step();
        djl.update("w", weight, weight.getGradient());
        assertArrayEquals(heapParam, weight.toFloatArray(), "step " + step);
        assertArrayEquals(new float[n], weight.getGradient().toFloatArray(), "zeroed after step " + step);
      }
    }
  }

  @Test
  void aCheckpointLoadsIntoAFreshOptimizerAndTheRunContinuesBitForBit(@TempDir Path dir) throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      float[][] weights = savedAndResumed(manager, () -> OptkernelsOptimizer.of(adam()), 300,
          dir.resolve("djl-optimizer.ckpt"), (first, resumed) -> { });
      assertArrayEquals(weights[0], weights[1]);
    }
  }
}
