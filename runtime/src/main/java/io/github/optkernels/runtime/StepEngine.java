package io.github.optkernels.runtime;

import io.github.optkernels.runtime.KernelOptimizer.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs one step over a list of tensors: plan the work items, scan the gradients for NaN/Inf,
 * prepare the kernels (once per group, kernel class, step count and carried values), take the
 * per-tensor sums of kernels that need them, run the element loops on the calling thread and a
 * pool, and advance the tensors' clocks (step count and carried values). One per optimizer, used by
 * one thread at a time (the optimizer's guard); every array and task is kept and reused, so a
 * step allocates nothing once the arrays have grown to the optimizer's size.
 *
 * <p><b>Plan.</b> A segment is {@code (tensor, from, to)}; a work item is a run of segments. A
 * tensor of at least {@code chunk} elements gives one item per full chunk; what is left of it,
 * and every smaller tensor, joins a batch that is closed before it would exceed {@code chunk}
 * elements. Items are in tensor order, so the first item with a bad gradient holds the first
 * bad element in registration order.
 *
 * <p><b>Scan, then update.</b> Unless the policy is {@link NonFiniteGradients#UNCHECKED}, every
 * item's gradients are scanned ({@link GradientScan}) in a run of their own before the first
 * write, on the same threads as the update (a step small enough to be in cache through each heap
 * gradient's in-cache view, {@link GradientScan#firstNonFiniteInCache}, else through its kernel).
 * After each segment's update the thread asks the
 * kernel for a non-finite value it stored in 16 bits ({@link StepKernel#firstNonFiniteStored}),
 * while the data is in cache; the first one in registration order is thrown as a
 * {@link StorageOverflowException} by {@link #reportStorageOverflow}, which the optimizer calls
 * once the step is complete.
 *
 * <p><b>Sums.</b> A tensor whose kernel takes sums ({@link StepKernel#sumCount()}) is cut into
 * the fixed blocks of {@link StepSums} (index-aligned, independent of the plan); after every
 * prepare and before the update run, a run of its own computes each block's partial (in
 * parallel), and the partials are then added in block order on the calling thread and handed
 * to the tensor's kernel ({@link StepKernel#setSums}). So the totals are the same bits for any
 * thread count, chunk size and release order, and no sum ever sees a partly updated tensor.
 *
 * <p><b>Parallel runs.</b> The calling thread and up to {@code threads − 1} reusable tasks take
 * items from a shared cursor until none are left. A task that starts joins the run only while it
 * is open ({@link #state}: a count of joined tasks, plus {@link #CLOSED} once the caller has
 * drained the cursor); the caller closes the run and waits only for tasks that joined (spinning
 * briefly, then parked through {@link ForkJoinPool#managedBlock}, so a caller that is itself a
 * pool thread lets the pool compensate). A task the pool has not started yet, a sleeping worker
 * still waking up or a busy common pool therefore never delays a step: the caller does the work
 * itself, and the late task finds the run closed and does nothing. Such a task is not submitted
 * again while it is still queued, and when it runs it joins whichever run is open then.
 *
 * <p>Completion is this counter, not the tasks' join: a task's {@code exec} returns
 * {@code false}, so its fork/join status never changes and it can be submitted again without
 * {@code reinitialize}, and an external join (which allocates a wait node on recent JDKs) is
 * never needed.
 */
final class StepEngine implements ForkJoinPool.ManagedBlocker {
  /** Spins before parking: a step's tail is short, and parking costs a few microseconds. */
  private static final int SPINS = 1 << 10;

  // The plan: segments, and items as ranges [itemStart[k], itemStart[k + 1]) of segments.
  private Tensor[] segTensor = new Tensor[0];
  private int[] segFrom = new int[0];
  private int[] segTo = new int[0];
  private int[] itemStart = new int[1];
  private int segmentCount;
  private int itemCount;
  private long elementCount;

  // Scan results per item: the first bad segment and index, or -1.
  private int[] badSegment = new int[0];
  private int[] badIndex = new int[0];
  private volatile boolean foundBad;

  // After the update, per item: the first segment with a non-finite 16-bit value and where
  // (StepKernel.firstNonFiniteStored), or -1.
  private int[] overflowSegment = new int[0];
  private long[] overflowAt = new long[0];
  private volatile boolean overflowed;

  private Tensor[] leaders = new Tensor[0];

  // The sum blocks of the step: block b is [sumFrom[b], sumFrom[b] + BLOCK) ∩ its tensor, its
  // partial sumPartial[b] (rows reused, grown to the largest sumCount seen).
  private Tensor[] sumTensor = new Tensor[0];
  private int[] sumFrom = new int[0];
  private double[][] sumPartial = new double[0][];
  private int sumBlockCount;

  // Parallel machinery, reused every step.
  /** Added to {@link #state} by the caller when it has drained the cursor: no task may join then. */
  private static final int CLOSED = 1 << 30;
  private Worker[] workers = new Worker[0];
  /** The pool the workers were last submitted to; another pool gets new workers. */
  private ForkJoinPool workersPool;
  private final AtomicInteger cursor = new AtomicInteger();
  /** Tasks working on the current run, plus {@link #CLOSED} when no run is open. */
  private final AtomicInteger state = new AtomicInteger(CLOSED);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile Thread waiter;
  /** What the current run does to each of its {@link #runCount} items: {@link #SCAN}, {@link #SUM}, {@link #UPDATE}. */
  private int mode;
  /** Whether the update run zeroes each gradient range after stepping it ({@link StepOptions#gradientsZeroed()}). */
  private boolean zeroGradients;
  /** Whether the scan run reads heap gradients through their in-cache views ({@link GradientScan#IN_CACHE_ELEMENTS}). */
  private boolean scanInCache;
  private int runCount;
  private static final int SCAN = 0;
  private static final int SUM = 1;
  private static final int UPDATE = 2;
  private boolean interrupted;

  /**
   * Steps every tensor of {@code tensors} once, with the kernels prepared from each tensor's
   * group view (set by the caller).
   *
   * @return true if the step was taken, false if it was skipped ({@link NonFiniteGradients#SKIP})
   * @throws NonFiniteGradientException under {@link NonFiniteGradients#REFUSE}; nothing written
   */
  boolean step(List<Tensor> tensors, StepOptions options) {
    overflowed = false;
    plan(tensors, options.chunkSize());
    int forks = elementCount >= options.serialThreshold() && itemCount > 1
        ? Math.min(options.threads() - 1, itemCount - 1) : 0;
    if (options.nonFiniteGradients() != NonFiniteGradients.UNCHECKED) {
      Arrays.fill(badSegment, 0, itemCount, -1);
      foundBad = false;
      scanInCache = elementCount <= GradientScan.IN_CACHE_ELEMENTS;
      run(SCAN, itemCount, options.pool(), forks);
      if (foundBad) {
        if (options.nonFiniteGradients() == NonFiniteGradients.REFUSE) {
          throw firstBad();
        }
        return false;
      }
    }
    prepare(tensors);
    long sumElements = planSums(tensors);
    if (sumBlockCount > 0) {
      int sumForks = sumElements >= options.serialThreshold() && sumBlockCount > 1
          ? Math.min(options.threads() - 1, sumBlockCount - 1) : 0;
      run(SUM, sumBlockCount, options.pool(), sumForks);
      addSums();
    }
    Arrays.fill(overflowSegment, 0, itemCount, -1);
    zeroGradients = options.gradientsZeroed();
    run(UPDATE, itemCount, options.pool(), forks);
    for (int k = 0, n = tensors.size(); k < n; k++) {
      Tensor tensor = tensors.get(k);
      tensor.step++;
      // the cohort's shared kernel was prepared from bitwise-equal carried values, so it gives
      // every tensor of the cohort its own next values
      tensor.prepared.carriedAfter(tensor.carried);
      tensor.group.stepped = true;
    }
    return true;
  }

  /**
   * Lists the sum blocks of the tensors whose kernels take sums, in tensor and index order;
   * returns their elements. Grows the block arrays only when the step has more blocks than any
   * before.
   */
  private long planSums(List<Tensor> tensors) {
    int blocks = 0;
    long elements = 0;
    for (int k = 0, n = tensors.size(); k < n; k++) {
      Tensor tensor = tensors.get(k);
      if (tensor.sums.length > 0) {
        blocks += StepSums.blocks(tensor.length);
        elements += tensor.length;
      }
    }
    sumBlockCount = 0;
    if (blocks == 0) {
      return 0;
    }
    if (sumTensor.length < blocks) {
      sumTensor = new Tensor[blocks];
      sumFrom = new int[blocks];
      sumPartial = Arrays.copyOf(sumPartial, blocks);
    }
    for (int k = 0, n = tensors.size(); k < n; k++) {
      Tensor tensor = tensors.get(k);
      int count = tensor.sums.length;
      if (count == 0) {
        continue;
      }
      for (int from = 0; from < tensor.length; from += StepSums.BLOCK) {
        if (sumPartial[sumBlockCount] == null || sumPartial[sumBlockCount].length < count) {
          sumPartial[sumBlockCount] = new double[count];
        }
        sumTensor[sumBlockCount] = tensor;
        sumFrom[sumBlockCount] = from;
        sumBlockCount++;
      }
    }
    return elements;
  }

  /**
   * Adds each tensor's block partials in block order, from zero, and hands the totals to its
   * kernel (its own: kernels with sums are never shared). Then drops the tensor references.
   */
  private void addSums() {
    for (int b = 0; b < sumBlockCount; ) {
      Tensor tensor = sumTensor[b];
      double[] totals = tensor.sums;
      Arrays.fill(totals, 0.0);
      for (; b < sumBlockCount && sumTensor[b] == tensor; b++) {
        double[] partial = sumPartial[b];
        for (int j = 0; j < totals.length; j++) {
          totals[j] += partial[j];
        }
        sumTensor[b] = null;
      }
      tensor.prepared.setSums(totals);
    }
  }

  /** Splits {@code tensors} into segments and items of about {@code chunk} elements. */
  private void plan(List<Tensor> tensors, int chunk) {
    int n = tensors.size();
    long elements = 0;
    long segments = 0;
    for (int k = 0; k < n; k++) {
      int length = tensors.get(k).length;
      elements += length;
      segments += length / chunk + 1;
    }
    ensureCapacity(n, segments);
    elementCount = elements;
    segmentCount = 0;
    itemCount = 0;
    int batch = 0; // elements in the open batch item
    for (int k = 0; k < n; k++) {
      Tensor tensor = tensors.get(k);
      int length = tensor.length;
      int from = 0;
      while (length - from >= chunk) {
        if (batch > 0) {
          closeItem();
          batch = 0;
        }
        addSegment(tensor, from, from + chunk);
        closeItem();
        from += chunk;
      }
      if (from < length) {
        int rest = length - from;
        if (batch > 0 && batch + rest > chunk) {
          closeItem();
          batch = 0;
        }
        addSegment(tensor, from, length);
        batch += rest;
      }
    }
    if (batch > 0) {
      closeItem();
    }
  }

  private void addSegment(Tensor tensor, int from, int to) {
    segTensor[segmentCount] = tensor;
    segFrom[segmentCount] = from;
    segTo[segmentCount] = to;
    segmentCount++;
  }

  private void closeItem() {
    itemStart[++itemCount] = segmentCount;
  }

  /** Grows the plan arrays (the only allocation, and only when the optimizer grew). */
  private void ensureCapacity(int tensors, long segments) {
    if (segments > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a step of " + segments + " work items is too many; use a larger chunk size");
    }
    int size = (int) segments;
    if (segTensor.length < size) {
      segTensor = new Tensor[size];
      segFrom = new int[size];
      segTo = new int[size];
      itemStart = new int[size + 1];
      badSegment = new int[size];
      badIndex = new int[size];
      overflowSegment = new int[size];
      overflowAt = new long[size];
    }
    if (leaders.length < tensors) {
      leaders = new Tensor[tensors];
    }
  }

  /**
   * Prepares one kernel per distinct (group, kernel class, step, carried values) among
   * {@code tensors} and points every tensor at the kernel prepared for it. Tensors of a group
   * normally share one step count, so this is one {@code prepare} per group and precision. A
   * kernel that does not share prepared steps (stochastic rounding: its instance holds its
   * tensor's seed) or takes sums (its prepared step holds its tensor's totals) prepares its own.
   */
  private void prepare(List<Tensor> tensors) {
    int leaderCount = 0;
    for (int k = 0, n = tensors.size(); k < n; k++) {
      Tensor tensor = tensors.get(k);
      boolean shares = shares(tensor.kernel);
      Tensor leader = null;
      for (int j = 0; j < leaderCount && shares; j++) {
        Tensor candidate = leaders[j];
        if (candidate.group == tensor.group && candidate.step == tensor.step
            && sameKernel(candidate.kernel, tensor.kernel)
            && sameBits(candidate.carried, tensor.carried)) {
          leader = candidate;
          break;
        }
      }
      if (leader == null) {
        tensor.kernel.prepare(tensor.step + 1, tensor.carried, tensor.group.view());
        tensor.prepared = tensor.kernel;
        if (shares) {
          leaders[leaderCount++] = tensor;
        }
      } else {
        tensor.prepared = leader.kernel;
      }
    }
    Arrays.fill(leaders, 0, leaderCount, null);
  }

  /** Whether a kernel's prepared step may serve other tensors too. */
  private static boolean shares(StepKernel kernel) {
    return kernel.sharesPreparedSteps() && kernel.sumCount() == 0;
  }

  /** Whether two tensors' carried values are the same bits (so one prepared step serves both). */
  private static boolean sameBits(double[] a, double[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether one prepared instance can step both tensors: the same kernel class, and for off-heap
   * tensors the same generated kernel inside (a heap tensor never runs an off-heap tensor's kernel
   * or the other way round: they take different buffers).
   */
  private static boolean sameKernel(StepKernel a, StepKernel b) {
    if (a.getClass() != b.getClass()) {
      return false;
    }
    return !(a instanceof DirectBufferKernel)
        || ((DirectBufferKernel) a).inner.getClass() == ((DirectBufferKernel) b).inner.getClass();
  }

  /**
   * Runs the scan, the sums or the update over items {@code [0, count)} (work items, or sum
   * blocks), on the calling thread and {@code forks} tasks.
   */
  private void run(int mode, int count, ForkJoinPool pool, int forks) {
    this.mode = mode;
    this.runCount = count;
    if (forks == 0) {
      for (int k = 0; k < count; k++) {
        runItem(k);
      }
      return;
    }
    if (pool != workersPool) {
      // Tasks still queued in the old pool will find their runs closed; never wait on them.
      workers = new Worker[0];
      workersPool = pool;
    }
    if (workers.length < forks) {
      Worker[] grown = Arrays.copyOf(workers, forks);
      for (int w = workers.length; w < forks; w++) {
        grown[w] = new Worker(this);
      }
      workers = grown;
    }
    cursor.set(0);
    failure.set(null);
    waiter = Thread.currentThread();
    state.set(0); // opens the run; publishes the plan, the phase and the prepared kernels
    for (int w = 0; w < forks; w++) {
      Worker worker = workers[w];
      if (!worker.queued) { // a task still queued from an earlier run will join this one
        worker.queued = true;
        try {
          pool.execute(worker);
        } catch (RuntimeException e) { // a pool that was shut down: the caller does the work
          worker.queued = false;
          break;
        }
      }
    }
    try {
      drain();
    } catch (Throwable e) {
      failure.compareAndSet(null, e);
    }
    if (state.getAndAdd(CLOSED) != 0) {
      awaitWorkers();
    }
    Throwable e = failure.get();
    if (e != null) {
      failure.set(null);
      if (e instanceof RuntimeException) {
        throw (RuntimeException) e;
      }
      if (e instanceof Error) {
        throw (Error) e;
      }
      throw new IllegalStateException("a step task failed", e);
    }
  }

  /** Takes items from the shared cursor until none are left. */
  private void drain() {
    for (int k; (k = cursor.getAndIncrement()) < runCount; ) {
      runItem(k);
    }
  }

  private void runItem(int k) {
    if (mode == SUM) {
      Tensor tensor = sumTensor[k];
      double[] partial = sumPartial[k];
      Arrays.fill(partial, 0.0);
      int from = sumFrom[k];
      tensor.prepared.sum(tensor.param, tensor.grad, tensor.state, from,
          Math.min(tensor.length, from + StepSums.BLOCK), partial);
      return;
    }
    for (int s = itemStart[k], end = itemStart[k + 1]; s < end; s++) {
      Tensor tensor = segTensor[s];
      if (mode == SCAN) {
        int bad = scanInCache && tensor.scanView != null
            ? GradientScan.firstNonFiniteInCache(tensor.scanView, tensor.grad, segFrom[s], segTo[s])
            : tensor.kernel.firstNonFinite(tensor.grad, segFrom[s], segTo[s]);
        if (bad >= 0) {
          badSegment[k] = s;
          badIndex[k] = bad;
          foundBad = true;
          return;
        }
      } else if (!zeroGradients) {
        update(k, s, tensor, segFrom[s], segTo[s], false);
      } else if (tensor.prepared instanceof DirectBufferKernel) {
        // off-heap: the kernel zeroes as it steps, in its loops over native memory where it has them
        update(k, s, tensor, segFrom[s], segTo[s], true);
      } else {
        // in spans that stay in cache between the update reading the gradient and the zeroing
        for (int from = segFrom[s], to = segTo[s], spanEnd; from < to; from = spanEnd) {
          spanEnd = to - from > ZEROED_SPAN ? from + ZEROED_SPAN : to;
          update(k, s, tensor, from, spanEnd, false);
          GradientZeroing.zero(tensor.grad, from, spanEnd);
        }
      }
    }
  }

  /** Elements stepped, then zeroed, at a time when gradients are zeroed: 64 KiB of float32 gradient. */
  static final int ZEROED_SPAN = 16_384;

  /**
   * Steps {@code [from, to)} of segment {@code s} of item {@code k}, zeroing its gradient on the way
   * if {@code zeroGradient} (an off-heap tensor's kernel only), then checks what it stored.
   */
  private void update(int k, int s, Tensor tensor, int from, int to, boolean zeroGradient) {
    if (zeroGradient) {
      ((DirectBufferKernel) tensor.prepared).updateZeroingGradient(tensor.param, tensor.grad, tensor.state, from, to);
    } else {
      tensor.prepared.update(tensor.param, tensor.grad, tensor.state, from, to);
    }
    if (overflowSegment[k] < 0) {
      // while what the update wrote is still in cache
      long at = tensor.kernel.firstNonFiniteStored(tensor.param, tensor.state, from, to);
      if (at >= 0) {
        overflowSegment[k] = s;
        overflowAt[k] = at;
        overflowed = true;
      }
    }
  }

  /** A task's part: join the open run, if any, and drain it. */
  private void work() {
    for (int s; ; ) {
      if ((s = state.get()) >= CLOSED) {
        return; // too late: the caller has finished this run
      }
      if (state.compareAndSet(s, s + 1)) {
        break;
      }
    }
    Thread caller = waiter; // read first: once the run is over the next one may set another
    try {
      drain();
    } catch (Throwable e) {
      failure.compareAndSet(null, e);
    } finally {
      if (state.decrementAndGet() == CLOSED) {
        LockSupport.unpark(caller);
      }
    }
  }

  /** Waits until every task that joined the closed run has left it. */
  private void awaitWorkers() {
    for (int i = 0; i < SPINS && state.get() != CLOSED; i++) {
      Thread.onSpinWait();
    }
    interrupted = false;
    while (state.get() != CLOSED) {
      try {
        ForkJoinPool.managedBlock(this);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    // The tasks write into our arrays until they are done, so an interrupt cannot end the wait
    // early; it is kept for the caller.
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean block() {
    if (state.get() != CLOSED) {
      LockSupport.park(this);
      if (Thread.interrupted()) {
        interrupted = true;
      }
    }
    return state.get() == CLOSED;
  }

  @Override
  public boolean isReleasable() {
    return state.get() == CLOSED;
  }

  /** The exception for the first bad element in registration order. */
  private NonFiniteGradientException firstBad() {
    for (int k = 0; k < itemCount; k++) {
      int s = badSegment[k];
      if (s >= 0) {
        Tensor tensor = segTensor[s];
        return new NonFiniteGradientException(tensor.index, tensor.group.index(), tensor.length,
            badIndex[k], tensor.kernel.valueAt(tensor.grad, badIndex[k]));
      }
    }
    throw new AssertionError("a bad gradient was reported but not recorded");
  }

  /**
   * Throws if the last step stored NaN or Infinity in a 16-bit buffer, naming the first such
   * element in registration order. Called by the optimizer once the step is complete (clocks and
   * schedules advanced), so the exception leaves a consistent optimizer behind.
   *
   * @throws StorageOverflowException if it did
   */
  void reportStorageOverflow() {
    if (!overflowed) {
      return;
    }
    overflowed = false;
    for (int k = 0; k < itemCount; k++) {
      int s = overflowSegment[k];
      if (s >= 0) {
        Tensor tensor = segTensor[s];
        int buffer = GradientScan.storedBuffer(overflowAt[k]);
        int index = GradientScan.storedIndex(overflowAt[k]);
        Object array = buffer == 0 ? tensor.param : tensor.state[buffer - 1];
        String name = buffer == 0 ? "param" : tensor.kernel.stateNames().get(buffer - 1);
        throw new StorageOverflowException(tensor.index, tensor.group.index(), tensor.length, name,
            index, tensor.kernel.valueAt(array, index));
      }
    }
    throw new AssertionError("a stored overflow was reported but not recorded");
  }

  /**
   * One reusable pool task. {@code exec} returns false, so the task never completes in the
   * fork/join sense and can be submitted again without {@code reinitialize}; the engine's
   * {@link #state} says who is working. Its last shared action is leaving the run, so a task
   * still returning while the next run submits it again touches nothing shared; two executions
   * of one task at once are harmless, as a task holds no state of its own.
   */
  private static final class Worker extends ForkJoinTask<Void> {
    private static final long serialVersionUID = 1L;
    private final transient StepEngine engine;
    /** Submitted and not started yet: the caller does not submit it again. */
    volatile boolean queued;

    Worker(StepEngine engine) {
      this.engine = engine;
    }

    @Override
    protected boolean exec() {
      queued = false;
      engine.work();
      return false;
    }

    @Override
    public Void getRawResult() {
      return null;
    }

    @Override
    protected void setRawResult(Void value) {}
  }
}
