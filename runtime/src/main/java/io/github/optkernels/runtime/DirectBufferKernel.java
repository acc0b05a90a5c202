package io.github.optkernels.runtime;

import java.util.List;

/**
 * The kernel of an off-heap tensor: the spec's own generated kernel ({@link #inner}), run over
 * heap copies of the tensor's memory. {@link #update} copies a chunk ({@link OffHeap#CHUNK}
 * elements) of the parameter, gradient and state into the calling thread's scratch arrays
 * ({@link DirectScratch}), runs the generated {@code update} over them, and copies the parameter
 * and state back; so an off-heap tensor computes exactly what the heap kernel computes, with the
 * same loops (fused Vector API loops included), and only the copies are added. A chunk is small
 * enough that its copies stay in the core's cache.
 *
 * <p>A generated kernel's element loop depends on nothing but the element's values, except
 * stochastic rounding, whose noise hashes the element's index in the array; in a scratch array
 * that index is not the tensor's, so such kernels are refused ({@link #wrap}).
 *
 * <p>The buffers this kernel's methods take are {@link DirectBuffer}s; {@link #bufferType()} and
 * {@link #stateTypes()} still name the heap array types, which say what the elements are (and are
 * what a checkpoint records, so off-heap and heap state load into each other).
 */
final class DirectBufferKernel implements StepKernel {
  final StepKernel inner;
  private final BufferFormat paramFormat;
  private final BufferFormat[] stateFormats;
  /** Whether the inner kernel can find a non-finite value it stored (it has 16-bit buffers). */
  private final boolean storesHalves;
  /**
   * The inner kernel's loops over native memory, or null (none, or this JVM does not run them):
   * then every range goes through the chunk copy. A 16-bit kernel's loops leave every vector that
   * would store a 16-bit NaN or infinity to the chunk copy, whose check ({@link #firstNonFiniteStored})
   * finds it while the chunk is in the scratch.
   */
  private final SegmentLoops loops;

  private DirectBufferKernel(StepKernel inner) {
    this.inner = inner;
    this.paramFormat = BufferFormat.of(inner.bufferType(), inner.halfFormat());
    List<Class<?>> types = inner.stateTypes();
    this.stateFormats = new BufferFormat[types.size()];
    boolean halves = paramFormat.bytes() == 2;
    for (int s = 0; s < stateFormats.length; s++) {
      stateFormats[s] = BufferFormat.of(types.get(s), inner.halfFormat());
      halves |= stateFormats[s].bytes() == 2;
    }
    this.storesHalves = halves;
    this.loops = inner.segmentLoops();
  }

  /**
   * The off-heap form of {@code inner}, a new kernel of the tensor's precision.
   *
   * @throws IllegalArgumentException if {@code inner} rounds stochastically
   *     ({@link StepKernel#roundsStochastically()}); nothing is registered then
   */
  static DirectBufferKernel wrap(StepKernel inner, String specName) {
    if (inner.roundsStochastically()) {
      throw new IllegalArgumentException(specName + " rounds stochastically, which off-heap tensors do not"
          + " support: its rounding noise is a hash of the element's index in the array, and the"
          + " off-heap path steps copies of the memory chunk by chunk; register heap arrays, or use"
          + " round-to-nearest or Kahan compensation for off-heap tensors");
    }
    return new DirectBufferKernel(inner);
  }

  /** The format of state slot {@code s}, for allocating it off-heap. */
  BufferFormat stateFormat(int s) {
    return stateFormats[s];
  }

  BufferFormat paramFormat() {
    return paramFormat;
  }

  @Override
  public List<String> stateNames() {
    return inner.stateNames();
  }

  @Override
  public Class<?> bufferType() {
    return inner.bufferType();
  }

  @Override
  public List<Class<?>> stateTypes() {
    return inner.stateTypes();
  }

  @Override
  public HalfFormat halfFormat() {
    return inner.halfFormat();
  }

  @Override
  public List<String> carriedNames() {
    return inner.carriedNames();
  }

  @Override
  public double[] carriedInitial() {
    return inner.carriedInitial();
  }

  @Override
  public void prepare(long step, double[] carried, HyperparameterValues h) {
    inner.prepare(step, carried, h);
  }

  @Override
  public StepPhase phase() {
    return inner.phase();
  }

  @Override
  public void carriedAfter(double[] out) {
    inner.carriedAfter(out);
  }

  /** As the inner kernel: false for one with per-tensor sums (a rule's norms), true otherwise (wrap refuses stochastic rounding). */
  @Override
  public boolean sharesPreparedSteps() {
    return inner.sharesPreparedSteps();
  }

