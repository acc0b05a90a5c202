package io.github.optkernels.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@code double[]} test kernel that records every range it is asked to update and the threads
 * that ask ({@code p ← p + 1}). Optionally, each thread's first update waits (up to 10 s) until a
 * second thread has entered an update too, and every thread but the step's caller waits (up to
 * 10 s) until the caller has: so a test can require that pool threads and the caller both take
 * part, however the threads are scheduled (without the second wait, pool threads that start first
 * on a loaded machine may take every range before the caller reaches one).
 */
final class RecordingKernel implements StepKernel {
  /** {@code [tensorLength, from, to]} of every update, in any order. */
  final List<int[]> ranges = Collections.synchronizedList(new ArrayList<>());
  final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final CountDownLatch secondThread;
  private final Thread caller;
  private final CountDownLatch callerArrived = new CountDownLatch(1);
  private StepPhase phase;

  /** A kernel that only records. */
  RecordingKernel() {
    this(null, null);
  }

  /**
   * @param secondThread counted down by each thread's first update, which then waits for it
   * @param caller the thread that calls the step, which every other thread waits for
   */
  RecordingKernel(CountDownLatch secondThread, Thread caller) {
    this.secondThread = secondThread;
    this.caller = caller;
  }

  @Override
  public List<String> stateNames() {
    return List.of();
  }

  @Override
  public Class<?> bufferType() {
    return double[].class;
  }

  @Override
  public List<Class<?>> stateTypes() {
    return List.of();
  }

  @Override
  public void prepare(long step, double[] carried, HyperparameterValues h) {
    phase = StepPhase.ADAPTIVE;
  }

  @Override
  public StepPhase phase() {
    return phase;
  }

  @Override
  public void update(Object param, Object grad, Object[] state, int from, int to) {
    double[] p = (double[]) param;
    ranges.add(new int[] {p.length, from, to});
    if (threads.add(Thread.currentThread()) && secondThread != null) {
      if (Thread.currentThread() == caller) {
        callerArrived.countDown();
      }
      secondThread.countDown();
      try {
        secondThread.await(10, TimeUnit.SECONDS);
        if (Thread.currentThread() != caller) {
          callerArrived.await(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (int i = from; i < to; i++) {
      p[i] += 1;
    }
  }
}
