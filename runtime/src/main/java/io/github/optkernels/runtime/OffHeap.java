package io.github.optkernels.runtime;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;

/**
 * How this JVM steps off-heap tensors ({@link KernelOptimizer#addDirect}): which paths run,
 * chosen once. See {@code docs/RUNTIME.md}, "Off-heap tensors".
 *
 * <p><b>In place</b>, the fast path: a kernel compiled for Java 22 or later with
 * {@code jdk.incubator.vector} visible has loops over native memory ({@link SegmentLoops}),
 * printed from the same kernel IR as its array loops, which load and store the tensor's memory
 * with the Vector API. They run where this JVM is 22 or later, started with
 * {@code --add-modules jdk.incubator.vector}, and the library was built on JDK 22+ (it then has
 * {@code SegmentTensors}, through which the buffers are seen as segments); {@link #segmentLoops()}
 * says whether they do here. The tail of a range (fewer elements than a vector) and any vector the
 * loops leave alone go through the chunk copy below, so the results are the array kernel's bits.
 *
 * <p><b>Chunk copy</b>, plain Java on every JDK from 17, for every other kernel: each range of a
 * tensor is stepped in chunks of {@value #CHUNK} elements, copied from the direct buffers into
 * per-thread heap scratch, updated there by the spec's generated array kernel (the same code, so
 * the same bits as heap arrays), and copied back. The copies are memory copies and the chunk stays
 * in the core's cache, but moving every buffer through scratch costs about twice a float32 step
 * (docs/RUNTIME.md); a scalar loop over the buffers would be slower still on JDK 17, whose C2
 * does not vectorize {@code FloatBuffer} accesses.
 */
public final class OffHeap {
  /**
   * Elements per chunk: the parameter, gradient and two float32 moments of a chunk take 4 × 16 KiB,
   * which stays in L2 between the copy in, the update and the copy back.
   */
  public static final int CHUNK = 4096;

  /**
   * {@code -Doptkernels.segmentLoops=false} steps every off-heap tensor through the chunk copy, also
   * where its kernel has loops over native memory (for comparing the two paths).
   */
  public static final String SEGMENT_LOOPS_PROPERTY = "optkernels.segmentLoops";

  /** The JDK 22 layer's class, present in a library built on JDK 22 or later. */
  static final String SEGMENT_TENSORS = "io.github.optkernels.runtime.SegmentTensors";

  private static final System.Logger LOG = System.getLogger("io.github.optkernels");

  /** The JDK 22 layer's NaN/Inf check of a gradient in native memory. */
  static final String SEGMENT_SCAN = "io.github.optkernels.runtime.SegmentScan";

  /** {@code SegmentTensors.segmentOf(ByteBuffer)}, or null where this JVM or build has no segments. */
  private static final MethodHandle SEGMENT_OF = layerMethod(SEGMENT_TENSORS, "segmentOf",
      MethodType.methodType(Object.class, ByteBuffer.class));

  /** {@code SegmentScan.allFinite(Object, int, int, int)}, or null where this JVM or build has no segments. */
  private static final MethodHandle ALL_FINITE = layerMethod(SEGMENT_SCAN, "allFinite",
      MethodType.methodType(boolean.class, Object.class, int.class, int.class, int.class));

  /** Why off-heap tensors are not stepped in place here, or null if kernels with segment loops are; decided once. */
  private static final String WHY_NOT_IN_PLACE = whyNotInPlace(Runtime.version().feature(), SEGMENT_OF != null,
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(), System.getProperty(SEGMENT_LOOPS_PROPERTY));

  private static final String IMPLEMENTATION = (WHY_NOT_IN_PLACE == null
      ? "in place by the kernel's Vector API loops over native memory where it has them (compiled for Java 22+),"
          + " else chunk copy: "
      : "chunk copy: ") + CHUNK + " elements at a time through per-thread heap scratch, stepped by the generated"
      + " array kernel; " + segments();

  static {
    LOG.log(Level.DEBUG, "optkernels: off-heap tensors run " + IMPLEMENTATION);
  }

  private OffHeap() {}

  /** Which paths step off-heap tensors in this JVM, in words, and whether segments can be registered. */
  public static String implementation() {
    return IMPLEMENTATION;
  }

  /**
   * Whether this JVM steps off-heap tensors in place where their kernel has loops over native
   * memory ({@code "in place: ..."}), or why not ({@code "chunk copy: ..."}). Decided once per JVM;
   * a kernel compiled without such loops is stepped by the chunk copy whatever this says (its
   * {@link StepKernel#segmentLoops()} is null).
   */
  public static String segmentLoops() {
    return WHY_NOT_IN_PLACE == null ? "in place: Vector API loops over native memory"
        : "chunk copy: " + WHY_NOT_IN_PLACE;
  }

