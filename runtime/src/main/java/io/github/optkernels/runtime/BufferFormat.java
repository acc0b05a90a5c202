package io.github.optkernels.runtime;

/**
 * What the elements of an off-heap tensor's memory are: an optimizer steps a direct
 * {@link java.nio.ByteBuffer} as float32, float64, bf16 or fp16 values
 * ({@link KernelOptimizer#addDirect}), since the bytes themselves do not say. Each format is the
 * precision of the heap arrays the same kernel steps: {@code float[]}, {@code double[]}, and
 * {@code short[]} bits for bf16 and fp16.
 */
public enum BufferFormat {
  /** IEEE binary32, 4 bytes; the {@code float[]} kernel. */
  FLOAT32(4, float[].class, null, "float32"),
  /** IEEE binary64, 8 bytes; the {@code double[]} kernel. */
  FLOAT64(8, double[].class, null, "float64"),
  /** bfloat16 bits, 2 bytes; the bf16 kernel ({@code short[]}). */
  BF16(2, short[].class, HalfFormat.BF16, "bf16"),
  /** IEEE binary16 bits, 2 bytes; the fp16 kernel ({@code short[]}). */
  FP16(2, short[].class, HalfFormat.FP16, "fp16");

  private final int bytes;
  private final Class<?> arrayType;
  private final HalfFormat halfFormat;
  private final String label;

  BufferFormat(int bytes, Class<?> arrayType, HalfFormat halfFormat, String label) {
    this.bytes = bytes;
    this.arrayType = arrayType;
    this.halfFormat = halfFormat;
    this.label = label;
  }

  /** {@code float32}, {@code float64}, {@code bf16} or {@code fp16}, as messages name them. */
  @Override
  public String toString() {
    return label;
  }

  /** Bytes per element; a buffer's address must be a multiple of it. */
  public int bytes() {
    return bytes;
  }

  /** The heap array type of this precision: {@code float[].class}, {@code double[].class} or {@code short[].class}. */
  public Class<?> arrayType() {
    return arrayType;
  }

  /** For {@link #BF16} and {@link #FP16}, which 16-bit format; null for float32 and float64. */
  public HalfFormat halfFormat() {
    return halfFormat;
  }

  /** The format of a heap array element type, for a 16-bit array the one its kernel says ({@code half}). */
  static BufferFormat of(Class<?> arrayType, HalfFormat half) {
    if (arrayType == float[].class) {
      return FLOAT32;
    }
    if (arrayType == double[].class) {
      return FLOAT64;
    }
    if (arrayType == short[].class && half != null) {
      return half == HalfFormat.BF16 ? BF16 : FP16;
    }
    throw new IllegalArgumentException("no off-heap format for " + arrayType.getSimpleName()
        + (arrayType == short[].class ? " without a HalfFormat" : ""));
  }
}
