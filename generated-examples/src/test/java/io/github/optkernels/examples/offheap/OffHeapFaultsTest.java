package io.github.optkernels.examples.offheap;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.management.ThreadMXBean;
import io.github.optkernels.examples.SteadyStateAllocation;
import io.github.optkernels.examples.conformance.VariantRegistry;
import io.github.optkernels.runtime.Bf16;
import io.github.optkernels.runtime.BufferFormat;
import io.github.optkernels.runtime.Fp16;
import io.github.optkernels.runtime.Hyperparameters;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.OffHeap;
import io.github.optkernels.runtime.StepOptions;
import io.github.optkernels.runtime.StorageOverflowException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * Off-heap tensors where things go wrong or must not cost: a 16-bit moment that overflows in
 * off-heap memory is reported with its place and decoded value, as for arrays; a steady-state
 * step of off-heap tensors allocates nothing, serial and on 2 threads.
 */
class OffHeapFaultsTest {
  private static final Hyperparameters H = new Hyperparameters(1e-3, 0.9, 0.999, 1e-8, 0, 0.01,
      Double.NaN, 0.004, 0);

  /** Pure fp16 moments with |g| = 1e4: (1 − β2)·g² = 1e5 overflows exp_avg_sq; the element is past a chunk. */
  @Test
  void anFp16MomentOverflowingOffHeapIsReportedWithItsPlace() {
    int n = OffHeap.CHUNK + 200;
    int at = OffHeap.CHUNK + 150;
    for (StepOptions options : new StepOptions[] {StepOptions.serial(),
        StepOptions.defaults().withThreads(2).withSerialThreshold(0).withChunkSize(1000),
        StepOptions.serial().withGradientsZeroed(true)}) {
      KernelOptimizer optimizer = OffHeapTensorsTest.half("AdamWPure");
      ByteBuffer param = fp16(n, 1f);
      ByteBuffer grad = fp16(n, 1e-2f);
      grad.putShort(at * 2, Fp16.fromFloat(-1e4f));
      optimizer.addDirect(BufferFormat.FP16, param, grad);
      optimizer.setStepOptions(options);
      StorageOverflowException e = assertThrows(StorageOverflowException.class, optimizer::step);
      assertThat(e.buffer()).isEqualTo("exp_avg_sq");
      assertThat(e.index()).isEqualTo(at);
      assertThat(e.value()).isEqualTo(Double.POSITIVE_INFINITY);
      assertThat(optimizer.stepCount()).isEqualTo(1);
      if (options.gradientsZeroed()) {
        // the step was taken and reported: its gradient was consumed, the overflowing vector's too
        // (stepped through the copy, not by the loops over native memory)
        for (int i = 0; i < n; i++) {
          assertWithMessage("gradient " + i).that(grad.getShort(i * 2)).isEqualTo((short) 0);
        }
      }
      // the same found by the engine's second look (stepTensor), and by the chunk check
      assertThrows(StorageOverflowException.class, () -> optimizer.stepTensor(param));
    }
  }

  @Test
  void aSteadyStateOffHeapStepAllocatesNothing() {
    ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    for (StepOptions options : new StepOptions[] {StepOptions.serial(),
        StepOptions.defaults().withThreads(2).withSerialThreshold(0).withChunkSize(3 * OffHeap.CHUNK)}) {
      KernelOptimizer adamw = VariantRegistry.create("adamw", H).orElseThrow();
      KernelOptimizer bf16 = OffHeapTensorsTest.half("AdamWMixedKahan");
      int n = 5 * OffHeap.CHUNK + 3;
      adamw.addDirect(BufferFormat.FLOAT32, OffHeapTensorsTest.direct(n * 4), OffHeapTensorsTest.direct(n * 4));
      adamw.addDirect(BufferFormat.FLOAT64, OffHeapTensorsTest.direct(n * 8), OffHeapTensorsTest.direct(n * 8));
      bf16.addDirect(BufferFormat.BF16, bf16(n, 0.5f), bf16(n, 1e-3f));
      bf16.addDirect(BufferFormat.FP16, fp16(n, 0.5f), fp16(n, 1e-3f));
      for (KernelOptimizer optimizer : new KernelOptimizer[] {adamw, bf16}) {
        optimizer.setStepOptions(options);
        for (int s = 0; s < 300; s++) {
          optimizer.step();
        }
        long allocated = SteadyStateAllocation.leastOverWindows(threads::getCurrentThreadAllocatedBytes, () -> {
          for (int s = 0; s < 200; s++) {
            optimizer.step();
          }
        });
        assertWithMessage("%s, %s threads, allocated %s bytes over 200 steps", optimizer.spec().name(),
            options.threads(), allocated).that(allocated).isEqualTo(0L);
      }
    }
  }

  private static ByteBuffer fp16(int n, float value) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(n * 2).order(ByteOrder.nativeOrder());
    for (int i = 0; i < n; i++) {
      buffer.putShort(i * 2, Fp16.fromFloat(value));
    }
    return buffer;
  }

  private static ByteBuffer bf16(int n, float value) {
    ByteBuffer buffer = ByteBuffer.allocateDirect(n * 2).order(ByteOrder.nativeOrder());
    for (int i = 0; i < n; i++) {
      buffer.putShort(i * 2, Bf16.fromFloat(value));
    }
    return buffer;
  }
}