  /**
   * Whether {@code optimizer} steps off-heap tensors of {@code format} in place in this JVM: its
   * kernel for the format has loops over native memory and this JVM runs them
   * ({@link #segmentLoops()}); false for a format the spec does not generate. A framework that can
   * either register its memory or copy it to arrays can ask this: where it is false, heap copies
   * of the parameter and gradient cost less than the chunk copy of every buffer.
   */
  public static boolean stepsInPlace(KernelOptimizer optimizer, BufferFormat format) {
    if (WHY_NOT_IN_PLACE != null) {
      return false;
    }
    StepKernel kernel = format.halfFormat() == null ? optimizer.newKernel(format.arrayType())
        : optimizer.newHalfKernel(format.halfFormat());
    return kernel != null && !kernel.roundsStochastically() && kernel.segmentLoops() != null;
  }

  /**
   * The rule of {@link #segmentLoops()}: why not to run loops over native memory, or null to run them.
   *
   * @param jdk the JDK's feature release
   * @param segments whether the library has its JDK 22 layer ({@code SegmentTensors})
   * @param vectorApi whether {@code jdk.incubator.vector} is in the boot layer
   * @param property the value of {@code -Doptkernels.segmentLoops}, or null
   */
  static String whyNotInPlace(int jdk, boolean segments, boolean vectorApi, String property) {
    if (jdk < 22) {
      return "loops over native memory need JDK 22 or later (this is " + jdk + ")";
    }
    if (!segments) {
      return "this optkernels-runtime was built on a JDK older than 22 and has no MemorySegment layer";
    }
    if (!vectorApi) {
      return "the JVM runs without jdk.incubator.vector (start java with --add-modules jdk.incubator.vector)";
    }
    if ("false".equalsIgnoreCase(property)) {
      return "-D" + SEGMENT_LOOPS_PROPERTY + "=false";
    }
    return null;
  }

  /**
   * A generated kernel's loops over native memory {@code className}, instantiated through the
   * kernel's own lookup (the class is package-private), or null if this JVM does not run them
   * ({@link #segmentLoops()}), they cannot be loaded (logged at WARNING: the kernel then runs the
   * chunk copy although it need not), or they were compiled against another 16-bit rounding
   * revision than this runtime's.
   *
   * @param kernel the kernel's {@code MethodHandles.lookup()}
   * @param className the loops' binary name
   */
  public static SegmentLoops loadSegmentLoops(MethodHandles.Lookup kernel, String className) {
    if (WHY_NOT_IN_PLACE != null) {
      return null;
    }
    try {
      Class<?> type = kernel.findClass(className);
      MethodHandle constructor = kernel.findConstructor(type, MethodType.methodType(void.class));
      SegmentLoops loops = (SegmentLoops) constructor.invoke();
      if (loops.roundingRevision() != HalfBits.REVISION) {
        LOG.log(Level.WARNING, "optkernels: " + kernel.lookupClass().getSimpleName() + " steps off-heap tensors"
            + " through the chunk copy: its loops over native memory were compiled against 16-bit rounding"
            + " revision " + loops.roundingRevision() + " and this runtime has " + HalfBits.REVISION);
        return null;
      }
      return loops;
    } catch (Throwable e) {
      if (e instanceof VirtualMachineError fatal) {
        throw fatal;
      }
      LOG.log(Level.WARNING, "optkernels: " + kernel.lookupClass().getSimpleName() + " steps off-heap tensors"
          + " through the chunk copy: its loops over native memory could not be loaded: " + e);
      return null;
    }
  }

  /**
   * {@code buffer}'s memory as a {@code MemorySegment} (typed Object: this class is compiled for
   * Java 17), or null where this JVM or build has none, or does not step in place.
   */
  static Object segmentOf(ByteBuffer buffer) {
    if (SEGMENT_OF == null || WHY_NOT_IN_PLACE != null) {
      return null;
    }
    try {
      return (Object) SEGMENT_OF.invokeExact(buffer);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether every element of {@code [from, to)} of a float32 or float64 gradient in native memory
   * is finite, read in place ({@code SegmentScan}); false where that cannot be told that way (no
   * segment view, 16-bit elements), so the caller searches the range itself. The range is the
   * caller's to check.
   */
  static boolean allFinite(DirectBuffer grad, int from, int to) {
    BufferFormat format = grad.format;
    if (ALL_FINITE == null || grad.segment == null || format.halfFormat() != null) {
      return false;
    }
    try {
      return (boolean) ALL_FINITE.invokeExact(grad.segment, format.bytes(), from, to);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /** A static method of a class of the JDK 22 layer, or null where this JVM or build has none. */
  static MethodHandle layerMethod(String className, String name, MethodType type) {
    if (Runtime.version().feature() < 22) {
      return null;
    }
    try {
      Class<?> layer = Class.forName(className, false, OffHeap.class.getClassLoader());
      return MethodHandles.lookup().findStatic(layer, name, type);
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }

  /** Whether this JVM and this build have {@code SegmentTensors}, in words. */
  private static String segments() {
    if (Runtime.version().feature() < 22) {
      return "MemorySegment tensors need JDK 22 or later (this is " + Runtime.version().feature() + ")";
    }
    try {
      Class.forName(SEGMENT_TENSORS, false, OffHeap.class.getClassLoader());
      return "MemorySegment tensors registered with SegmentTensors";
    } catch (ClassNotFoundException | LinkageError e) {
      return "MemorySegment tensors need a library built on JDK 22 or later (this one has no SegmentTensors)";
    }
  }
}