  @Override
  public int sumCount() {
    return inner.sumCount();
  }

  /**
   * Adds the terms of {@code [from, to)} chunk by chunk through the thread's scratch: the inner
   * kernel adds element by element in index order, so chunks change nothing, and the runtime's
   * sum blocks ({@link StepSums#BLOCK}) are chunks, so each block is copied once. Reads only.
   */
  @Override
  public void sum(Object param, Object grad, Object[] state, int from, int to, double[] sums) {
    DirectBuffer p = (DirectBuffer) param;
    DirectBuffer g = (DirectBuffer) grad;
    checkRange(p, g, state, from, to);
    DirectScratch scratch = DirectScratch.current();
    Object sp = scratch.array(0, paramFormat);
    Object sg = scratch.array(1, paramFormat);
    Object[] ss = scratch.stateArrays(state.length);
    for (int s = 0; s < ss.length; s++) {
      ss[s] = scratch.array(2 + s, stateFormats[s]);
    }
    for (int base = from; base < to; base += OffHeap.CHUNK) {
      int n = Math.min(OffHeap.CHUNK, to - base);
      p.copyOut(base, sp, n);
      g.copyOut(base, sg, n);
      for (int s = 0; s < ss.length; s++) {
        ((DirectBuffer) state[s]).copyOut(base, ss[s], n);
      }
      inner.sum(sp, sg, ss, 0, n, sums);
    }
  }

  @Override
  public void setSums(double[] totals) {
    inner.setSums(totals);
  }

  /**
   * Steps elements {@code [from, to)}: in place by the kernel's loops over native memory where it
   * has them ({@link #loops}), the rest (the tail, a vector the loops leave alone) and every other
   * kernel chunk by chunk through the thread's scratch.
   */
  @Override
  public void update(Object param, Object grad, Object[] state, int from, int to) {
    step(param, grad, state, from, to, false);
  }

  /**
   * {@link #update}, and zeroes the gradient's elements {@code [from, to)} as it goes
   * ({@link StepOptions#gradientsZeroed()}): the loops over native memory store the zeros with
   * each vector's results, while the gradient's lines are in L1, and every part stepped through
   * the copy is zeroed right after it. One pass over the gradient's memory instead of two: a
   * two-thread AdamW step over GPT-2 small's element count took 0.94 of the time it took with
   * the zeroing in cache-sized spans after it (hand-timed, JDK 25, AVX-512).
   */
  void updateZeroingGradient(Object param, Object grad, Object[] state, int from, int to) {
    step(param, grad, state, from, to, true);
  }

  private void step(Object param, Object grad, Object[] state, int from, int to, boolean zeroGradient) {
    DirectBuffer p = (DirectBuffer) param;
    DirectBuffer g = (DirectBuffer) grad;
    checkRange(p, g, state, from, to);
    DirectScratch scratch = DirectScratch.current();
    scratch.clearStored();
    if (loops != null && p.segment != null) {
      Object[] segments = scratch.segments(state.length);
      for (int s = 0; s < state.length; s++) {
        segments[s] = ((DirectBuffer) state[s]).segment;
      }
      // float kernels: up to the parameter's first 64-byte line through the copy, so the
      // vectors store whole lines of the parameter and of its state (allocated at the parameter's
      // line offset). Not 16-bit kernels: there the copy runs the fused array loops over one vector
      // at every range, and C2 (JDK 25, AVX-512) then compiled them to box their vectors on the
      // heap, about 40 kB per step (OffHeapFaultsTest); their in-place step is faster than the
      // heap's without it
      int aligned = from + (storesHalves ? 0 : p.elementsToLine(from, to - from));
      if (aligned > from) {
        copyUpdate(p, g, state, from, aligned, scratch, zeroGradient);
      }
      int i = loops.update(inner, p.segment, g.segment, segments, aligned, to, zeroGradient);
      while (i < to) {
        int end = Math.min(i + loops.lanes(), to);
        copyUpdate(p, g, state, i, end, scratch, zeroGradient);
        i = loops.update(inner, p.segment, g.segment, segments, end, to, zeroGradient);
      }
    } else {
      copyUpdate(p, g, state, from, to, scratch, zeroGradient);
    }
    scratch.recordStored(param, from, to);
  }

