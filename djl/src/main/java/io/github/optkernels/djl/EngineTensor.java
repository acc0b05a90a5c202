package io.github.optkernels.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.github.optkernels.runtime.BufferFormat;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * One DJL parameter as the optimizer holds it: heap arrays for its parameter and gradient (and,
 * in the generated optimizer, its state), which each update fills from the engine's memory, steps
 * with the generated array kernel, and writes back.
 *
 * <p>Why heap arrays rather than the runtime's off-heap path ({@code addDirect}) over the engine's
 * memory: the off-heap path copies every buffer of the tensor through a scratch chunk (parameter,
 * gradient and both moments in, three back), and DJL hands a new gradient array to each update,
 * which would be copied once more into a buffer of the optimizer's. Here only the parameter and
 * the gradient cross (in, and the parameter back), the state never leaves the heap, and the
 * gradient is zeroed in the same pass that reads it; measured on one 16M tensor this is about
 * half the time (docs/DJL.md). It also reads the engine's memory afresh at every update, so a
 * weight the user set between steps (which on PyTorch gets new memory) is stepped from its new
 * values rather than refused.
 */
final class EngineTensor {
  /** Elements per pass of the gradient copy and zeroing: the chunk is still in cache when zeroed. */
  private static final int CHUNK = 16_384;
  private static final float[] ZERO_FLOATS = new float[CHUNK];
  private static final double[] ZERO_DOUBLES = new double[CHUNK];

  final String key;
  final NDArray weight;
  final BufferFormat format;
  final int length;
  /** The parameter the generated optimizer steps: {@code float[]} or {@code double[]}. */
  final Object param;
  final Object grad;
  /** Whether the last update wrote the parameter through a direct view of the engine's memory. */
  private boolean writesThroughView;
  /** The memory ({@link #lowAddress}, bytes) whose view was last found to reach the tensor, or −1. */
  private long viewedWeight = -1;
  private long viewedGradient = -1;

  private EngineTensor(String key, NDArray weight, BufferFormat format) {
    this.key = key;
    this.weight = weight;
    this.format = format;
    this.length = Math.toIntExact(weight.size());
    this.param = format == BufferFormat.FLOAT32 ? new float[length] : new double[length];
    this.grad = format == BufferFormat.FLOAT32 ? new float[length] : new double[length];
  }

  /**
   * The parameter {@code weight}, its current values read into the optimizer's array.
   *
   * @throws IllegalArgumentException for a data type the optimizer does not step
   */
  static EngineTensor of(String key, NDArray weight) {
    EngineTensor tensor = new EngineTensor(key, weight, format(key, weight.getDataType()));
    tensor.readWeight();
    return tensor;
  }

  private static BufferFormat format(String key, DataType type) {
    switch (type) {
      case FLOAT32:
        return BufferFormat.FLOAT32;
      case FLOAT64:
        return BufferFormat.FLOAT64;
      default:
        throw new IllegalArgumentException("parameter " + key + " is " + type + "; the optimizer steps float32"
            + " and float64 parameters (a 16-bit model keeps float32 master weights for it)");
    }
  }

  boolean writesThroughView() {
    return writesThroughView;
  }

  /**
   * Before a step: checks {@code gradient} against the weight (before anything is changed), reads
   * it and the weight's current values into the arrays, and zeroes the weight's own gradient, as
   * DJL's optimizers leave it (PyTorch accumulates gradients: without it the next batch would add
   * to this one's).
   */
  void copyIn(NDArray gradient) {
    checkGradient(key, weight, gradient);
    readWeight();
    ByteBuffer zeroed = null;
    NDArray own = weight.hasGradient() ? weight.getGradient() : null;
    try {
      if (own != null) {
        ByteBuffer view = native_(own.toByteBuffer(true));
        long memory = memory(view);
        if (memory != viewedGradient && writesReachTheTensor(own, view)) {
          viewedGradient = memory;
        }
        zeroed = memory == viewedGradient ? view : null;
      }
      // read and zero chunk by chunk: where the gradient passed is the weight's own (DJL's
      // parameter server passes that), each chunk is zeroed while it is still in cache
      ByteBuffer source = native_(gradient.toByteBuffer(true));
      if (format == BufferFormat.FLOAT32) {
        FloatBuffer from = source.asFloatBuffer();
        FloatBuffer zeroes = zeroed == null ? null : zeroed.asFloatBuffer();
        for (int base = 0; base < length; base += CHUNK) {
          int n = Math.min(CHUNK, length - base);
          from.get(base, (float[]) grad, base, n);
          if (zeroes != null) {
            zeroes.put(base, ZERO_FLOATS, 0, n);
          }
        }
      } else {
        DoubleBuffer from = source.asDoubleBuffer();
        DoubleBuffer zeroes = zeroed == null ? null : zeroed.asDoubleBuffer();
        for (int base = 0; base < length; base += CHUNK) {
          int n = Math.min(CHUNK, length - base);
          from.get(base, (double[]) grad, base, n);
          if (zeroes != null) {
            zeroes.put(base, ZERO_DOUBLES, 0, n);
          }
        }
      }
      if (own != null && zeroed == null) {
        // no writable view of the gradient's memory: the engine zeroes it
        own.set(new NDIndex("..."), 0);
      }
    } finally {
      if (own != null) {
        own.close(); // the handle getGradient made, not the gradient itself
      }
    }
  }

