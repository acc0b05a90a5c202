package io.github.optkernels.bench;

import io.github.optkernels.runtime.NonFiniteGradients;
import io.github.optkernels.runtime.StepOptions;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The settings every benchmark of this module shares: time per operation (one optimizer step),
 * in nanoseconds, which {@link Table} divides by the elements a step touches.
 *
 * <p>Why these counts. <b>One fork:</b> each benchmark runs one plain loop whose compiled shape
 * does not vary between JVMs (it is vectorized or not, and {@code loop-check} shows which); what
 * varies on this shared 2-core machine is other processes, which more forks of the same length
 * do not average out any better than more iterations. <b>3 warm-up iterations of 1 s:</b> C2
 * compiles the step loops within the first (OSR for the 64M-element steps, which take tens of
 * milliseconds each), the other two show it settled. <b>5 measured iterations of 1 s:</b> enough
 * to see the spread; a 124M-parameter step takes 60–500 ms, so even those get 2–15 steps per
 * iteration. {@code -Xmx8g}: the GPT-2-small step holds 124M parameters with gradients and two
 * moments, 2 GB in float32, and the 64M-element double step 2 GB; the heap fits either with room
 * to spare. {@link Table} overrides the iteration counts and times for its short run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx8g")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class StepBenchmark {
  /** The value of a {@code threads} parameter that means every core this JVM sees. */
  public static final String ALL_CORES = "all";

  /** {@code "1"} or {@link #ALL_CORES} as a thread count. */
  static int threadCount(String threads) {
    return threads.equals(ALL_CORES) ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(threads);
  }

  /**
   * How the generated side steps on {@code threadCount} threads: the calling thread alone, or
   * the runtime's scheduler; gradients not scanned, like for like with the hand-written loops,
   * which check nothing.
   */
  static StepOptions generatedStepOptions(int threadCount) {
    StepOptions options = threadCount == 1 ? StepOptions.serial() : StepOptions.defaults().withThreads(threadCount);
    return options.withNonFiniteGradients(NonFiniteGradients.UNCHECKED);
  }
}
