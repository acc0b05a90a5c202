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
import io.github.optkernels.djl.specs.TorchAdamWBf16Kahan;
import io.github.optkernels.djl.specs.TorchAdamWBf16Nearest;
import io.github.optkernels.runtime.Bf16;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.NonFiniteGradientException;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Float32 weights held and stepped as bf16 ({@link ParameterMemory#BF16_COPIES}) on the real
 * PyTorch engine (CPU, offline): bit for bit as the bf16 kernel steps {@code short[]} bits, with
 * the spec's own rounding, and refused where it cannot be done.
 */
class Bf16CopiesTest {

  @Test
  void aWeightIsSteppedAsTheBf16KernelStepsItsBits() {
    try (NDManager manager = NDManager.newBaseManager()) {
      float[] start = values(N, 1, 1);
      short[] heapParam = bf16(start);
      short[] heapGrad = new short[N];
      TorchAdamWBf16Kahan heap = TorchAdamWBf16Kahan.builder().build();
      heap.addBf16(heapParam, heapGrad);
      NDArray weight = manager.create(start.clone());
      OptkernelsOptimizer djl = OptkernelsOptimizer.of(TorchAdamWBf16Kahan.builder().build(), ParameterMemory.BF16_COPIES);

      djl.register("w", weight);
      // the model computes with the bf16 values from registration on
      assertArrayEquals(floats(heapParam), weight.toFloatArray());
      assertFalse(djl.steppedInPlace("w", weight.getDevice()));
      for (int step = 1; step <= 5; step++) {
        float[] g = values(N, 100 + step, 0.1);
        System.arraycopy(bf16(g), 0, heapGrad, 0, N); // the gradient a bf16 model's backward would give
        heap.step();
        try (NDArray grad = manager.create(g)) {
          djl.update("w", weight, grad);
        }
        assertArrayEquals(floats(heapParam), weight.toFloatArray(), "step " + step);
      }
      assertArrayEquals(heapParam, (short[]) djl.optimizerParam("w", weight.getDevice()));
      assertTrue(djl.writesThroughView("w", weight.getDevice()), "written through the view of its float32 memory");
      assertEquals(0, djl.parametersWrittenByAssignment());
    }
  }

  /**
   * A matrix weight's own gradient, as DJL's trainer passes it: read as bf16, then zeroed through
   * its view; and left as it was, in float32, when the update is refused.
   */
  @Test
  void aMatrixWeightsOwnGradientIsReadThenZeroed() {
    try (NDManager manager = NDManager.newBaseManager()) {
      int rows = 37;
      int cols = 11;
      float[] start = values(rows * cols, 4, 1);
      float[] g = values(rows * cols, 5, 0.1);
      short[] heapParam = bf16(start);
      TorchAdamWBf16Kahan heap = TorchAdamWBf16Kahan.builder().build();
      heap.addBf16(heapParam, bf16(g));
      heap.step();
      NDArray weight = manager.create(start.clone()).reshape(rows, cols);
      backward(manager, weight, g);
      OptkernelsOptimizer djl = OptkernelsOptimizer.of(TorchAdamWBf16Kahan.builder().build(), ParameterMemory.BF16_COPIES);
      try (NDArray own = weight.getGradient()) {
        djl.update("w", weight, own);
      }
      assertArrayEquals(floats(heapParam), weight.toFloatArray());
      try (NDArray own = weight.getGradient()) {
        assertArrayEquals(new float[rows * cols], own.toFloatArray(), "the weight's own gradient, zeroed");
      }
      assertTrue(djl.writesThroughView("w", weight.getDevice()));

      // a NaN in the next backward's gradient: refused, and the weight and its gradient stay as they were
      float[] bad = values(rows * cols, 6, 0.1);
      bad[7] = Float.NaN;
      backward(manager, weight, bad);
      float[] before = weight.toFloatArray();
      try (NDArray own = weight.getGradient()) {
        NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class, () -> djl.update("w", weight, own));
        assertEquals(7, e.index());
      }
      assertArrayEquals(before, weight.toFloatArray());
      try (NDArray own = weight.getGradient()) {
        assertArrayEquals(bad, own.toFloatArray(), "the gradient as it was, in float32");
      }
    }
  }

  /**
   * A checkpoint of bf16 copies (the bits, float32 moments and Kahan compensation) loads into a
   * fresh optimizer, and the run continues bit for bit: the compensation is state, and losing it
   * would change the next steps.
   */
  @Test
  void aCheckpointLoadsAndTheRunContinuesBitForBit(@TempDir Path dir) throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      float[][] weights = savedAndResumed(manager,
          () -> OptkernelsOptimizer.of(TorchAdamWBf16Kahan.builder().build(), ParameterMemory.BF16_COPIES), 400,
          dir.resolve("bf16-copies.ckpt"), (first, resumed) -> {
            short[] compensation = kahanComp(first);
            assertTrue(nonZero(compensation) > N / 2, "three steps leave most of the compensation non-zero");
            assertArrayEquals(compensation, kahanComp(resumed));
          });
      assertArrayEquals(weights[0], weights[1]);
    }
  }

  private static short[] kahanComp(OptkernelsOptimizer optimizer) {
    return ((TorchAdamWBf16Kahan) optimizer.optimizer()).kahanComp((short[]) optimizer.optimizerParam("w", Device.cpu()));
  }

  /**
   * Updates far below half a bf16 unit in the last place: rounded to nearest, every one is lost;
   * with Kahan compensation they add up in the weight.
   */
  @Test
  void kahanCompensationKeepsTheUpdatesRoundingToNearestLoses() {
    float kahan = afterSmallSteps(TorchAdamWBf16Kahan.builder().lr(1e-4).weightDecay(0).build());
    float nearest = afterSmallSteps(TorchAdamWBf16Nearest.builder().lr(1e-4).weightDecay(0).build());

    assertEquals(1f, nearest, "each 1e-4 step is below half of bf16's 2^-8 spacing at 1, and rounds away");
    // 200 steps of about lr each: 0.02, five bf16 units at 1
    assertTrue(kahan < 1f - 0.015f && kahan > 1f - 0.025f, "Kahan-compensated weight " + kahan);
  }

  private static float afterSmallSteps(KernelOptimizer optimizer) {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray weight = manager.create(new float[] {1f, 1f, 1f});
      OptkernelsOptimizer djl = OptkernelsOptimizer.of(optimizer, ParameterMemory.BF16_COPIES);
      for (int step = 0; step < 200; step++) {
        try (NDArray grad = manager.create(new float[] {1f, 1f, 1f})) {
          djl.update("w", weight, grad);
        }
      }
      float[] values = weight.toFloatArray();
      assertEquals(values[0], values[2]);
      return values[0];
    }
  }

  @Test
  void weightsItCannotHoldAsBf16AreRefusedAndNothingIsRegistered() {
    try (NDManager manager = NDManager.newBaseManager()) {
      KernelOptimizer bf16 = TorchAdamWBf16Kahan.builder().build();
      OptkernelsOptimizer djl = OptkernelsOptimizer.of(bf16, ParameterMemory.BF16_COPIES);
      NDArray doubles = manager.create(new double[] {1, 2, 3});
      IllegalArgumentException notFloat = assertThrows(IllegalArgumentException.class, () -> djl.register("d", doubles));
      assertTrue(notFloat.getMessage().contains("float32"), notFloat.getMessage());

      OptkernelsOptimizer floatOnly = OptkernelsOptimizer.of(adam(), ParameterMemory.BF16_COPIES);
      float[] start = values(N, 3, 1);
      NDArray weight = manager.create(start.clone());
      IllegalArgumentException noKernel = assertThrows(IllegalArgumentException.class,
          () -> floatOnly.register("w", weight));
      assertTrue(noKernel.getMessage().contains("no bf16 kernel"), noKernel.getMessage());

      assertEquals(0, bf16.tensorCount());
      assertEquals(0, floatOnly.optimizer().tensorCount());
      assertArrayEquals(start, weight.toFloatArray(), "a refused weight keeps its float32 values");
      assertEquals(DataType.FLOAT64, doubles.getDataType());
    }
  }

  private static int nonZero(short[] bits) {
    int n = 0;
    for (short b : bits) {
      n += b != 0 ? 1 : 0;
    }
    return n;
  }

  private static short[] bf16(float[] values) {
    short[] bits = new short[values.length];
    for (int i = 0; i < bits.length; i++) {
      bits[i] = Bf16.fromFloat(values[i]);
    }
    return bits;
  }

  private static float[] floats(short[] bits) {
    float[] values = new float[bits.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = Bf16.toFloat(bits[i]);
    }
    return values;
  }
}
