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
 * prepare the kernels (once per group, kernel class, step count and Π), run the element loops
 * on the calling thread and a pool, and advance the tensors' clocks. One per optimizer, used by
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
 * write, on the same threads as the update. After each segment's update the thread asks the
 * kernel for a non-finite value it stored in 16 bits ({@link StepKernel#firstNonFiniteStored}),
 * while the data is in cache; the first one in registration order is thrown as a
 * {@link StorageOverflowException} by {@link #reportStorageOverflow}, which the optimizer calls
 * once the step is complete.
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
  private boolean scanning;
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
      run(true, options.pool(), forks);
      if (foundBad) {
        if (options.nonFiniteGradients() == NonFiniteGradients.REFUSE) {
          throw firstBad();
        }
        return false;
      }
    }
    prepare(tensors);
    Arrays.fill(overflowSegment, 0, itemCount, -1);
    run(false, options.pool(), forks);
    for (int k = 0, n = tensors.size(); k < n; k++) {
      Tensor tensor = tensors.get(k);
      tensor.step++;
      tensor.momentumProduct = tensor.prepared.momentumProductAfter();
      tensor.group.stepped = true;
    }
    return true;
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
   * Prepares one kernel per distinct (group, kernel class, step, Π) among {@code tensors} and
   * points every tensor at the kernel prepared for it. Tensors of a group normally share one step
   * count, so this is one {@code prepare} per group and precision. A kernel that does not share
   * prepared steps (stochastic rounding: its instance holds its tensor's seed) prepares its own.
   */
  private void prepare(List<Tensor> tensors) {
    int leaderCount = 0;
    for (int k = 0, n = tensors.size(); k < n; k++) {
      Tensor tensor = tensors.get(k);
      Tensor leader = null;
      for (int j = 0; j < leaderCount && tensor.kernel.sharesPreparedSteps(); j++) {
        Tensor candidate = leaders[j];
        if (candidate.group == tensor.group && candidate.step == tensor.step
            && sameKernel(candidate.kernel, tensor.kernel)
            && Double.doubleToRawLongBits(candidate.momentumProduct)
                == Double.doubleToRawLongBits(tensor.momentumProduct)) {
          leader = candidate;
          break;
        }
      }
      if (leader == null) {
        tensor.kernel.prepare(tensor.step + 1, tensor.momentumProduct, tensor.group.view());
        tensor.prepared = tensor.kernel;
        if (tensor.kernel.sharesPreparedSteps()) {
          leaders[leaderCount++] = tensor;
        }
      } else {
        tensor.prepared = leader.kernel;
      }
    }
    Arrays.fill(leaders, 0, leaderCount, null);
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

  /** Runs the scan or the update over every item, on the calling thread and {@code forks} tasks. */
  private void run(boolean scan, ForkJoinPool pool, int forks) {
    scanning = scan;
    if (forks == 0) {
      for (int k = 0; k < itemCount; k++) {
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
    for (int k; (k = cursor.getAndIncrement()) < itemCount; ) {
      runItem(k);
    }
  }

  private void runItem(int k) {
    for (int s = itemStart[k], end = itemStart[k + 1]; s < end; s++) {
      Tensor tensor = segTensor[s];
      if (scanning) {
        int bad = tensor.kernel.firstNonFinite(tensor.grad, segFrom[s], segTo[s]);
        if (bad >= 0) {
          badSegment[k] = s;
          badIndex[k] = bad;
          foundBad = true;
          return;
        }
      } else {
        tensor.prepared.update(tensor.param, tensor.grad, tensor.state, segFrom[s], segTo[s]);
        if (overflowSegment[k] < 0) {
          // while what the update wrote is still in cache
          long at = tensor.kernel.firstNonFiniteStored(tensor.param, tensor.state, segFrom[s], segTo[s]);
          if (at >= 0) {
            overflowSegment[k] = s;
            overflowAt[k] = at;
            overflowed = true;
          }
        }
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
