package io.github.optkernels.runtime;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Objects;

/**
 * The NaN/Inf scans: over a step's gradients before it writes anything
 * ({@link StepKernel#firstNonFinite}), and over what a 16-bit kernel stored after it wrote
 * ({@link StepKernel#firstNonFiniteStored}).
 *
 * <p><b>Why it has two implementations.</b> The scan is a second pass over the gradients next
 * to a step that streams 28 bytes per element (float32 AdamW), so it must run at the speed of
 * reading them or the default step pays for its safety. Which loop form C2 vectorizes for it
 * depends on the JDK, so the scan is chosen once, when this class is initialised:
 * {@link CountingGradientScan} on JDK {@value #COUNT_VECTORIZES_FROM} and later, where C2
 * vectorizes a count of {@code (int) (g·0 + 1)}, and {@link CopyingGradientScan} before (JDK
 * 17), the one form found that C2 17 vectorizes. The choice is logged once (logger
 * {@code io.github.optkernels}, level DEBUG: it follows from the JDK, nothing a user can change)
 * and {@link #implementation()} says which runs and why.
 * Both return the same index for every input, allocate nothing per call and search element by
 * element only in a range that holds a non-finite value.
 *
 * <p><b>Small steps.</b> A step of at most {@value #IN_CACHE_ELEMENTS} elements finds its
 * gradients in cache, where the count's speed is not the limit it is from memory: there, on JDK
 * 22+ in a build that has the JDK 22 layer, a heap gradient is read as ints (longs) through a
 * view made once per tensor ({@link #inCacheView}) and its largest bits without the sign are
 * compared with infinity's (the layer's {@code SegmentScan}), in half the count's time. That
 * view is slower than the count from memory, so larger steps keep the count.
 *
 * <p><b>Why not the Vector API.</b> A Vector API scan was two to three times faster in L1 (0.03
 * ns per float), but a JVM that ran it also made the 16-bit Vector API conversions
 * ({@link HalfArrays}) allocate hundreds of kB per step, in every form tried for floats and
 * 16-bit patterns (measured on JDK 17 and 25); from memory, where large models are, it was no faster than the
 * count. The candidates measured, and which loop forms C2 vectorizes on which JDK, are in
 * {@code docs/KERNEL_LOOPS.md} ("The NaN/Inf scan").
 *
 * <p><b>16 bits.</b> Public so that a kernel whose buffers are 16-bit patterns in a
 * {@code short[]} can override {@link StepKernel#firstNonFinite} and
 * {@link StepKernel#firstNonFiniteStored} with a call each: {@link #firstNonFiniteBfloat16} or
 * {@link #firstNonFiniteFloat16} (a {@code short[]} alone does not say which format it holds).
 */
public final class GradientScan {
  /**
   * The first JDK whose C2 vectorizes {@link CountingGradientScan}'s loop: measured on 17 (not
   * vectorized, 0.5 ns/element, four times the copying scan) and 25 (0.06 ns/element, half the
   * copying scan). JDKs in between were not measured, so they keep the scan known to be fast.
   */
  static final int COUNT_VECTORIZES_FROM = 25;

  /** One way of scanning; the arguments are checked by the caller. */
  interface Impl {
    /** What runs, for {@link #implementation()}. */
    String name();

    /** The first index in {@code [from, to)} that is NaN or infinite, or −1. */
    int firstNonFinite(float[] grad, int from, int to);

    /** The first index in {@code [from, to)} that is NaN or infinite, or −1. */
    int firstNonFinite(double[] grad, int from, int to);
  }

  /** 16-bit patterns per OR reduction: a bad block is found quickly, and the reduction dominates. */
  static final int HALF_BLOCK = 4096;

  /**
   * Steps of at most this many elements scan heap gradients through their in-cache views: a
   * float32 AdamW step of this size touches 512 KiB, within a core's L2 on the machines measured.
   */
  static final int IN_CACHE_ELEMENTS = 32_768;

  /** {@code SegmentScan.heapView(Object)}, or null where this JVM or build has no JDK 22 layer. */
  private static final MethodHandle HEAP_VIEW = OffHeap.layerMethod(OffHeap.SEGMENT_SCAN, "heapView",
      MethodType.methodType(Object.class, Object.class));

