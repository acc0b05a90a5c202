package io.github.optkernels.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * One off-heap buffer of a registered tensor (its parameter, gradient or a state slot): the
 * elements of a direct {@link ByteBuffer} from its position to its limit at registration, in a
 * {@link BufferFormat}, with the typed view that copies blocks of them to and from heap arrays.
 *
 * <p>The copies use the views' absolute bulk {@code get}/{@code put}, which touch no position, so
 * several threads copy disjoint ranges of one buffer at once; on a direct buffer in the
 * platform's byte order each is a memory copy.
 */
final class DirectBuffer {
  final BufferFormat format;
  /** The caller's memory as the optimizer sees it: position 0, limit the tensor's bytes, native order. */
  final ByteBuffer bytes;
  final int length;
  /**
   * The same memory as a {@code MemorySegment}, for a kernel's loops over native memory
   * ({@link SegmentLoops}); null where this JVM does not run them ({@link OffHeap#segmentLoops()}).
   */
  final Object segment;
  private final FloatBuffer floats;
  private final DoubleBuffer doubles;
  private final ShortBuffer shorts;

  private DirectBuffer(BufferFormat format, ByteBuffer bytes) {
    this.format = format;
    this.bytes = bytes;
    this.length = bytes.capacity() / format.bytes();
    this.segment = OffHeap.segmentOf(bytes);
    this.floats = format == BufferFormat.FLOAT32 ? bytes.asFloatBuffer() : null;
    this.doubles = format == BufferFormat.FLOAT64 ? bytes.asDoubleBuffer() : null;
    this.shorts = format.bytes() == 2 ? bytes.asShortBuffer() : null;
  }

  /**
   * The caller's buffer {@code what} ("param", "grad"), checked: direct, writable, in the
   * platform's byte order, a whole number of elements from position to limit, and its first
   * element's address a multiple of the element size.
   *
   * @throws IllegalArgumentException naming what is wrong and how to fix it
   */
  static DirectBuffer of(String what, ByteBuffer buffer, BufferFormat format) {
    if (!buffer.isDirect()) {
      throw new IllegalArgumentException(what + " is a heap ByteBuffer; off-heap tensors need direct buffers"
          + " (ByteBuffer.allocateDirect, or a native engine's view of its memory), heap tensors are"
          + " registered as arrays with add(...)");
    }
    if (buffer.isReadOnly()) {
      throw new IllegalArgumentException(what + " is read-only; the optimizer writes parameters and"
          + " state in place (a read-only view of an engine's tensor would lose every update)");
    }
    if (buffer.order() != ByteOrder.nativeOrder()) {
      throw new IllegalArgumentException(what + " is in " + buffer.order() + " byte order but this"
          + " platform's is " + ByteOrder.nativeOrder() + ": native tensor memory is in the platform's"
          + " order; if yours is, set it with buffer.order(ByteOrder.nativeOrder())");
    }
    int bytes = buffer.remaining();
    if (bytes % format.bytes() != 0) {
      throw new IllegalArgumentException(what + " has " + bytes + " bytes from position to limit, not a"
          + " whole number of " + format + " elements (" + format.bytes() + " bytes each)");
    }
    if (buffer.alignmentOffset(buffer.position(), format.bytes()) != 0) {
      throw new IllegalArgumentException(what + "'s first element (position " + buffer.position()
          + ") is not aligned to its " + format.bytes() + "-byte " + format + " elements; a tensor's"
          + " memory starts at a multiple of its element size");
    }
    return new DirectBuffer(format, buffer.slice().order(ByteOrder.nativeOrder()));
  }

  /** Zeroed off-heap state of {@code length} elements, aligned to 64 bytes (a cache line). */
  static DirectBuffer allocate(BufferFormat format, int length) {
    return allocate(format, length, 0);
  }

