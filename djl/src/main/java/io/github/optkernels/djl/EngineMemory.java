package io.github.optkernels.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.github.optkernels.runtime.BufferFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What the optimizer can learn about an engine tensor's memory through DJL on JDK 17: its
 * element format, a direct view of it ({@code toByteBuffer(true)}), a fingerprint telling one
 * memory from another, and whether a write through the view reaches the tensor.
 *
 * <p>Why a fingerprint and a probe rather than the address: JDK 17 gives a direct buffer's
 * address only through internals. The fingerprint ({@link #memory}) is the low 30 bits of the
 * address ({@code alignmentOffset}) and the size; two memories of one tensor can share it, so it
 * is only used to decide when to probe again, never to decide which memory to step (each update
 * steps the view it has just been given).
 */
final class EngineMemory {
  /** The fingerprint of a view that cannot be a tensor's memory (heap, read-only, another size). */
  static final long NOT_MEMORY = -2;
  /** The fingerprint of no memory probed yet. */
  static final long NONE = -1;

  private EngineMemory() {}

  /**
   * The optimizer's format for a parameter of data type {@code type}.
   *
   * @throws IllegalArgumentException for a data type the optimizer does not step
   */
  static BufferFormat format(String key, DataType type) {
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

  /** @throws IllegalArgumentException if {@code gradient} has another size or data type than {@code weight} */
  static void checkGradient(String key, NDArray weight, NDArray gradient) {
    if (gradient.size() != weight.size() || gradient.getDataType() != weight.getDataType()) {
      throw new IllegalArgumentException("parameter " + key + ": gradient " + gradient.getShape() + " "
          + gradient.getDataType() + " does not match the weight " + weight.getShape() + " " + weight.getDataType());
    }
  }

  /**
   * The array's elements as the engine gives them, in the platform's byte order: on the PyTorch
   * engine a direct view of a contiguous CPU tensor's memory, else a copy (a contiguous copy's
   * view, or a heap buffer).
   */
  static ByteBuffer view(NDArray array) {
    return array.toByteBuffer(true).order(ByteOrder.nativeOrder());
  }

  /**
   * Which memory {@code view} is, as far as JDK 17 can say: the low 30 bits of its address (a
   * direct buffer's {@code alignmentOffset}) and its size; {@link #NOT_MEMORY} for a buffer that
   * cannot be the memory of a tensor of {@code bytes} bytes.
   */
  static long memory(ByteBuffer view, long bytes) {
    if (!view.isDirect() || view.isReadOnly() || view.capacity() != bytes) {
      return NOT_MEMORY;
    }
    return ((long) view.alignmentOffset(0, 1 << 30) << 32) | view.capacity();
  }

  /**
   * Whether a write through {@code view} lands in {@code array}: the first element is changed
   * through the view, read back through the engine, and restored. A non-contiguous tensor's
   * {@code toByteBuffer} is a copy, whose writes would be lost.
   */
  static boolean writesReachTheTensor(NDArray array, ByteBuffer view, BufferFormat format, int length) {
    if (memory(view, (long) length * format.bytes()) == NOT_MEMORY) {
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
      return seen && Float.floatToRawIntBits(array.getFloat(first)) == Float.floatToRawIntBits(before);
    }
    double before = view.getDouble(0);
    double probe = before == 1 ? 2 : 1;
    view.putDouble(0, probe);
    boolean seen = array.getDouble(first) == probe;
    view.putDouble(0, before);
    return seen && Double.doubleToRawLongBits(array.getDouble(first)) == Double.doubleToRawLongBits(before);
  }

  /**
   * Whether two direct views of the same size are one memory: the first byte is changed through
   * {@code a} and read through {@code b}, then restored. Views of equal size that share their
   * first byte are the same memory.
   */
  static boolean sameMemory(ByteBuffer a, ByteBuffer b) {
    if (a.capacity() != b.capacity() || a.capacity() == 0 || a.isReadOnly() || !a.isDirect() || !b.isDirect()) {
      return false;
    }
    byte before = a.get(0);
    byte probe = (byte) (before ^ 0x5A);
    a.put(0, probe);
    boolean seen = b.get(0) == probe;
    a.put(0, before);
    return seen && b.get(0) == before;
  }
}
