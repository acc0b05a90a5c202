package io.github.optkernels.examples.offheap;

import static com.google.common.truth.Truth.assertWithMessage;

import io.github.optkernels.runtime.Bf16;
import io.github.optkernels.runtime.BufferFormat;
import io.github.optkernels.runtime.Fp16;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.ParamGroup;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/** Test data in every off-heap format: heap arrays, their copies in direct memory, bit comparisons. */
final class Values {
  private Values() {}

  /** A heap array of {@code format} ({@code short[]} bits for 16 bits), values in [-1, 1) from {@code seed}. */
  static Object array(BufferFormat format, int n, long seed) {
    Object array = java.lang.reflect.Array.newInstance(format.arrayType().getComponentType(), n);
    fill(array, format, seed);
    return array;
  }

  static void fill(Object array, BufferFormat format, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int n = java.lang.reflect.Array.getLength(array);
    for (int i = 0; i < n; i++) {
      double v = 2 * random.nextDouble() - 1;
      switch (format) {
        case FLOAT32:
          ((float[]) array)[i] = (float) v;
          break;
        case FLOAT64:
          ((double[]) array)[i] = v;
          break;
        case BF16:
          ((short[]) array)[i] = Bf16.fromFloat((float) v);
          break;
        default:
          ((short[]) array)[i] = Fp16.fromFloat((float) v);
      }
    }
  }

  /** Copies the heap array into {@code memory} from its position, in native order. */
  static void copy(Object array, ByteBuffer memory, BufferFormat format) {
    ByteBuffer target = memory.slice().order(ByteOrder.nativeOrder());
    if (array instanceof float[]) {
      target.asFloatBuffer().put((float[]) array);
    } else if (array instanceof double[]) {
      target.asDoubleBuffer().put((double[]) array);
    } else {
      target.asShortBuffer().put((short[]) array);
    }
  }

  /** Registers heap buffers in {@code group}: {@code add}, or the generated {@code addBf16}/{@code addFp16}. */
  static void addHeap(KernelOptimizer optimizer, ParamGroup group, BufferFormat format, Object param, Object grad) {
    if (format.halfFormat() == null) {
      group.add(param, grad);
      return;
    }
    String add = format == BufferFormat.BF16 ? "addBf16" : "addFp16";
    try {
      optimizer.getClass().getMethod(add, ParamGroup.class, short[].class, short[].class)
          .invoke(optimizer, group, param, grad);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(add, e);
    }
  }

  /**
   * Asserts that {@code a} and {@code b} (each a heap array or a direct buffer's elements from
   * its position) hold the same bits; returns the number of elements.
   */
  static long assertSameBits(String what, Object a, Object b, BufferFormat ignored) {
    long[] x = bits(a, b);
    long[] y = bits(b, a);
    assertWithMessage(what + ": length").that(y.length).isEqualTo(x.length);
    for (int i = 0; i < x.length; i++) {
      if (x[i] != y[i]) {
        assertWithMessage(what + ": element " + i + " of " + x.length).that(Long.toHexString(y[i]))
            .isEqualTo(Long.toHexString(x[i]));
      }
    }
    return x.length;
  }

  /** Element bits of {@code buffer}; a direct buffer is read as the element type of {@code other} if that is an array. */
  private static long[] bits(Object buffer, Object other) {
    Object array = buffer;
    if (buffer instanceof ByteBuffer) {
      ByteBuffer bytes = ((ByteBuffer) buffer).slice().order(ByteOrder.nativeOrder());
      Class<?> type = other instanceof ByteBuffer ? byte[].class : other.getClass();
      if (type == float[].class) {
        array = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get((float[]) array);
      } else if (type == double[].class) {
        array = new double[bytes.remaining() / 8];
        bytes.asDoubleBuffer().get((double[]) array);
      } else if (type == short[].class) {
        array = new short[bytes.remaining() / 2];
        bytes.asShortBuffer().get((short[]) array);
      } else {
        array = new byte[bytes.remaining()];
        bytes.get((byte[]) array);
      }
    }
    int n = java.lang.reflect.Array.getLength(array);
    long[] bits = new long[n];
    for (int i = 0; i < n; i++) {
      if (array instanceof float[]) {
        bits[i] = Float.floatToRawIntBits(((float[]) array)[i]);
      } else if (array instanceof double[]) {
        bits[i] = Double.doubleToRawLongBits(((double[]) array)[i]);
      } else if (array instanceof short[]) {
        bits[i] = ((short[]) array)[i];
      } else {
        bits[i] = ((byte[]) array)[i];
      }
    }
    return bits;
  }
}
