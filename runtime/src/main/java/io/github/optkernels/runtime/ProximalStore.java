package io.github.optkernels.runtime;

/**
 * The proximal weight decay's second store, for 16-bit kernels whose parameter store is
 * Kahan-compensated: after the compensated store of {@code p + u}, the stored parameter is divided
 * by {@code 1 + lr·λ} and rounded to nearest even again. Kahan compensation covers the update,
 * not this division (as in Adan's reference, where the decay is a separate in-place division).
 * Generated code calls it once per block.
 */
public final class ProximalStore {
  private ProximalStore() {}

  /** {@code param[base, base + n) ← round(param / divisor)}, bf16 bits. */
  public static void divideBf16(short[] param, int base, int n, float divisor) {
    for (int i = base; i < base + n; i++) {
      param[i] = Bf16.fromFloat(Bf16.toFloat(param[i]) / divisor);
    }
  }

  /** {@code param[base, base + n) ← round(param / divisor)}, fp16 bits. */
  public static void divideFp16(short[] param, int base, int n, float divisor) {
    for (int i = base; i < base + n; i++) {
      param[i] = Fp16.fromFloat(Fp16.toFloat(param[i]) / divisor);
    }
  }
}
