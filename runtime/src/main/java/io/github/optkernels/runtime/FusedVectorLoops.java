package io.github.optkernels.runtime;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Loads a generated 16-bit kernel's fused Vector API loops ({@code XBf16VectorLoops}, generated
 * when the kernel was compiled with {@code jdk.incubator.vector} visible). The kernel calls this
 * once, from its class initialisation, and keeps the result: the fused loops when this JVM runs
 * the Vector API ({@link HalfArrays#usesVectorApi()}: started with
 * {@code --add-modules jdk.incubator.vector}, not turned off with {@code -Doptkernels.vector=false},
 * self-check passed, and not {@code -Doptkernels.fusedLoops=false}), else null, and the kernel runs
 * its block loops, so a JVM without the module never touches a class that needs it. Logged through
 * {@link System.Logger} {@code io.github.optkernels}: loaded loops at DEBUG (quiet by default; ask
 * the kernel's {@code usesFusedLoops()} instead), a class that fails to load at WARNING, since the
 * kernel then falls back to its block loops although the Vector API runs.
 */
public final class FusedVectorLoops {
  private static final System.Logger LOG = System.getLogger("io.github.optkernels");

  /**
   * {@code -Doptkernels.fusedLoops=false} keeps the block loops while the conversions still use the
   * Vector API: for comparing the two flavours.
   */
  public static final String PROPERTY = "optkernels.fusedLoops";

  private FusedVectorLoops() {}

  /**
   * The fused loops {@code className}, instantiated through the kernel's own lookup (the class and
   * its constructor are package-private), or null if this JVM does not run the Vector API.
   *
   * @param kernel the kernel's {@code MethodHandles.lookup()}
   * @param contract the kernel's {@code Loops} interface
   * @param className the fused loops' binary name
   */
  public static <T> T load(MethodHandles.Lookup kernel, Class<T> contract, String className) {
    if (!HalfArrays.usesVectorApi() || "false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"))) {
      return null;
    }
    try {
      Class<?> type = kernel.findClass(className);
      MethodHandle constructor = kernel.findConstructor(type, MethodType.methodType(void.class));
      T loops = contract.cast(constructor.invoke());
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
}