  /**
   * Zeroed off-heap state of {@code length} elements whose first element sits {@code lineOffset}
   * bytes (0 to 63) past a 64-byte boundary: the parameter's offset, so that the loops over native
   * memory, which align the parameter ({@link #elementsToLine}), find the state aligned too.
   */
  static DirectBuffer allocate(BufferFormat format, int length, int lineOffset) {
    if (lineOffset < 0 || lineOffset > 63) {
      throw new IllegalArgumentException("lineOffset must be in [0, 63], got " + lineOffset);
    }
    int bytes = Math.multiplyExact(length, format.bytes());
    // alignedSlice also rounds the end down to a multiple of 64, so allocate whole lines plus two
    int lines = Math.addExact(Math.addExact(bytes, lineOffset), 63) / 64 * 64;
    ByteBuffer aligned = ByteBuffer.allocateDirect(Math.addExact(lines, 128)).alignedSlice(64);
    ByteBuffer state = aligned.position(lineOffset).limit(lineOffset + bytes).slice();
    return new DirectBuffer(format, state.order(ByteOrder.nativeOrder()));
  }

  /** How many bytes element 0 sits past a 64-byte boundary (0 to 63). */
  int lineOffset() {
    return bytes.alignmentOffset(0, 64);
  }

  /**
   * How many elements from {@code index} on, at most {@code limit}, come before the first one that
   * starts a 64-byte line: 0 when element {@code index} does, or when no element of this format
   * can (an address not a multiple of the element size from a line).
   */
  int elementsToLine(int index, int limit) {
    int past = bytes.alignmentOffset(index * format.bytes(), 64);
    if (past == 0 || (64 - past) % format.bytes() != 0) {
      return 0;
    }
    return Math.min((64 - past) / format.bytes(), limit);
  }

  /** Copies elements {@code [from, from + n)} into {@code array} (of {@link BufferFormat#arrayType()}) at 0. */
  void copyOut(int from, Object array, int n) {
    switch (format) {
      case FLOAT32:
        floats.get(from, (float[]) array, 0, n);
        break;
      case FLOAT64:
        doubles.get(from, (double[]) array, 0, n);
        break;
      default:
        shorts.get(from, (short[]) array, 0, n);
    }
  }

  /** Copies {@code n} elements of {@code array} from {@code offset} into elements {@code [from, from + n)}. */
  void copyIn(Object array, int offset, int from, int n) {
    switch (format) {
      case FLOAT32:
        floats.put(from, (float[]) array, offset, n);
        break;
      case FLOAT64:
        doubles.put(from, (double[]) array, offset, n);
        break;
      default:
        shorts.put(from, (short[]) array, offset, n);
    }
  }

  /** Zeroes elements {@code [from, to)}: all bits clear, +0 in every format. */
  void zero(int from, int to) {
    for (int at = from, n; at < to; at += n) {
      n = Math.min(ZEROS.length / format.bytes(), to - at);
      bytes.put(at * format.bytes(), ZEROS, 0, n * format.bytes());
    }
  }

  /** Zero bytes for {@link #zero}: an L1-resident source for its memory copies. */
  private static final byte[] ZEROS = new byte[16_384];

  /** Element {@code index} as a number ({@code half} decodes 16-bit bits), for messages. */
  double valueAt(int index, HalfFormat half) {
    switch (format) {
      case FLOAT32:
        return floats.get(index);
      case FLOAT64:
        return doubles.get(index);
      default:
        return half.toFloat(shorts.get(index));
    }
  }

  /**
   * Puts elements {@code [from, from + n)} into {@code out} at its position, in {@code out}'s
   * byte order (a checkpoint's is little-endian), without moving {@code out}'s position.
   */
  void putInto(ByteBuffer out, int from, int n) {
    switch (format) {
      case FLOAT32:
        out.asFloatBuffer().put(floats.slice(from, n));
        break;
      case FLOAT64:
        out.asDoubleBuffer().put(doubles.slice(from, n));
        break;
      default:
        out.asShortBuffer().put(shorts.slice(from, n));
    }
  }
}
