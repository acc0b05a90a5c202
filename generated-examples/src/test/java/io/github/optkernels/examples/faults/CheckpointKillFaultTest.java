package io.github.optkernels.examples.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} during saves: a child JVM ({@link SaveLoop}) saves a real bf16/fp16 Kahan
 * optimizer over one file after every step and is killed with SIGKILL at a random moment (fixed
 * seed). Each time, the file at the target path must be a complete checkpoint, the last one the
 * child reported or the one after it, and a run resumed from it (parameters restored, load,
 * train on) must be bit-identical to a run that was never interrupted.
 */
@Tag("fault")
class CheckpointKillFaultTest {
  private static final HalfSubject.Kind KIND = HalfSubject.Kind.AMSGRAD_MIXED_KAHAN;
  private static final long SEED = 11;
  private static final int TRIALS = 15;
  /** The child is killed during the save after it reports one of the first this-many saves, or soon after. */
  private static final int LATEST_REPORT = 30;
  /** Up to this long after that report: a save takes about 0.5–5 ms here (most of it fsync). */
  private static final long MAX_EXTRA_DELAY_NANOS = 4_000_000;
  /** Steps the resumed run trains after loading. */
  private static final int STEPS_AFTER_RESUME = 100;
  /** How long the child may take to report a save before the test gives up on it. */
  private static final long REPORT_TIMEOUT_SECONDS = 60;
  /** SIGKILL's exit status (128 + 9), which says the child was killed, not finished or crashed. */
  private static final int KILLED = 137;

  @TempDir
  Path dir;

  /** The uninterrupted run's state after each step, extended as trials need it. */
  private final HalfSubject uninterrupted = new HalfSubject(KIND, SEED);
  private final List<OptimizerState> uninterruptedStates = new ArrayList<>(List.of(OptimizerState.of(uninterrupted)));

  @Test
  void aSaveKilledAtAnyMomentLeavesALoadableOldOrNewFileAndTheResumedRunIsBitIdentical() throws Exception {
    SplittableRandom random = new SplittableRandom(20_261_201);
    for (int trial = 0; trial < TRIALS; trial++) {
      int killAfter = 1 + random.nextInt(LATEST_REPORT);
      long extraDelay = random.nextLong(MAX_EXTRA_DELAY_NANOS);
      String what = "trial " + trial + " (killed " + extraDelay / 1000 + " µs after save " + killAfter + ")";
      Path file = dir.resolve("trial-" + trial).resolve("optimizer.ckpt");
      Files.createDirectories(file.getParent());

      long lastReported = killDuringSaves(file, killAfter, extraDelay, what);

      HalfSubject resumed = new HalfSubject(KIND, SEED);
      try {
        resumed.optimizer.load(file);
      } catch (IOException e) {
        throw new AssertionError(what + ": the file at the target path does not load: " + e.getMessage(), e);
      }
      long saved = resumed.optimizer.stepCount();
      assertTrue(saved == lastReported || saved == lastReported + 1,
          what + ": the file holds step " + saved + " but the child last reported " + lastReported);
      OptimizerState expected = stateAfter(saved);
      expected.copyParametersInto(resumed); // the caller restores its model's parameters
      assertNull(expected.firstDifference(OptimizerState.of(resumed)), what + ": loaded state");
      resumed.trainTo(saved + STEPS_AFTER_RESUME);
      assertNull(stateAfter(saved + STEPS_AFTER_RESUME).firstDifference(OptimizerState.of(resumed)),
          what + ": the resumed run differs from the uninterrupted one");
    }
  }

  /**
   * Starts a {@link SaveLoop}, kills it with SIGKILL {@code extraDelay} after it reports save
   * {@code killAfter}, and returns the last save it reported.
   */
  private static long killDuringSaves(Path file, int killAfter, long extraDelay, String what) throws Exception {
    Path stderr = file.resolveSibling("stderr.txt");
    Process child = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // C1 only and a small serial heap: the child lives for a few dozen saves, so C2 would only
        // compete for the CPU; the arithmetic is the same bits in either compiler
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m",
        "-cp", System.getProperty("java.class.path"),
        SaveLoop.class.getName(), KIND.name(), Long.toString(SEED), file.toString())
        .redirectError(stderr.toFile())
        .start();
    BlockingQueue<Long> reports = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> readReports(child, reports), "save-loop-reader");
    reader.setDaemon(true);
    reader.start();
    long lastReported = 0;
    try {
      while (lastReported < killAfter) {
        Long next = reports.poll(REPORT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (next == null || next < 0) {
          fail(what + ": the child stopped reporting saves; its stderr:\n" + Files.readString(stderr));
        }
        lastReported = next;
      }
      LockSupport.parkNanos(extraDelay);
    } finally {
      // SIGKILL on Linux, through the process handle: Process.destroyForcibly also closes the
      // child's output stream, and a line the child printed just before dying, still in the pipe,
      // was then lost to the reader ("the file holds step 22 but the child last reported 20")
      child.toHandle().destroyForcibly();
    }
    assertTrue(child.waitFor(REPORT_TIMEOUT_SECONDS, TimeUnit.SECONDS), what + ": the child did not die");
    assertEquals(KILLED, child.exitValue(), what + ": the child was not killed by SIGKILL; its stderr:\n"
        + Files.readString(stderr));
    reader.join(TimeUnit.SECONDS.toMillis(REPORT_TIMEOUT_SECONDS));
    for (Long report : reports) { // what the child printed between the kill decision and its death
      lastReported = Math.max(lastReported, report);
    }
    return lastReported;
  }

  /** Queues the step of every {@code saved <step>} line, then -1 at the end of the child's output. */
  private static void readReports(Process child, BlockingQueue<Long> reports) {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith("saved ")) {
          reports.add(Long.parseLong(line.substring(6)));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // the child was killed mid-line or its pipe closed: what was read is what it reported
    }
    reports.add(-1L);
  }

  /** The uninterrupted run's state after {@code steps} steps. */
  private OptimizerState stateAfter(long steps) {
    while (uninterruptedStates.size() <= steps) {
      uninterrupted.step();
      uninterruptedStates.add(OptimizerState.of(uninterrupted));
    }
    OptimizerState state = uninterruptedStates.get((int) steps);
    assertNotNull(state);
    assertEquals(steps, state.finishedSteps());
    return state;
  }
}
