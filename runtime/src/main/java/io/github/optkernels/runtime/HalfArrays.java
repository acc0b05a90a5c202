package io.github.optkernels.runtime;

import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * Block conversions between 16-bit storage ({@code short[]} holding bf16 or fp16 bits) and
 * float32 scratch, used by generated 16-bit kernels: each kernel loop widens a block of its
 * tensors into float32 scratch, runs the same float32 element loop as the float kernel over it
 * (which C2 vectorizes), and narrows the block back, rounding to nearest even, stochastically, or
 * with Kahan compensation. Why the loop is split this way is in {@code docs/KERNEL_LOOPS.md}:
 * C2 (JDK 17 to 25) vectorizes neither {@code Float.intBitsToFloat} nor short/int lane changes,
 * so a fused 16-bit loop runs entirely scalar.
 *
 * <p>The conversions themselves have two implementations, chosen once, when this class is
 * initialised (the Lucene/netlib pattern): the Vector API ({@code jdk.incubator.vector}) when the
 * JVM was started with {@code --add-modules jdk.incubator.vector}, otherwise plain Java. Both give
 * bit-identical results. {@code -Doptkernels.vector=false} forces plain Java. Nothing else needs a
 * JVM flag.
 *
 * <p>Which path runs, and why: {@link #implementation()} says it in words (for plain Java, why the
 * Vector API is not used), {@link #usesVectorApi()} as a boolean, and each generated 16-bit
 * kernel's {@code usesFusedLoops()} whether that kernel also runs fused Vector API loops. The
 * choice is also logged once through {@link System.Logger} (logger {@code io.github.optkernels}),
 * so it follows whatever logging the application uses: at {@code DEBUG}, which default
 * configurations do not print (with {@code java.util.logging}, set
 * {@code io.github.optkernels.level = FINE} and a handler's level to {@code FINE} to see it), or at
 * {@code WARNING} when the JVM has {@code jdk.incubator.vector} but the Vector API could not be
 * used: the application asked for it, so a fall-back to plain Java is not kept quiet.
 *
 * <p>Element indices: {@code from} is the index in the tensor of a block's first element, so the
 * stochastic-rounding noise of an element depends on its index in the tensor, never on how the
 * tensor was split into blocks or ranges.
 */
public final class HalfArrays {
  /**
   * Elements per block: five float32 scratch buffers of this length (10 KiB) stay in L1 next to
   * the tensors' blocks, and the per-block overhead (a few calls) is spread over 512 elements.
   */
  public static final int BLOCK = 512;

  /** The conversions, one implementation per process. */
  interface Impl {
    String name();

    /** The width of the float vectors it computes with; 0 for plain Java. */
    default int vectorBitSize() {
      return 0;
    }

    void bf16ToFloat(short[] bits, int from, float[] block, int n);

    void fp16ToFloat(short[] bits, int from, float[] block, int n);

    void floatToBf16(float[] block, short[] bits, int from, int n);

    void floatToFp16(float[] block, short[] bits, int from, int n);

    void floatToBf16Stochastic(float[] block, short[] bits, int from, int n, int noiseKey);

    void floatToFp16Stochastic(float[] block, short[] bits, int from, int n, int noiseKey);

    /** {@code block[0, n)} rounded to bf16 in place: each value becomes its nearest-even bf16's. */
    void roundBf16(float[] block, int n);

    /** As {@link #roundBf16}, to fp16. */
    void roundFp16(float[] block, int n);
  }

  private static final String VECTOR_MODULE = "jdk.incubator.vector";
  private static final String VECTOR_IMPL = "io.github.optkernels.runtime.VectorHalfArrays";
  private static final System.Logger LOG = System.getLogger("io.github.optkernels");
  // before the choice: the vector implementation's self-check uses a block
  private static final ThreadLocal<Block> BLOCKS = ThreadLocal.withInitial(Block::new);
  private static final Choice CHOICE = choose();
  private static final Impl IMPL = CHOICE.impl();

  private HalfArrays() {}

  /**
   * A thread's float32 scratch: {@link Block#BUFFERS} buffers of {@link #BLOCK} elements.
   * Allocated on a thread's first 16-bit step, then reused; a kernel may run on several threads
   * at once because each uses its own.
   */
  public static final class Block {
    /**
     * The most buffers a kernel loop may use: parameter, gradient and up to 14 state slots (a
     * rule's own; the built-in family uses three). Each is allocated on its first use.
     */
    public static final int BUFFERS = 16;
    private final float[][] buffers = new float[BUFFERS][];
    /** Two more, for the Kahan store's intermediate values. */
    private final float[] kahanParam = new float[BLOCK];
    private final float[] kahanComp = new float[BLOCK];

    private Block() {}

    /** Scratch buffer {@code k} (0 ≤ k &lt; {@link #BUFFERS}) of this thread. */
    public float[] buffer(int k) {
      float[] buffer = buffers[k];
      if (buffer == null) {
        buffer = new float[BLOCK];
        buffers[k] = buffer;
      }
      return buffer;
    }


  }

  /** The calling thread's scratch. */
  public static Block block() {
    return BLOCKS.get();
  }

  /**
   * Which implementation runs, e.g. {@code "the Vector API (256-bit)"}, or for plain Java why the
   * Vector API is not used, e.g. {@code "plain Java (jdk.incubator.vector is not enabled (start
   * java with --add-modules jdk.incubator.vector to use it))"}. Decided once per JVM, when this
   * class is first used; the same text is logged then.
   */
  public static String implementation() {
    return CHOICE.description();
  }

  /** The width of the Vector API's float vectors in this JVM (256, 512), or 0 for plain Java. */
  static int vectorBitSize() {
    return IMPL.vectorBitSize();
  }

  /**
   * Whether the conversions run on the Vector API in this JVM; generated kernels then also use
   * their fused Vector API loops where {@link FusedVectorLoops#status()} says so.
   */
  public static boolean usesVectorApi() {
    return IMPL != ScalarHalfArrays.INSTANCE;
  }

  /** {@code block[0, n) ← bf16 bits[from, from + n)}, exactly. */
  public static void bf16ToFloat(short[] bits, int from, float[] block, int n) {
    IMPL.bf16ToFloat(bits, from, block, n);
  }

  /** {@code block[0, n) ← fp16 bits[from, from + n)}, exactly. */
  public static void fp16ToFloat(short[] bits, int from, float[] block, int n) {
    IMPL.fp16ToFloat(bits, from, block, n);
  }

  /** {@code bits[from, from + n) ← block[0, n)} rounded to nearest even bf16. */
  public static void floatToBf16(float[] block, short[] bits, int from, int n) {
    IMPL.floatToBf16(block, bits, from, n);
  }

  /** {@code bits[from, from + n) ← block[0, n)} rounded to nearest even fp16. */
  public static void floatToFp16(float[] block, short[] bits, int from, int n) {
    IMPL.floatToFp16(block, bits, from, n);
  }

  /**
   * {@code bits[from + j] ← block[j]} rounded stochastically to bf16, with the noise
   * {@link RoundingNoise#bits}{@code (noiseKey, from + j)}.
   */
  public static void floatToBf16Stochastic(float[] block, short[] bits, int from, int n, int noiseKey) {
    IMPL.floatToBf16Stochastic(block, bits, from, n, noiseKey);
  }

  /** As {@link #floatToBf16Stochastic}, to fp16. */
  public static void floatToFp16Stochastic(float[] block, short[] bits, int from, int n, int noiseKey) {
    IMPL.floatToFp16Stochastic(block, bits, from, n, noiseKey);
  }

  /**
   * Kahan-compensated parameter store (optimi's scheme, conformance README section 5): with
   * {@code p} the bf16 parameter {@code param[from + j]}, {@code c} its compensation
   * {@code comp[from + j]} and {@code u = block[j] − p} the step's update (the block holds the
   * updated parameter in float32), {@code c ← round(c + u); p' ← round(p + c);
   * c ← round(c + round(p − p'))}, every {@code round} to bf16, nearest even. Overwrites the
   * block. At most {@link #BLOCK} elements per call.
   */
  public static void kahanBf16(float[] block, short[] param, short[] comp, int from, int n) {
    kahan(true, block, param, comp, from, n);
  }

  /** As {@link #kahanBf16}, in fp16. */
  public static void kahanFp16(float[] block, short[] param, short[] comp, int from, int n) {
    kahan(false, block, param, comp, from, n);
  }

  /**
   * The scheme as passes over the block: widening, rounding in place and narrowing passes of the
   * implementation, and float32 loops over the same indices (which C2 vectorizes) for the
   * arithmetic. Written once for both implementations, so they agree by construction. Why not one
   * loop: per element the scheme is a chain of nine dependent roundings, so a fused scalar loop is
   * bound by their latency (30 ns per fp16 element, measured; passes of independent elements
   * take a third of that), and a fused vector loop exceeded C2's inlining budget.
   */
  private static void kahan(boolean bf16, float[] block, short[] param, short[] comp, int from, int n) {
    if (n > BLOCK) {
      throw new IllegalArgumentException("at most " + BLOCK + " elements per Kahan store, got " + n);
    }
    Block scratch = BLOCKS.get();
    float[] p = scratch.kahanParam;
    float[] c = scratch.kahanComp;
    if (bf16) {
      IMPL.bf16ToFloat(param, from, p, n);
      IMPL.bf16ToFloat(comp, from, c, n);
    } else {
      IMPL.fp16ToFloat(param, from, p, n);
      IMPL.fp16ToFloat(comp, from, c, n);
    }
    for (int j = 0; j < n; j++) {
      c[j] = c[j] + (block[j] - p[j]);
    }
    round(bf16, c, n);                                  // c ← round(c + u)
    for (int j = 0; j < n; j++) {
      block[j] = p[j] + c[j];
    }
    round(bf16, block, n);                              // p' ← round(p + c)
    for (int j = 0; j < n; j++) {
      p[j] = p[j] - block[j];
    }
    round(bf16, p, n);                                  // round(p − p')
    for (int j = 0; j < n; j++) {
      c[j] = c[j] + p[j];
    }
    if (bf16) {
      IMPL.floatToBf16(block, param, from, n);          // exact: already rounded
      IMPL.floatToBf16(c, comp, from, n);               // c ← round(c + round(p − p'))
    } else {
      IMPL.floatToFp16(block, param, from, n);
      IMPL.floatToFp16(c, comp, from, n);
    }
  }

  private static void round(boolean bf16, float[] block, int n) {
    if (bf16) {
      IMPL.roundBf16(block, n);
    } else {
      IMPL.roundFp16(block, n);
    }
  }


  /** The plain-Java implementation; the reference the vector one is tested against. */
  static Impl scalar() {
    return ScalarHalfArrays.INSTANCE;
  }

  /** The Vector API implementation if this JVM can run it, with the reason if not. */
  static Optional<Impl> vector(StringBuilder whyNot) {
    if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
      whyNot.append(VECTOR_MODULE).append(" is not enabled (start java with --add-modules ")
          .append(VECTOR_MODULE).append(" to use it)");
      return Optional.empty();
    }
    try {
      Impl vector = (Impl) Class.forName(VECTOR_IMPL).getDeclaredConstructor().newInstance();
      // called out of line: inlined into a deep caller, its vectors would be boxed
      return Optional.of(new OutOfLineHalfArrays(vector));
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      // e.g. a JDK whose incubating API changed, or a vector shape it cannot use
      whyNot.append("the Vector API could not be used: ").append(e);
      return Optional.empty();
    }
  }

  private record Choice(Impl impl, String description) {}

  private static Choice choose() {
    StringBuilder whyNot = new StringBuilder();
    Optional<Impl> vector;
    boolean turnedOff = "false".equalsIgnoreCase(System.getProperty("optkernels.vector", "true"));
    if (turnedOff) {
      whyNot.append("-Doptkernels.vector=false");
      vector = Optional.empty();
    } else {
      vector = vector(whyNot);
    }
    Choice choice = vector.isPresent() ? new Choice(vector.get(), vector.get().name())
        : new Choice(ScalarHalfArrays.INSTANCE, ScalarHalfArrays.INSTANCE.name() + " (" + whyNot + ")");
    // Quiet by default: every program with a 16-bit kernel would otherwise print this line. Loud
    // only when the JVM was started with the module, so the Vector API was asked for, and failed.
    boolean askedForAndFailed = vector.isEmpty() && !turnedOff
        && ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    LOG.log(askedForAndFailed ? Level.WARNING : Level.DEBUG,
        "optkernels: 16-bit kernels convert with " + choice.description());
    return choice;
  }
}