  /** {@code SegmentScan.heapAllFinite(Object, int, int, int)}, or null with {@link #HEAP_VIEW}. */
  private static final MethodHandle HEAP_ALL_FINITE = OffHeap.layerMethod(OffHeap.SEGMENT_SCAN, "heapAllFinite",
      MethodType.methodType(boolean.class, Object.class, int.class, int.class, int.class));

  private static final System.Logger LOG = System.getLogger("io.github.optkernels");
  private static final Choice CHOICE = choose();
  private static final Impl IMPL = CHOICE.impl();

  private GradientScan() {}

  /**
   * Which scan runs in this JVM and why, e.g. {@code "a count of finite elements, which C2
   * vectorizes from JDK 25, for JDK 25"}.
   */
  public static String implementation() {
    return CHOICE.description();
  }

  /**
   * The first index in {@code [from, to)} of {@code grad} that is NaN or infinite, or −1.
   *
   * @throws UnsupportedOperationException for buffer types other than {@code float[]} and
   *     {@code double[]}
   */
  static int firstNonFinite(Object grad, int from, int to) {
    if (grad instanceof float[]) {
      return firstNonFinite((float[]) grad, from, to);
    }
    if (grad instanceof double[]) {
      return firstNonFinite((double[]) grad, from, to);
    }
    throw new UnsupportedOperationException("no NaN/Inf scan for " + grad.getClass().getSimpleName()
        + " gradients: the kernel must override StepKernel.firstNonFinite (for 16-bit patterns with"
        + " GradientScan.firstNonFiniteBfloat16 or firstNonFiniteFloat16), or step with"
        + " NonFiniteGradients.UNCHECKED");
  }

  /**
   * The first index in {@code [from, to)} that is NaN or infinite, or −1.
   *
   * @throws IndexOutOfBoundsException if the range is not within {@code grad}
   */
  public static int firstNonFinite(float[] grad, int from, int to) {
    Objects.checkFromToIndex(from, to, grad.length);
    return IMPL.firstNonFinite(grad, from, to);
  }

  /**
   * The first index in {@code [from, to)} that is NaN or infinite, or −1.
   *
   * @throws IndexOutOfBoundsException if the range is not within {@code grad}
   */
  public static int firstNonFinite(double[] grad, int from, int to) {
    Objects.checkFromToIndex(from, to, grad.length);
    return IMPL.firstNonFinite(grad, from, to);
  }