  /** @throws IllegalArgumentException if {@code gradient} has another size or data type than {@code weight} */
  static void checkGradient(String key, NDArray weight, NDArray gradient) {
    if (gradient.size() != weight.size() || gradient.getDataType() != weight.getDataType()) {
      throw new IllegalArgumentException("parameter " + key + ": gradient " + gradient.getShape() + " "
          + gradient.getDataType() + " does not match the weight " + weight.getShape() + " " + weight.getDataType());
    }
  }

  /** The weight's current values into the parameter array, through its view (a view or a copy). */
  private void readWeight() {
    ByteBuffer view = native_(weight.toByteBuffer(true));
    if (format == BufferFormat.FLOAT32) {
      view.asFloatBuffer().get(0, (float[]) param, 0, length);
    } else {
      view.asDoubleBuffer().get(0, (double[]) param, 0, length);
    }
  }

  /**
   * After a step: the new values into the engine's tensor, through a direct view of its memory
   * where writes to the view are seen in the tensor (checked with one element whenever the memory
   * is not the one last checked), else by an indexed assignment of the whole tensor, which writes
   * into its memory (for a view, the memory it is a view of; the engine's {@code set(Buffer)}
   * would give it new memory instead, and the viewed tensor would never see the update).
   */
  void copyOut() {
    ByteBuffer view = native_(weight.toByteBuffer(true));
    long memory = memory(view);
    if (memory != viewedWeight && writesReachTheTensor(weight, view)) {
      viewedWeight = memory;
    }
    writesThroughView = memory == viewedWeight;
    if (writesThroughView) {
      if (format == BufferFormat.FLOAT32) {
        view.asFloatBuffer().put(0, (float[]) param, 0, length);
      } else {
        view.asDoubleBuffer().put(0, (double[]) param, 0, length);
      }
      return;
    }
    Buffer values = format == BufferFormat.FLOAT32 ? FloatBuffer.wrap((float[]) param) : DoubleBuffer.wrap((double[]) param);
    try (NDArray update = weight.getManager().create(values, weight.getShape())) {
      weight.set(new NDIndex("..."), update);
    }
  }

  private static ByteBuffer native_(ByteBuffer buffer) {
    return buffer.order(ByteOrder.nativeOrder());
  }

  /**
   * Which memory a view is, as far as JDK 17 can say: the low 30 bits of its address (a direct
   * buffer's {@code alignmentOffset}) and its size; −2 for a buffer that cannot be a tensor's memory.
   */
  private long memory(ByteBuffer view) {
    if (!view.isDirect() || view.isReadOnly() || view.capacity() != (long) length * format.bytes()) {
      return -2;
    }
    return ((long) view.alignmentOffset(0, 1 << 30) << 32) | view.capacity();
  }

  /**
   * Whether a write through {@code view} lands in {@code array}: the first element is changed
   * through the view, read back through the engine, and restored. A non-contiguous tensor's
   * {@code toByteBuffer} is a copy, whose writes would be lost.
   */
  private boolean writesReachTheTensor(NDArray array, ByteBuffer view) {
    if (memory(view) == -2) {
      return false;
    }
    if (length == 0) {
      return true;
    }
    long[] first = new long[array.getShape().dimension()];
    if (format == BufferFormat.FLOAT32) {
      float before = view.getFloat(0);
      float probe = before == 1f ? 2f : 1f;
      view.putFloat(0, probe);
      boolean seen = array.getFloat(first) == probe;
      view.putFloat(0, before);
      return seen && array.getFloat(first) == before;
    }
    double before = view.getDouble(0);
    double probe = before == 1 ? 2 : 1;
    view.putDouble(0, probe);
    boolean seen = array.getDouble(first) == probe;
    view.putDouble(0, before);
    return seen && array.getDouble(first) == before;
  }
}
