package io.github.optkernels.examples.offheap;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.optkernels.examples.variants.AdamW;
import io.github.optkernels.runtime.BufferFormat;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.NonFiniteGradientException;
import io.github.optkernels.runtime.OffHeap;
import io.github.optkernels.runtime.StepOptions;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The default NaN/Inf check of off-heap float32 and float64 gradients, which reads native memory
 * in place where the buffers have segment views (JDK 22+ with the Vector API) and searches a
 * range that fails element by element: each of NaN, +Infinity and −Infinity, at the first element,
 * inside the first chunk, past a chunk and at the last element of the second tensor, is reported
 * with its tensor, index and value, serial and on two threads, and the refused step writes
 * nothing; the largest finite values, subnormals and −0 are not reported.
 */
class OffHeapNonFiniteTest {
  private static final int[] LENGTHS = {5_003, 3 * OffHeap.CHUNK + 11};
  private static final StepOptions[] OPTIONS = {
    StepOptions.serial(),
    StepOptions.defaults().withThreads(2).withSerialThreshold(0).withChunkSize(OffHeap.CHUNK + 5),
  };

  @Test
  void aNonFiniteGradientIsReportedAtItsPlaceAndNothingIsWritten() {
    int last = LENGTHS[1] - 1;
    int checked = 0;
    for (BufferFormat format : new BufferFormat[] {BufferFormat.FLOAT32, BufferFormat.FLOAT64}) {
      for (StepOptions options : OPTIONS) {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
          for (int at : new int[] {0, 17, OffHeap.CHUNK + 3, last}) {
            String what = format + " " + options.threads() + " threads " + bad + " at " + at;
            Tensors tensors = new Tensors(format, options);
            tensors.optimizer.step();
            List<byte[]> before = tensors.memory();
            tensors.put(tensors.grads.get(1), at, bad);
            NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class, tensors.optimizer::step,
                what);
            assertWithMessage(what).that(e.tensor()).isEqualTo(1);
            assertWithMessage(what).that(e.index()).isEqualTo(at);
            assertWithMessage(what).that(Double.valueOf(e.value())).isEqualTo(Double.valueOf(bad));
            List<byte[]> after = tensors.memory();
            for (int k = 0; k < before.size(); k++) {
              assertWithMessage(what + " buffer " + k).that(after.get(k)).isEqualTo(before.get(k));
            }
            checked++;
          }
        }
      }
    }
    assertThat(checked).isEqualTo(2 * OPTIONS.length * 3 * 4);
  }

  @Test
  void theLargestFiniteValuesSubnormalsAndNegativeZeroAreNotReported() {
    for (BufferFormat format : new BufferFormat[] {BufferFormat.FLOAT32, BufferFormat.FLOAT64}) {
      double largest = format == BufferFormat.FLOAT32 ? Float.MAX_VALUE : Double.MAX_VALUE;
      double subnormal = format == BufferFormat.FLOAT32 ? Float.MIN_VALUE : Double.MIN_VALUE;
      for (StepOptions options : OPTIONS) {
        Tensors tensors = new Tensors(format, options);
        ByteBuffer grad = tensors.grads.get(1);
        tensors.put(grad, 0, largest);
        tensors.put(grad, 1, -largest);
        tensors.put(grad, OffHeap.CHUNK + 1, subnormal);
        tensors.put(grad, LENGTHS[1] - 1, -0.0);
        tensors.optimizer.step();
        assertWithMessage(format + " " + options.threads()).that(tensors.optimizer.stepCount()).isEqualTo(1);
      }
    }
  }

  /** Two off-heap AdamW tensors of {@link #LENGTHS} with finite values, stepping under the default REFUSE. */
  private static final class Tensors {
    final KernelOptimizer optimizer = AdamW.builder().lr(1e-3).build();
    final BufferFormat format;
    final List<ByteBuffer> params = new ArrayList<>();
    final List<ByteBuffer> grads = new ArrayList<>();

    Tensors(BufferFormat format, StepOptions options) {
      this.format = format;
      optimizer.setStepOptions(options);
      for (int k = 0; k < LENGTHS.length; k++) {
        ByteBuffer param = OffHeapTensorsTest.direct(LENGTHS[k] * format.bytes());
        ByteBuffer grad = OffHeapTensorsTest.direct(LENGTHS[k] * format.bytes());
        Values.copy(Values.array(format, LENGTHS[k], 10 + k), param, format);
        Values.copy(Values.array(format, LENGTHS[k], 20 + k), grad, format);
        optimizer.addDirect(format, param, grad);
        params.add(param);
        grads.add(grad);
      }
    }

    void put(ByteBuffer buffer, int index, double value) {
      if (format == BufferFormat.FLOAT32) {
        buffer.putFloat(index * 4, (float) value);
      } else {
        buffer.putDouble(index * 8, value);
      }
    }

    /** Every parameter and state buffer's bytes. */
    List<byte[]> memory() {
      List<byte[]> all = new ArrayList<>();
      for (ByteBuffer param : params) {
        all.add(bytes(param));
        for (String name : optimizer.stateNames(param)) {
          all.add(bytes((ByteBuffer) optimizer.state(param, name)));
        }
      }
      return all;
    }

    private static byte[] bytes(ByteBuffer buffer) {
      byte[] copy = new byte[buffer.capacity()];
      buffer.duplicate().clear().get(copy);
      return copy;
    }
  }
}
