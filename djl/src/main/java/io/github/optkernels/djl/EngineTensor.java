package io.github.optkernels.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.github.optkernels.runtime.BufferFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One DJL parameter as the optimizer holds it: the memory registered as its parameter (a direct
 * view of the engine tensor's own memory when the engine gives one, else a direct buffer of the
 * optimizer's that is copied in before each step and out after it) and the gradient buffer,
 * which the engine's gradient is copied into before each step (DJL hands a new gradient array to
 * every update).
 */
final class EngineTensor {
  final String key;
  final NDArray weight;
  final BufferFormat format;
  final int bytes;
  /** The registered parameter memory: the engine's (zero copy) or the optimizer's copy. */
  final ByteBuffer param;
  final ByteBuffer grad;
  final boolean zeroCopy;
  /**
   * For a zero-copy tensor, the low 30 bits of its memory's address (a direct buffer's
   * {@code alignmentOffset} says them on JDK 17): an engine can move a tensor to new memory
   * ({@code NDArray.set} on PyTorch replaces the storage), and the old memory must then never be
   * written, so every update checks that the tensor's memory is still the registered one.
   */
  private final int address;

  private EngineTensor(String key, NDArray weight, BufferFormat format, ByteBuffer param, boolean zeroCopy) {
    this.key = key;
    this.weight = weight;
    this.format = format;
    this.bytes = param.capacity();
    this.param = param;
    this.zeroCopy = zeroCopy;
    this.address = zeroCopy ? lowAddress(param) : 0;
    this.grad = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
  }

  private static int lowAddress(ByteBuffer direct) {
    return direct.alignmentOffset(0, 1 << 30);
  }

  /**
   * The memory of {@code weight}: its engine's direct view when a write to the view is seen in the
   * tensor (checked once, with one element), else a copy of the optimizer's.
   *
   * @throws IllegalArgumentException for a data type the optimizer does not step
   */
  static EngineTensor of(String key, NDArray weight) {
    BufferFormat format = format(key, weight.getDataType());
    ByteBuffer view = weight.toByteBuffer(true);
    if (view.isDirect() && !view.isReadOnly() && view.capacity() == weight.size() * format.bytes()
        && writesReachTheTensor(weight, view.order(ByteOrder.nativeOrder()), format)) {
      return new EngineTensor(key, weight, format, view, true);
    }
    ByteBuffer copy = ByteBuffer.allocateDirect((int) weight.size() * format.bytes()).order(ByteOrder.nativeOrder());
    return new EngineTensor(key, weight, format, copy, false);
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

  /**
   * Whether a write through {@code view} lands in {@code weight}: the first element is changed
   * through the view, read back through the engine, and restored. A non-contiguous tensor's
   * {@code toByteBuffer} is a copy, whose writes would be lost.
   */
  private static boolean writesReachTheTensor(NDArray weight, ByteBuffer view, BufferFormat format) {
    if (weight.size() == 0) {
      return true;
    }
    long[] first = new long[weight.getShape().dimension()];
    if (format == BufferFormat.FLOAT32) {
      float before = view.getFloat(0);
      float probe = before == 1f ? 2f : 1f;
      view.putFloat(0, probe);
      boolean seen = weight.getFloat(first) == probe;
      view.putFloat(0, before);
      return seen && weight.getFloat(first) == before;
    }
    double before = view.getDouble(0);
    double probe = before == 1 ? 2 : 1;
    view.putDouble(0, probe);
    boolean seen = weight.getDouble(first) == probe;
    view.putDouble(0, before);
    return seen && weight.getDouble(first) == before;
  }

  /** Before a step: the engine's gradient into the gradient buffer, and the weight into a copy. */
  void copyIn(NDArray gradient) {
    if (gradient.size() != weight.size() || gradient.getDataType() != weight.getDataType()) {
      throw new IllegalArgumentException("parameter " + key + ": gradient " + gradient.getShape() + " "
          + gradient.getDataType() + " does not match the weight " + weight.getShape() + " " + weight.getDataType());
    }
    ByteBuffer memory = weight.toByteBuffer(true);
    if (zeroCopy && (!memory.isDirect() || memory.capacity() != bytes || lowAddress(memory) != address)) {
      throw new IllegalStateException("parameter " + key + "'s memory moved since it was registered (its array"
          + " was set or replaced); the optimizer steps the memory it registered, so it refuses to go on");
    }
    grad.put(0, gradient.toByteBuffer(true), 0, bytes);
    if (!zeroCopy) {
      param.put(0, memory, 0, bytes);
    }
  }

  /**
   * After a step: a copy's new values into the engine's tensor, by an indexed assignment of the
   * whole tensor, which writes into its memory (for a view, the memory it is a view of; the
   * engine's {@code set(Buffer)} would give it new memory instead, and the viewed tensor would
   * never see the update).
   */
  void copyOut() {
    if (!zeroCopy) {
      ByteBuffer values = param.duplicate().order(ByteOrder.nativeOrder());
      try (NDArray update = weight.getManager().create(
          format == BufferFormat.FLOAT32 ? values.asFloatBuffer() : values.asDoubleBuffer(), weight.getShape())) {
        weight.set(new NDIndex("..."), update);
      }
    }
  }
}
