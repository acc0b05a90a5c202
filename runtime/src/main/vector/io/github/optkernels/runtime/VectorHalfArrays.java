package io.github.optkernels.runtime;

/**
 * The Vector API block conversions (incubating {@code jdk.incubator.vector}, JDK 17 and later),
 * bit-identical to {@link ScalarHalfArrays}. Loaded by {@link HalfArrays} only when the JVM runs
 * with {@code --add-modules jdk.incubator.vector}; compiled separately from the rest of the
 * runtime (see the runtime's pom), since nothing else may depend on an incubating module.
 *
 * <p>The loops themselves are {@link VectorBlockConversions}, generated when the runtime is built
 * from the templates the annotation processor prints into fused loops (optkernels-codegen's
 * {@code HalfVectorCode}), so the sequence of operations is written once. This class checks the
 * lane layout and the JDK's intrinsics once, and forwards.
 *
 * <p>Lanes: float32 at the preferred width (8 with AVX2, 16 with AVX-512), the 16-bit data in a
 * vector of half that width, widened and narrowed with {@code S2I}/{@code I2S} conversions. A
 * tail shorter than a vector, and a vector with a lane the vector code does not round as plain
 * Java does (a NaN, an fp16 overflow, ...), go through the scalar code.
 */
final class VectorHalfArrays implements HalfArrays.Impl {
  VectorHalfArrays() {
    int lanes = VectorBlockConversions.floatLanes();
    if (VectorBlockConversions.intLanes() != lanes || lanes < 4) {
      throw new UnsupportedOperationException("preferred vectors hold " + lanes + " floats");
    }
    selfCheck();
  }

  /**
   * Runs every operation on a few awkward values (signed zeros, subnormals, ties, overflow, Inf,
   * NaN) and compares with the scalar code, so that a JDK whose vector intrinsics misbehave falls
   * back to plain Java instead of computing something else.
   */
  private void selfCheck() {
    float[] values = {0f, -0f, 1f, -1.00390625f, 1.0078125f, 0x1p-24f, -0x1.8p-25f, 0x1p-140f,
        65504f, 65520f, -70000f, 3.3895314e38f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.NaN, 0.1f, -2.5e-3f, 1234.5677f, 0x1.0101p-14f, 7.0e-8f};
    int n = 2 * VectorBlockConversions.floatLanes() + 3;
    float[] block = new float[n];
    short[] bits = new short[n];
    for (int k = 0; k < n; k++) {
      block[k] = values[k % values.length];
      bits[k] = (short) (0x3F80 + 0x1111 * k);
    }
    HalfArrays.Impl scalar = ScalarHalfArrays.INSTANCE;
    for (int op = 0; op < 8; op++) {
      short[] mine = bits.clone();
      short[] theirs = bits.clone();
      float[] myBlock = block.clone();
      float[] theirBlock = block.clone();
      switch (op) {
        case 0 -> { bf16ToFloat(bits, 1, myBlock, n - 1); scalar.bf16ToFloat(bits, 1, theirBlock, n - 1); }
        case 1 -> { fp16ToFloat(bits, 1, myBlock, n - 1); scalar.fp16ToFloat(bits, 1, theirBlock, n - 1); }
        case 2 -> { floatToBf16(block, mine, 1, n - 1); scalar.floatToBf16(block, theirs, 1, n - 1); }
        case 3 -> { floatToFp16(block, mine, 1, n - 1); scalar.floatToFp16(block, theirs, 1, n - 1); }
        case 4 -> { floatToBf16Stochastic(block, mine, 1, n - 1, 7); scalar.floatToBf16Stochastic(block, theirs, 1, n - 1, 7); }
        case 5 -> { floatToFp16Stochastic(block, mine, 1, n - 1, 7); scalar.floatToFp16Stochastic(block, theirs, 1, n - 1, 7); }
        case 6 -> { roundBf16(myBlock, n - 1); scalar.roundBf16(theirBlock, n - 1); }
        default -> { roundFp16(myBlock, n - 1); scalar.roundFp16(theirBlock, n - 1); }
      }
      if (!java.util.Arrays.equals(mine, theirs) || !java.util.Arrays.equals(floatBits(myBlock), floatBits(theirBlock))) {
        throw new IllegalStateException("vector conversion " + op + " disagrees with the scalar one");
      }
    }
  }

  private static int[] floatBits(float[] values) {
    int[] bits = new int[values.length];
    for (int k = 0; k < values.length; k++) {
      bits[k] = Float.floatToRawIntBits(values[k]);
    }
    return bits;
  }

  @Override
  public String name() {
    return "the Vector API (" + VectorBlockConversions.vectorBitSize() + "-bit)";
  }

  @Override
  public int vectorBitSize() {
    return VectorBlockConversions.vectorBitSize();
  }

  // ---- block operations ----
  //
  // Each generated loop takes and returns only arrays: C2 stops inlining a compilation's own
  // methods once it has parsed enough nodes (NodeCountInliningCutoff), and a vector crossing a call
  // that was not inlined is boxed on the heap. HalfArrays calls these methods out of line
  // (OutOfLineHalfArrays), so each is compiled on its own, with the whole budget, never partly
  // inlined into a deep caller.

  @Override
  public void bf16ToFloat(short[] bits, int from, float[] block, int n) {
    VectorBlockConversions.bf16ToFloat(bits, from, block, n);
  }

  @Override
  public void fp16ToFloat(short[] bits, int from, float[] block, int n) {
    VectorBlockConversions.fp16ToFloat(bits, from, block, n);
  }

  @Override
  public void floatToBf16(float[] block, short[] bits, int from, int n) {
    VectorBlockConversions.floatToBf16(block, bits, from, n);
  }

  @Override
  public void floatToFp16(float[] block, short[] bits, int from, int n) {
    VectorBlockConversions.floatToFp16(block, bits, from, n);
  }

  @Override
  public void floatToBf16Stochastic(float[] block, short[] bits, int from, int n, int noiseKey) {
    VectorBlockConversions.floatToBf16Stochastic(block, bits, from, n, noiseKey);
  }

  @Override
  public void floatToFp16Stochastic(float[] block, short[] bits, int from, int n, int noiseKey) {
    VectorBlockConversions.floatToFp16Stochastic(block, bits, from, n, noiseKey);
  }

  @Override
  public void roundBf16(float[] block, int n) {
    VectorBlockConversions.roundBf16(block, n);
  }

  @Override
  public void roundFp16(float[] block, int n) {
    VectorBlockConversions.roundFp16(block, n);
  }
}