  /**
   * Steps elements {@code [from, to)} chunk by chunk through the thread's scratch. The copies
   * back happen in a {@code finally}: if the generated update throws midway (it checks its
   * arguments, then cannot), what it wrote to the scratch still reaches the tensor's memory, so
   * the memory holds exactly what a heap kernel would have left in its arrays. With
   * {@code zeroGradient}, each chunk of the gradient is zeroed once it has been stepped.
   */
  private void copyUpdate(DirectBuffer p, DirectBuffer g, Object[] state, int from, int to, DirectScratch scratch,
      boolean zeroGradient) {
    Object sp = scratch.array(0, paramFormat);
    Object sg = scratch.array(1, paramFormat);
    Object[] ss = scratch.stateArrays(state.length);
    for (int s = 0; s < ss.length; s++) {
      ss[s] = scratch.array(2 + s, stateFormats[s]);
    }
    for (int base = from; base < to; base += OffHeap.CHUNK) {
      int n = Math.min(OffHeap.CHUNK, to - base);
      p.copyOut(base, sp, n);
      g.copyOut(base, sg, n);
      for (int s = 0; s < ss.length; s++) {
        ((DirectBuffer) state[s]).copyOut(base, ss[s], n);
      }
      try {
        inner.update(sp, sg, ss, 0, n);
        if (storesHalves && scratch.storedAt < 0) {
          long at = inner.firstNonFiniteStored(sp, ss, 0, n);
          if (at >= 0) {
            scratch.storedAt = GradientScan.stored(GradientScan.storedBuffer(at), base + GradientScan.storedIndex(at));
          }
        }
      } finally {
        p.copyIn(sp, 0, base, n);
        for (int s = 0; s < ss.length; s++) {
          ((DirectBuffer) state[s]).copyIn(ss[s], 0, base, n);
        }
      }
      if (zeroGradient) {
        g.zero(base, base + n);
      }
    }
  }

  /**
   * What the update of {@code [from, to)} on this thread found when it ran (it checked each chunk
   * while the chunk was in the scratch); if another range ran since, the range is copied again.
   */
  @Override
  public long firstNonFiniteStored(Object param, Object[] state, int from, int to) {
    if (!storesHalves) {
      return -1;
    }
    DirectScratch scratch = DirectScratch.current();
    if (scratch.recorded(param, from, to)) {
      return scratch.storedAt;
    }
    DirectBuffer p = (DirectBuffer) param;
    Object sp = scratch.array(0, paramFormat);
    Object[] ss = scratch.stateArrays(state.length);
    for (int s = 0; s < ss.length; s++) {
      ss[s] = scratch.array(2 + s, stateFormats[s]);
    }
    for (int base = from; base < to; base += OffHeap.CHUNK) {
      int n = Math.min(OffHeap.CHUNK, to - base);
      p.copyOut(base, sp, n);
      for (int s = 0; s < ss.length; s++) {
        ((DirectBuffer) state[s]).copyOut(base, ss[s], n);
      }
      long at = inner.firstNonFiniteStored(sp, ss, 0, n);
      if (at >= 0) {
        return GradientScan.stored(GradientScan.storedBuffer(at), base + GradientScan.storedIndex(at));
      }
    }
    return -1;
  }

  @Override
  public int firstNonFinite(Object grad, int from, int to) {
    DirectBuffer g = (DirectBuffer) grad;
    if (from < 0 || to > g.length || from > to) {
      throw new IllegalArgumentException("range [" + from + ", " + to + ") is outside the " + g.length + " elements");
    }
    if (OffHeap.allFinite(g, from, to)) {
      // read in place (float32 and float64 where buffers have segment views); a range that fails is
      // searched below for its first bad element
      return -1;
    }
    Object sg = DirectScratch.current().array(1, paramFormat);
    for (int base = from; base < to; base += OffHeap.CHUNK) {
      int n = Math.min(OffHeap.CHUNK, to - base);
      g.copyOut(base, sg, n);
      int bad = inner.firstNonFinite(sg, 0, n);
      if (bad >= 0) {
        return base + bad;
      }
    }
    return -1;
  }

  @Override
  public double valueAt(Object buffer, int index) {
    return ((DirectBuffer) buffer).valueAt(index, inner.halfFormat());
  }

  private static void checkRange(DirectBuffer p, DirectBuffer g, Object[] state, int from, int to) {
    int length = p.length;
    boolean same = g.length == length;
    for (Object s : state) {
      same &= ((DirectBuffer) s).length == length;
    }
    if (!same) {
      throw new IllegalArgumentException("buffers of one tensor differ in length");
    }
    if (from < 0 || to > length || from > to) {
      throw new IllegalArgumentException("range [" + from + ", " + to + ") is outside the " + length + " elements");
    }
  }
}
