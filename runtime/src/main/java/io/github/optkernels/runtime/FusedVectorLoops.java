package io.github.optkernels.runtime;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Loads a generated 16-bit kernel's fused Vector API loops ({@code XBf16VectorLoops}, generated
 * when the kernel was compiled with {@code jdk.incubator.vector} visible). The kernel calls this
 * once, from its class initialisation, and keeps the result: the fused loops when {@link #status()}
 * says this JVM runs them, else null, and the kernel runs its block loops (whose conversions still
 * use the Vector API where {@link HalfArrays#usesVectorApi()}), so a JVM without the module never
 * touches a class that needs it. Both flavours give the same bits.
 *
 * <p>Whether the fused loops run is decided once per JVM:
 * <ul>
 *   <li>never without the Vector API ({@link HalfArrays#usesVectorApi()}), or with
 *       {@code -Doptkernels.fusedLoops=false};
 *   <li>not by default on JDK 17 to 20 with vectors wider than 256 bits (AVX-512): there C2, when
 *       it recompiles a fused loop after a deoptimization (a vector with an unusual lane, such as
 *       an fp16 overflow, that the first compilation had not seen), loses the Vector API's
 *       constants and runs the loop's vector operations through their allocating Java fallbacks:
 *       measured, about 190 kB allocated per step of a 1,538-element AdaBelief + AMSGrad tensor
 *       pair, every step from then on, in 2 of 3 runs; never with 256-bit vectors on JDK 17, nor
 *       on JDK 25. {@code -Doptkernels.fusedLoops=true} runs them there anyway;
 *   <li>otherwise yes.
 * </ul>
 * Logged through {@link System.Logger} {@code io.github.optkernels}: the decision at DEBUG (quiet
 * by default; ask {@link #status()} or the kernel's {@code usesFusedLoops()} instead), a class
 * that fails to load at WARNING, since the kernel then falls back to its block loops although the
 * Vector API runs.
 */
public final class FusedVectorLoops {
  private static final System.Logger LOG = System.getLogger("io.github.optkernels");

  /**
   * {@code -Doptkernels.fusedLoops=false} keeps the block loops while the conversions still use the
   * Vector API (for comparing the two flavours); {@code =true} runs the fused loops also where the
   * default does not (JDK 17 to 20 with vectors wider than 256 bits).
   */
  public static final String PROPERTY = "optkernels.fusedLoops";

  /** Why this JVM runs the block loops, or null if it runs the fused ones; decided once. */
  private static final String WHY_NOT = whyNot(HalfArrays.usesVectorApi(), Runtime.version().feature(),
      HalfArrays.vectorBitSize(), System.getProperty(PROPERTY));

  static {
    LOG.log(Level.DEBUG, "optkernels: 16-bit kernels run " + status());
  }

  private FusedVectorLoops() {}

  /**
   * Whether this JVM runs fused Vector API loops where a kernel has them ({@link #status()} says
   * why not); decided once.
   */
  public static boolean enabled() {
    return WHY_NOT == null;
  }

  /**
   * Whether 16-bit kernels run their fused Vector API loops in this JVM ({@code "fused Vector API
   * loops"}), or which loops they run and why ({@code "block loops (...)"}). Decided once per JVM;
   * a kernel compiled without the module has no fused loops whatever this says.
   */
  public static String status() {
    return enabled() ? "fused Vector API loops" : "block loops (" + WHY_NOT + ")";
  }

  /**
   * The rule of the class comment: why not to run the fused loops, or null to run them.
   *
   * @param vectorApi whether the conversions run on the Vector API
   * @param jdk the JDK's feature release, e.g. 17
   * @param vectorBits the width of the Vector API's float vectors
   * @param property the value of {@code -Doptkernels.fusedLoops}, or null
   */
  static String whyNot(boolean vectorApi, int jdk, int vectorBits, String property) {
    if (!vectorApi) {
      return "the Vector API is not used: " + HalfArrays.implementation();
    }
    if ("false".equalsIgnoreCase(property)) {
      return "-D" + PROPERTY + "=false";
    }
    if (jdk < 21 && vectorBits > 256 && !"true".equalsIgnoreCase(property)) {
      return "JDK " + jdk + " with " + vectorBits + "-bit vectors: C2 can lose the Vector API's"
          + " intrinsics when it recompiles a fused loop, and the loop then allocates every step;"
          + " -D" + PROPERTY + "=true runs them anyway";
    }
    return null;
  }

  /**
   * The fused loops {@code className}, instantiated through the kernel's own lookup (the class and
   * its constructor are package-private), or null if this JVM does not run them ({@link #status()}).
   *
   * @param kernel the kernel's {@code MethodHandles.lookup()}
   * @param contract the kernel's {@code Loops} interface
   * @param className the fused loops' binary name
   */
  public static <T> T load(MethodHandles.Lookup kernel, Class<T> contract, String className) {
    if (!enabled()) {
      return null;
    }
    try {
      Class<?> type = kernel.findClass(className);
      MethodHandle constructor = kernel.findConstructor(type, MethodType.methodType(void.class));
      T loops = contract.cast(constructor.invoke());
      String stale = staleRounding(kernel, type, loops);
      if (stale != null) {
        LOG.log(Level.WARNING, "optkernels: " + kernel.lookupClass().getSimpleName() + " runs its block loops: "
            + stale);
        return null;
      }
      LOG.log(Level.DEBUG, "optkernels: " + kernel.lookupClass().getSimpleName() + " runs fused Vector API loops");
      return loops;
    } catch (Throwable e) {
      if (e instanceof VirtualMachineError fatal) {
        throw fatal;
      }
      LOG.log(Level.WARNING, "optkernels: " + kernel.lookupClass().getSimpleName()
          + " runs its block loops: its fused Vector API loops could not be loaded: " + e);
      return null;
    }
  }

  /**
   * Why fused loops compiled against another runtime must not run here, or null: they carry the
   * {@link HalfBits#REVISION} they were compiled with ({@code roundingRevision()}), and a different
   * one may round differently from this runtime's block conversions.
   */
  static String staleRounding(MethodHandles.Lookup lookup, Class<?> type, Object loops) throws Throwable {
    int compiled = (int) lookup.findVirtual(type, "roundingRevision", MethodType.methodType(int.class))
        .invoke(loops);
    return compiled == HalfBits.REVISION ? null
        : "its fused loops were compiled against 16-bit rounding revision " + compiled + " and this runtime"
            + " has revision " + HalfBits.REVISION + " (compile the spec against this runtime to use them)";
  }
}
