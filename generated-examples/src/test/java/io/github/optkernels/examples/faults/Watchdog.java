package io.github.optkernels.examples.faults;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a long piece of work on its own daemon thread and fails the test, with a dump of every
 * thread's full stack, if the work stops making progress: a hang becomes a failure that shows
 * where each thread waits, instead of a build that never ends.
 */
final class Watchdog {
  /** What the work reports as it goes; the watchdog only looks at whether it moves. */
  interface Work {
    void run(AtomicLong progress) throws Exception;
  }

  private Watchdog() {}

  /**
   * Runs {@code work} and returns when it finishes, rethrowing what it threw; fails if its
   * progress counter stands still for {@code stallSeconds}.
   */
  static void run(String name, long stallSeconds, Work work) throws Exception {
    AtomicLong progress = new AtomicLong();
    FutureTask<Void> task = new FutureTask<>(() -> {
      work.run(progress);
      return null;
    });
    Thread thread = new Thread(task, name);
    thread.setDaemon(true); // a hung thread must not keep the test JVM alive
    thread.start();
    long seen = -1;
    while (true) {
      try {
        task.get(stallSeconds, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Error) {
          throw (Error) cause;
        }
        throw (Exception) cause;
      } catch (TimeoutException e) {
        long now = progress.get();
        if (now == seen) {
          fail(name + " made no progress for " + stallSeconds + " s (stuck at " + now + "); threads:\n"
              + threadDump());
        }
        seen = now;
      }
    }
  }

  /** Every live thread with its state, the lock it waits for and its whole stack. */
  static String threadDump() {
    StringBuilder dump = new StringBuilder();
    for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
      dump.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState());
      if (info.getLockName() != null) {
        dump.append(" on ").append(info.getLockName());
      }
      if (info.getLockOwnerName() != null) {
        dump.append(" owned by \"").append(info.getLockOwnerName()).append('"');
      }
      dump.append('\n');
      for (StackTraceElement frame : info.getStackTrace()) { // all frames: ThreadInfo.toString() prints 8
        dump.append("\tat ").append(frame).append('\n');
      }
      dump.append('\n');
    }
    return dump.toString();
  }
}