  /**
   * For a tensor's {@code float[]} or {@code double[]} gradient that its kernel scans with the
   * default {@link StepKernel#firstNonFinite}: the view {@link #firstNonFiniteInCache} reads it
   * through, made once (the tensor keeps it, and keeps its gradient). Null for other gradients,
   * for a kernel with a scan of its own, and where this JVM or build has no JDK 22 layer.
   */
  static Object inCacheView(Object grad, StepKernel kernel) {
    if (HEAP_VIEW == null || !(grad instanceof float[] || grad instanceof double[]) || scansItself(kernel)) {
      return null;
    }
    try {
      return (Object) HEAP_VIEW.invokeExact(grad);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether {@code kernel}'s class overrides {@link StepKernel#firstNonFinite}. */
  private static boolean scansItself(StepKernel kernel) {
    try {
      Method scan = kernel.getClass().getMethod("firstNonFinite", Object.class, int.class, int.class);
      return scan.getDeclaringClass() != StepKernel.class;
    } catch (NoSuchMethodException e) {
      throw new AssertionError("StepKernel declares firstNonFinite", e);
    }
  }

  /**
   * The first index in {@code [from, to)} of {@code grad} that is NaN or infinite, or −1, read
   * through {@code view} ({@link #inCacheView} of {@code grad}): for steps of at most
   * {@value #IN_CACHE_ELEMENTS} elements. The range is the caller's to check.
   */
  static int firstNonFiniteInCache(Object view, Object grad, int from, int to) {
    boolean floats = grad instanceof float[];
    boolean finite;
    try {
      finite = (boolean) HEAP_ALL_FINITE.invokeExact(view, floats ? Float.BYTES : Double.BYTES, from, to);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
    if (finite) {
      return -1;
    }
    return floats ? firstNonFiniteDirect((float[]) grad, from, to) : firstNonFiniteDirect((double[]) grad, from, to);
  }

  /**
   * Element {@code index} of buffer {@code buffer} (0 the parameter, {@code 1 + k} state slot
   * {@code k}), as {@link StepKernel#firstNonFiniteStored} returns it: {@code buffer · 2³² + index}.
   *
   * @throws IllegalArgumentException if either is negative
   */
  public static long stored(int buffer, int index) {
    if (buffer < 0 || index < 0) {
      throw new IllegalArgumentException("buffer and index must be >= 0, got " + buffer + " and " + index);
    }
    return (long) buffer << 32 | index;
  }

  /** The buffer of a {@link #stored(int, int)} position. */
  static int storedBuffer(long stored) {
    return (int) (stored >>> 32);
  }

  /** The index of a {@link #stored(int, int)} position. */
  static int storedIndex(long stored) {
    return (int) stored;
  }

  /**
   * The first index in {@code [from, to)} whose bfloat16 bit pattern is NaN or infinite (all
   * eight exponent bits set), or −1.
   */
  public static int firstNonFiniteBfloat16(short[] grad, int from, int to) {
    return firstAllOnes(grad, from, to, HalfBits.BF16_INFINITY);
  }

  /**
   * The first index in {@code [from, to)} whose IEEE float16 bit pattern is NaN or infinite (all
   * five exponent bits set), or −1.
   */
  public static int firstNonFiniteFloat16(short[] grad, int from, int to) {
    return firstAllOnes(grad, from, to, HalfBits.FP16_INFINITY);
  }

  /**
   * The first pattern whose bits under {@code exponent} (a contiguous mask below bit 15) are all
   * set. Adding the mask's lowest bit to {@code bits & exponent} carries into bit 15 exactly then,
   * so one OR over a block says whether any element does. C2 vectorizes this loop on neither JDK
   * 17 nor 25 (0.33 ns/element; nor any short-typed or row variant tried), so it has one
   * implementation.
   */
  private static int firstAllOnes(short[] grad, int from, int to, int exponent) {
    int carry = exponent & -exponent;
    for (int start = from, end; start < to; start = end) {
      end = to - start > HALF_BLOCK ? start + HALF_BLOCK : to;
      int any = 0;
      for (int i = start; i < end; i++) {
        any |= (grad[i] & exponent) + carry;
      }
      if ((any & 0x8000) != 0) {
        for (int i = start; i < end; i++) {
          if ((grad[i] & exponent) == exponent) {
            return i;
          }
        }
      }
    }
    return -1;
  }

  /** Element by element: the search in a range known to hold a non-finite value. */
  static int firstNonFiniteDirect(float[] grad, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Float.isFinite(grad[i])) {
        return i;
      }
    }
    return -1;
  }

  /** Element by element: the search in a range known to hold a non-finite value. */
  static int firstNonFiniteDirect(double[] grad, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Double.isFinite(grad[i])) {
        return i;
      }
    }
    return -1;
  }

  /** The scan this JDK's C2 vectorizes best. */
  static Impl plain() {
    return Runtime.version().feature() >= COUNT_VECTORIZES_FROM
        ? CountingGradientScan.INSTANCE : CopyingGradientScan.INSTANCE;
  }

  /** Every implementation, each testable on any JDK. */
  static List<Impl> implementations() {
    return List.of(CopyingGradientScan.INSTANCE, CountingGradientScan.INSTANCE);
  }

  /** The implementation that runs. */
  static Impl active() {
    return IMPL;
  }

  private record Choice(Impl impl, String description) {}

  private static Choice choose() {
    Impl impl = plain();
    String small = HEAP_VIEW == null ? "" : "; steps of at most " + IN_CACHE_ELEMENTS + " elements: the largest bits"
        + " of each heap gradient read as ints through a MemorySegment view, which C2 vectorizes (JDK 22 layer)";
    return logged(new Choice(impl, impl.name() + ", for JDK " + Runtime.version().feature() + small));
  }

  private static Choice logged(Choice choice) {
    LOG.log(Level.DEBUG, "optkernels: the NaN/Inf scan runs " + choice.description());
    return choice;
  }
}
