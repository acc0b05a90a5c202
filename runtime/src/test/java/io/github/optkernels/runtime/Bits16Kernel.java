package io.github.optkernels.runtime;

import java.util.List;

/**
 * A stand-in for a 16-bit-state kernel: {@code float[]} buffers, one {@code short[]} state array
 * holding the bfloat16 bits of {@code m ← m/2 + g}; {@code p ← p − lr·m}. Exists so checkpoints
 * are tested with every element type the format knows.
 */
final class Bits16Kernel implements StepKernel {
  /** What the state array is declared to hold; the arithmetic below is bf16's either way. */
  private final HalfFormat format;
  /** The last seed the optimizer gave it (the arithmetic rounds to nearest and does not use it). */
  long roundingSeed = -1;
  private float lr;
  private StepPhase phase;

  @Override
  public List<String> stateNames() {
    return List.of("m_bf16");
  }

  @Override
  public Class<?> bufferType() {
    return float[].class;
  }

  @Override
  public List<Class<?>> stateTypes() {
    return List.of(short[].class);
  }

  Bits16Kernel() {
    this(HalfFormat.BF16);
  }

  Bits16Kernel(HalfFormat format) {
    this.format = format;
  }

  @Override
  public HalfFormat halfFormat() {
    return format;
  }

  @Override
  public void setRoundingSeed(long tensorSeed) {
    roundingSeed = tensorSeed;
  }

  @Override
  public void prepare(long step, double[] carried, HyperparameterValues h) {
    lr = (float) h.lr();
    phase = StepPhase.ADAPTIVE;
  }

  @Override
  public StepPhase phase() {
    return phase;
  }

  @Override
  public void update(Object param, Object grad, Object[] state, int from, int to) {
    float[] p = (float[]) param;
    float[] g = (float[]) grad;
    short[] m = (short[]) state[0];
    for (int i = from; i < to; i++) {
      float value = Float.intBitsToFloat(m[i] << 16) * 0.5f + g[i];
      m[i] = (short) (Float.floatToRawIntBits(value) >>> 16);
      p[i] -= lr * value;
    }
  }
}
