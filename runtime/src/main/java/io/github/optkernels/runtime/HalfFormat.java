package io.github.optkernels.runtime;

/**
 * The two 16-bit floating-point formats a {@code short[]} can hold. The array type cannot tell
 * them apart, so a kernel says which its arrays hold ({@link StepKernel#halfFormat()}), and a
 * checkpoint records it per array: the same bits are 6.87e-5 in one format and 0.570 in the other.
 */
public enum HalfFormat {
  /** bfloat16: the upper 16 bits of a float32 ({@link Bf16}). */
  BF16("bf16"),
  /** IEEE 754 binary16 ({@link Fp16}). */
  FP16("fp16");

  private final String shortName;

  HalfFormat(String shortName) {
    this.shortName = shortName;
  }

  /** The number {@code bits} stand for in this format, widened exactly to float32. */
  public float toFloat(short bits) {
    return this == BF16 ? Bf16.toFloat(bits) : Fp16.toFloat(bits);
  }

  /** {@code bf16} or {@code fp16}, as messages and the checkpoint documentation name them. */
  @Override
  public String toString() {
    return shortName;
  }
}
