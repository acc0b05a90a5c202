package io.github.optkernels.examples.handwritten;

/**
 * The bf16 conversions a user writes next to a bf16 loop: widen by a shift, narrow by
 * round-to-nearest-even on the bits (add {@code 0x7FFF} plus the lowest kept bit, then shift),
 * NaN kept quiet by a branch. C2 inlines both into the loop; it vectorizes neither
 * ({@code docs/KERNEL_LOOPS.md}, section 4.1), which is the point of the bf16 baselines.
 */
final class Bf16Bits {
  private Bf16Bits() {}

  static float widen(short bits) {
    return Float.intBitsToFloat(bits << 16);
  }

  static short round(float x) {
    if (x != x) {
      return (short) 0x7FC0;
    }
    int bits = Float.floatToRawIntBits(x);
    return (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
  }
}
