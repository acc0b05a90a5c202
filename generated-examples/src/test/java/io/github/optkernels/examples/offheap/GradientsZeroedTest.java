package io.github.optkernels.examples.offheap;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.optkernels.examples.variants.AdamW;
import io.github.optkernels.examples.variants.half.AdamWMixedKahan;
import io.github.optkernels.runtime.BufferFormat;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.NonFiniteGradientException;
import io.github.optkernels.runtime.NonFiniteGradients;
import io.github.optkernels.runtime.StepOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * {@link StepOptions#withGradientsZeroed}: a step leaves every gradient it consumed at +0 (heap
 * arrays of each type and off-heap memory, serial and on two threads with ranges that end
 * mid-span), parameters and state bit for bit what the same step leaves without the option; a
 * refused or skipped step zeroes nothing.
 */
class GradientsZeroedTest {
  /** Shorter than a span, one past two spans, and a tail. */
  private static final int[] LENGTHS = {1, 17, 2 * 16_384 + 1, 40_003};
  private static final StepOptions[] OPTIONS = {
    StepOptions.serial(),
    StepOptions.defaults().withThreads(2).withSerialThreshold(0).withChunkSize(20_001),
  };

  @Test
  void everyConsumedGradientIsZeroAndTheStepIsTheSameBits() {
    long compared = 0;
    for (BufferFormat format : BufferFormat.values()) {
      Supplier<KernelOptimizer> factory = format.halfFormat() == null
          ? () -> AdamW.builder().lr(1e-2).build() : () -> AdamWMixedKahan.builder().lr(1e-2).build();
      for (boolean offHeap : new boolean[] {false, true}) {
        for (StepOptions options : OPTIONS) {
          String what = format + (offHeap ? " off-heap " : " heap ") + options.threads() + " threads";
          Side plain = new Side(factory.get(), format, offHeap, options);
          Side zeroed = new Side(factory.get(), format, offHeap, options.withGradientsZeroed(true));
          for (int step = 1; step <= 3; step++) {
            plain.fillGradients(step);
            zeroed.fillGradients(step);
            plain.optimizer.step();
            zeroed.optimizer.step();
            for (int k = 0; k < LENGTHS.length; k++) {
              compared += Values.assertSameBits(what + " step " + step + " param " + k, plain.param(k),
                  zeroed.param(k), format);
              for (String name : plain.optimizer.stateNames(plain.params[k])) {
                Values.assertSameBits(what + " " + name, plain.optimizer.state(plain.params[k], name),
                    zeroed.optimizer.state(zeroed.params[k], name), null);
              }
              assertWithMessage(what + " gradient " + k).that(zeroed.nonZeroGradientBits(k)).isEqualTo(0);
              assertWithMessage(what + " gradient " + k + " without the option").that(plain.nonZeroGradientBits(k))
                  .isGreaterThan(0);
            }
          }
        }
      }
    }
    assertThat(compared).isGreaterThan(4L * 2 * 2 * 3 * 80_000);
  }

  @Test
  void aRefusedOrSkippedStepZeroesNothing() {
    for (NonFiniteGradients policy : new NonFiniteGradients[] {NonFiniteGradients.REFUSE, NonFiniteGradients.SKIP}) {
      for (boolean offHeap : new boolean[] {false, true}) {
        Side side = new Side(AdamW.builder().lr(1e-2).build(), BufferFormat.FLOAT32, offHeap,
            OPTIONS[1].withNonFiniteGradients(policy).withGradientsZeroed(true));
        side.fillGradients(7);
        int last = LENGTHS.length - 1;
        side.setGradient(last, LENGTHS[last] - 1, Float.NaN);
        long[] before = new long[LENGTHS.length];
        for (int k = 0; k < LENGTHS.length; k++) {
          before[k] = side.nonZeroGradientBits(k);
        }
        if (policy == NonFiniteGradients.REFUSE) {
          assertThrows(NonFiniteGradientException.class, side.optimizer::step);
        } else {
          side.optimizer.step();
          assertThat(side.optimizer.skippedSteps()).isEqualTo(1);
        }
        for (int k = 0; k < LENGTHS.length; k++) {
          assertWithMessage(policy + " gradient " + k).that(side.nonZeroGradientBits(k)).isEqualTo(before[k]);
        }
      }
    }
  }

  /** One optimizer with the tensors of {@link #LENGTHS}, on the heap or off it. */
  private static final class Side {
    final KernelOptimizer optimizer;
    final BufferFormat format;
    final Object[] params = new Object[LENGTHS.length];
    final Object[] grads = new Object[LENGTHS.length];

    Side(KernelOptimizer optimizer, BufferFormat format, boolean offHeap, StepOptions options) {
      this.optimizer = optimizer;
      this.format = format;
      optimizer.setStepOptions(options);
      for (int k = 0; k < LENGTHS.length; k++) {
        Object param = Values.array(format, LENGTHS[k], 100 + k);
        Object grad = Values.array(format, LENGTHS[k], 0);
        if (offHeap) {
          ByteBuffer p = direct(LENGTHS[k] * format.bytes());
          ByteBuffer g = direct(LENGTHS[k] * format.bytes());
          Values.copy(param, p, format);
          optimizer.addDirect(format, p, g);
          params[k] = p;
          grads[k] = g;
        } else {
          Values.addHeap(optimizer, optimizer.defaultGroup(), format, param, grad);
          params[k] = param;
          grads[k] = grad;
        }
      }
    }

    Object param(int k) {
      return params[k];
    }

    void fillGradients(long step) {
      for (int k = 0; k < LENGTHS.length; k++) {
        Object values = Values.array(format, LENGTHS[k], 1000 * step + k);
        if (grads[k] instanceof ByteBuffer) {
          Values.copy(values, (ByteBuffer) grads[k], format);
        } else {
          System.arraycopy(values, 0, grads[k], 0, LENGTHS[k]);
        }
      }
    }

    void setGradient(int k, int index, float value) {
      if (grads[k] instanceof ByteBuffer) {
        ((ByteBuffer) grads[k]).putFloat(index * 4, value);
      } else {
        ((float[]) grads[k])[index] = value;
      }
    }

    /** How many elements of gradient {@code k} have any bit set (+0 has none). */
    long nonZeroGradientBits(int k) {
      int bytes = LENGTHS[k] * format.bytes();
      ByteBuffer memory = ByteBuffer.allocate(bytes).order(ByteOrder.nativeOrder());
      if (grads[k] instanceof ByteBuffer) {
        memory.put(((ByteBuffer) grads[k]).duplicate().clear());
      } else if (grads[k] instanceof float[]) {
        memory.asFloatBuffer().put((float[]) grads[k]);
      } else if (grads[k] instanceof double[]) {
        memory.asDoubleBuffer().put((double[]) grads[k]);
      } else {
        memory.asShortBuffer().put((short[]) grads[k]);
      }
      long nonZero = 0;
      for (int i = 0; i < LENGTHS[k]; i++) {
        boolean any = false;
        for (int b = 0; b < format.bytes(); b++) {
          any |= memory.get(i * format.bytes() + b) != 0;
        }
        nonZero += any ? 1 : 0;
      }
      return nonZero;
    }
  }

  private static ByteBuffer direct(int bytes) {
    return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
  }
}
