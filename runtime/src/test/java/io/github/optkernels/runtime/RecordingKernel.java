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
 * that ask ({@code p ← p + 1}). Optionally, its first update waits (up to 10 s) until a second
 * thread has entered an update too, so a test can require that pool threads take part.
 */
final class RecordingKernel implements StepKernel {
  /** {@code [tensorLength, from, to]} of every update, in any order. */
  final List<int[]> ranges = Collections.synchronizedList(new ArrayList<>());
  final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final CountDownLatch secondThread;
  private StepPhase phase;

  RecordingKernel(CountDownLatch secondThread) {
    this.secondThread = secondThread;
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
      secondThread.countDown();
      try {
        secondThread.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (int i = from; i < to; i++) {
      p[i] += 1;
    }
  }
}
