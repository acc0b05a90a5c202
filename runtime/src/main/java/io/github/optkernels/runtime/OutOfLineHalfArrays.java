package io.github.optkernels.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Runs another implementation's block conversions as calls that HotSpot's C2 cannot inline into
 * their callers, so that each conversion is compiled on its own, with C2's whole inlining budget,
 * and no vector ever crosses a call. This is how the Vector API conversions ({@code
 * VectorHalfArrays}) are called; it changes nothing outside this library.
 *
 * <p>Why: the Vector API's intrinsics only work where C2 inlines every method a vector passes
 * through. A conversion inlined into a deep caller (the step engine, a kernel, its block loop, the
 * Kahan store) is parsed after C2 has spent most of that compilation's inlining budget
 * ({@code NodeCountInliningCutoff}), so C2 stops inlining partway through, and every vector that
 * then crosses a call is boxed on the heap: measured without this class, 12 to 23 kB per step of
 * a 16-bit Kahan optimizer on JDK 17 with AVX-512, and the speed of plain
 * Java lost. Compiled on their own, the conversions (each a loop over a whole block) always have
 * the full budget, and the price is one indirect call per block of {@link HalfArrays#BLOCK}
 * elements.
 *
 * <p>How: each operation is called through a {@link MethodHandle} held in a final instance field.
 * C2 folds a method handle into a direct (inlinable) call only when it is a constant, and final
 * instance fields of ordinary classes are not constants to it, so the call stays a call. (A JVM
 * could one day trust such fields; {@code AllocationTest} would see the boxing then.)
 */
final class OutOfLineHalfArrays implements HalfArrays.Impl {
  private static final MethodType FROM_BITS =
      MethodType.methodType(void.class, short[].class, int.class, float[].class, int.class);
  private static final MethodType TO_BITS =
      MethodType.methodType(void.class, float[].class, short[].class, int.class, int.class);
  private static final MethodType TO_BITS_STOCHASTIC =
      MethodType.methodType(void.class, float[].class, short[].class, int.class, int.class, int.class);
  private static final MethodType IN_PLACE = MethodType.methodType(void.class, float[].class, int.class);

  private final HalfArrays.Impl impl;
  private final MethodHandle bf16ToFloat;
  private final MethodHandle fp16ToFloat;
  private final MethodHandle floatToBf16;
  private final MethodHandle floatToFp16;
  private final MethodHandle floatToBf16Stochastic;
  private final MethodHandle floatToFp16Stochastic;
  private final MethodHandle roundBf16;
  private final MethodHandle roundFp16;

  /**
   * @param impl the implementation to call; its class must be accessible to this package
   * @throws ReflectiveOperationException if a method of it cannot be looked up
   */
  OutOfLineHalfArrays(HalfArrays.Impl impl) throws ReflectiveOperationException {
    this.impl = impl;
    MethodHandles.Lookup lookup = MethodHandles.lookup();
    Class<?> type = impl.getClass();
    bf16ToFloat = lookup.findVirtual(type, "bf16ToFloat", FROM_BITS).bindTo(impl);
    fp16ToFloat = lookup.findVirtual(type, "fp16ToFloat", FROM_BITS).bindTo(impl);
    floatToBf16 = lookup.findVirtual(type, "floatToBf16", TO_BITS).bindTo(impl);
    floatToFp16 = lookup.findVirtual(type, "floatToFp16", TO_BITS).bindTo(impl);
    floatToBf16Stochastic = lookup.findVirtual(type, "floatToBf16Stochastic", TO_BITS_STOCHASTIC).bindTo(impl);
    floatToFp16Stochastic = lookup.findVirtual(type, "floatToFp16Stochastic", TO_BITS_STOCHASTIC).bindTo(impl);
    roundBf16 = lookup.findVirtual(type, "roundBf16", IN_PLACE).bindTo(impl);
    roundFp16 = lookup.findVirtual(type, "roundFp16", IN_PLACE).bindTo(impl);
  }

  @Override
  public String name() {
    return impl.name();
  }

  @Override
  public int vectorBitSize() {
    return impl.vectorBitSize();
  }

  @Override
  public void bf16ToFloat(short[] bits, int from, float[] block, int n) {
    try {
      bf16ToFloat.invokeExact(bits, from, block, n);
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  @Override
  public void fp16ToFloat(short[] bits, int from, float[] block, int n) {
    try {
      fp16ToFloat.invokeExact(bits, from, block, n);
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  @Override
  public void floatToBf16(float[] block, short[] bits, int from, int n) {
    try {
      floatToBf16.invokeExact(block, bits, from, n);
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  @Override
  public void floatToFp16(float[] block, short[] bits, int from, int n) {
    try {
      floatToFp16.invokeExact(block, bits, from, n);
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  @Override
  public void floatToBf16Stochastic(float[] block, short[] bits, int from, int n, int noiseKey) {
    try {
      floatToBf16Stochastic.invokeExact(block, bits, from, n, noiseKey);
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  @Override
  public void floatToFp16Stochastic(float[] block, short[] bits, int from, int n, int noiseKey) {
    try {
      floatToFp16Stochastic.invokeExact(block, bits, from, n, noiseKey);
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  @Override
  public void roundBf16(float[] block, int n) {
    try {
      roundBf16.invokeExact(block, n);
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  @Override
  public void roundFp16(float[] block, int n) {
    try {
      roundFp16.invokeExact(block, n);
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  /** The conversions throw only unchecked exceptions (an index out of bounds) and errors. */
  private static RuntimeException rethrow(Throwable e) {
    if (e instanceof RuntimeException unchecked) {
      throw unchecked;
    }
    if (e instanceof Error error) {
      throw error;
    }
    throw new IllegalStateException(e);
  }
}
