package io.github.optkernels.examples.offheap;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.optkernels.examples.conformance.ConformanceCase;
import io.github.optkernels.examples.conformance.VariantRegistry;
import io.github.optkernels.examples.rules.Adamax;
import io.github.optkernels.examples.rules.Adan;
import io.github.optkernels.examples.rules.Lamb;
import io.github.optkernels.examples.rules.Lion;
import io.github.optkernels.examples.rules.ScheduleFreeAdamW;
import io.github.optkernels.examples.rules.SgdMomentum;
import io.github.optkernels.examples.rules.SgdNesterov;
import io.github.optkernels.examples.variants.half.AdamStochastic;
import io.github.optkernels.runtime.BufferFormat;
import io.github.optkernels.runtime.Hyperparameters;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.LrSchedule;
import io.github.optkernels.runtime.OffHeap;
import io.github.optkernels.runtime.ParamGroup;
import io.github.optkernels.runtime.StepKernel;
import io.github.optkernels.runtime.StepOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Off-heap tensors against the same generated optimizers on heap arrays: every named variant in
 * float32 and float64 and a 16-bit optimizer of each rule in each storage configuration (bf16
 * and fp16), two groups with schedules, odd lengths across the off-heap chunk size, serial and on
 * 2 threads: parameters and state bit for bit after every step; checkpoints from one load into
 * the other and back. Counts what it compared, so a variant cannot slip through.
 */
class OffHeapTensorsTest {
  private static final int STEPS = 7;
  /** Odd lengths: shorter than a chunk, one past a chunk, several chunks with a tail. */
  private static final int[] LENGTHS = {1, 7, OffHeap.CHUNK + 1, 3 * OffHeap.CHUNK + 517, 33};
  private static final Hyperparameters BASE = new Hyperparameters(3e-3, 0.9, 0.9, 1e-6, 0, 0.01,
      Double.NaN, 0.004, 0);
  private static final String HALF = "io.github.optkernels.examples.variants.half.";
  /** One 16-bit optimizer per rule and storage configuration (moments, Kahan). */
  private static final List<String> HALF_OPTIMIZERS = List.of("AdamWMixedKahan", "AdamWMixed",
      "AdamWPureKahan", "AdamWPure", "RAdamMixedKahan", "RAdamPure", "NAdamMixedKahan", "NAdamPure",
      "AMSGradPureKahan", "AdaBeliefMixed", "AdaBeliefAMSGradPureKahan", "RAdamWFullyDecoupledMixedKahan");

  private static final StepOptions[] OPTIONS = {
    StepOptions.serial(),
    StepOptions.defaults().withThreads(2).withSerialThreshold(0).withChunkSize(2 * OffHeap.CHUNK + 3),
  };

  @Test
  void floatAndDoubleVariantsStepOffHeapMemoryBitForBitAsArrays() {
    long compared = 0;
    int runs = 0;
    for (String variant : ConformanceCase.VARIANTS) {
      Supplier<KernelOptimizer> factory = () -> withGroups(VariantRegistry.create(variant, BASE).orElseThrow());
      for (BufferFormat format : new BufferFormat[] {BufferFormat.FLOAT32, BufferFormat.FLOAT64}) {
        for (StepOptions options : OPTIONS) {
          compared += compareRuns(variant + " " + format + " " + options.threads() + " threads", factory,
              format, options);
          runs++;
        }
      }
    }
    assertThat(runs).isEqualTo(10 * 2 * OPTIONS.length);
    assertThat(compared).isGreaterThan(runs * (long) STEPS * 3 * 16000);
  }

  @Test
  void theLaterFamiliesStepOffHeapMemoryBitForBitAsArraysInFloat32AndFloat64() {
    long compared = 0;
    int runs = 0;
    List<Supplier<KernelOptimizer>> families = List.of(() -> Lion.builder().build(), () -> Adamax.builder().build(),
        () -> SgdMomentum.builder().build(), () -> SgdNesterov.builder().build(), () -> Adan.builder().build(),
        () -> Lamb.builder().build(), () -> ScheduleFreeAdamW.builder().build());
    for (Supplier<KernelOptimizer> family : families) {
      Supplier<KernelOptimizer> factory = () -> withTwoGroups(family.get());
      String variant = factory.get().spec().name();
      for (BufferFormat format : new BufferFormat[] {BufferFormat.FLOAT32, BufferFormat.FLOAT64}) {
        for (StepOptions options : OPTIONS) {
          compared += compareRuns(variant + " " + format + " " + options.threads() + " threads", factory, format,
              options);
          runs++;
        }
      }
    }
    assertThat(runs).isEqualTo(7 * 2 * OPTIONS.length);
    assertThat(compared).isGreaterThan(runs * (long) STEPS * 3 * 16000);
  }

  /**
   * Every float and double kernel steps off-heap tensors in place exactly where this JVM runs loops over
   * native memory: JDK 22+ with the Vector API, the examples then being compiled for Java 22
   * (generated-examples' java22-examples profile); else through the chunk copy. The comparisons
   * above then hold the loops over native memory to the array loops, tails and ranges that end
   * mid-vector (the two-thread options' odd chunk size) included.
   */
  @Test
  void everyFloatAndDoubleKernelStepsOffHeapTensorsInPlaceWhereThisJvmRunsLoopsOverNativeMemory() throws Exception {
    boolean inPlace = OffHeap.segmentLoops().startsWith("in place");
    assertThat(inPlace).isEqualTo(Runtime.version().feature() >= 22
        && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
    List<KernelOptimizer> optimizers = new java.util.ArrayList<>();
    for (String variant : ConformanceCase.VARIANTS) {
      optimizers.add(VariantRegistry.create(variant, BASE).orElseThrow());
    }
    optimizers.addAll(List.of(Lion.builder().build(), Adamax.builder().build(), SgdMomentum.builder().build(),
        SgdNesterov.builder().build(), Adan.builder().build(), Lamb.builder().build(),
        ScheduleFreeAdamW.builder().build()));
    for (KernelOptimizer optimizer : optimizers) {
      String variant = optimizer.spec().name();
      StepKernel kernel = optimizer.kernelClass(float[].class).getConstructor().newInstance();
      assertWithMessage(variant).that(kernel.segmentLoops() != null).isEqualTo(inPlace);
      assertWithMessage(variant + " double").that(optimizer.kernelClass(double[].class).getConstructor().newInstance()
          .segmentLoops() != null).isEqualTo(inPlace);
      assertWithMessage(variant).that(OffHeap.stepsInPlace(optimizer, BufferFormat.FLOAT64)).isEqualTo(inPlace);
    }
  }

  @Test
  void sixteenBitOptimizersStepOffHeapMemoryBitForBitAsArrays() {
    long compared = 0;
    int runs = 0;
    for (String name : HALF_OPTIMIZERS) {
      Supplier<KernelOptimizer> factory = () -> withGroups(half(name));
      for (BufferFormat format : new BufferFormat[] {BufferFormat.BF16, BufferFormat.FP16}) {
        for (StepOptions options : OPTIONS) {
          compared += compareRuns(name + " " + format + " " + options.threads() + " threads", factory, format,
              options);
          runs++;
        }
      }
    }
    assertThat(runs).isEqualTo(HALF_OPTIMIZERS.size() * 2 * OPTIONS.length);
    assertThat(compared).isGreaterThan(runs * (long) STEPS * 3 * 16000);
  }

  @Test
  void aCheckpointOfOffHeapTensorsLoadsIntoHeapTensorsAndBackBitForBit(@TempDir Path dir) throws IOException {
    for (String name : List.of("adamw", "nadam", "radam")) {
      roundTrip(dir, name, () -> withGroups(VariantRegistry.create(name, BASE).orElseThrow()), BufferFormat.FLOAT32);
      roundTrip(dir, name, () -> withGroups(VariantRegistry.create(name, BASE).orElseThrow()), BufferFormat.FLOAT64);
    }
    roundTrip(dir, "AdamWMixedKahan", () -> withGroups(half("AdamWMixedKahan")), BufferFormat.BF16);
    roundTrip(dir, "AdamWPure", () -> withGroups(half("AdamWPure")), BufferFormat.FP16);
  }

  @Test
  void stochasticRoundingIsRefusedOffHeapWithTheReason() {
    AdamStochastic optimizer = AdamStochastic.builder().seed(7).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> optimizer.addDirect(BufferFormat.BF16, direct(8), direct(8)));
    assertThat(e).hasMessageThat().contains("rounds stochastically");
    assertThat(e).hasMessageThat().contains("index");
    assertThat(optimizer.tensorCount()).isEqualTo(0);
  }

  @Test
  void aFormatTheSpecDoesNotGenerateIsRefused() {
    KernelOptimizer adamw = VariantRegistry.create("adamw", BASE).orElseThrow();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> adamw.addDirect(BufferFormat.BF16, direct(8), direct(8)));
    assertThat(e).hasMessageThat().contains("no bf16 kernel");
    assertThat(adamw.tensorCount()).isEqualTo(0);
  }

  // ---- the comparison ----

  /** Steps the same tensors as arrays and off-heap; asserts every step's bits; returns elements compared. */
  private static long compareRuns(String what, Supplier<KernelOptimizer> factory, BufferFormat format,
      StepOptions options) {
    Pair pair = new Pair(factory, format, options);
    long compared = 0;
    for (int step = 1; step <= STEPS; step++) {
      pair.refreshGradients(step);
      pair.heap.step();
      pair.direct.step();
      compared += pair.assertSame(what + ", step " + step);
    }
    return compared;
  }

  private static void roundTrip(Path dir, String what, Supplier<KernelOptimizer> factory, BufferFormat format)
      throws IOException {
    Pair trained = new Pair(factory, format, StepOptions.serial());
    for (int step = 1; step <= 4; step++) {
      trained.refreshGradients(step);
      trained.heap.step();
      trained.direct.step();
    }
    Path offHeapFile = dir.resolve(what + "-" + format + "-direct.ckpt");
    trained.direct.save(offHeapFile);
    // a fresh pair: its heap side loads the off-heap file, its off-heap side the heap side's save
    Pair resumed = new Pair(factory, format, StepOptions.serial());
    resumed.heap.load(offHeapFile);
    Path heapFile = dir.resolve(what + "-" + format + "-heap.ckpt");
    resumed.heap.save(heapFile);
    resumed.direct.load(heapFile);
    resumed.assertStateSameAs(trained, what + " " + format + " after the round trip");
    // parameters are the caller's, saved with the model: restore them, then the resumed pair
    // continues as the trained one does
    resumed.restoreParameters(trained);
    for (Pair pair : new Pair[] {trained, resumed}) {
      pair.refreshGradients(5);
      pair.heap.step();
      pair.direct.step();
    }
    resumed.assertStateSameAs(trained, what + " " + format + " one step after the round trip");
    assertThat(resumed.assertSame(what + " resumed")).isGreaterThan(0L);
  }

  /** A family's own defaults in one group, a larger lr and no decay in another, each with a schedule. */
  private static KernelOptimizer withTwoGroups(KernelOptimizer optimizer) {
    optimizer.setSchedule(LrSchedule.warmupCosine(3, 40, 0.1));
    optimizer.addGroup(optimizer.hyperparameters().withLr(optimizer.hyperparameters().lr() * 3).withWeightDecay(0))
        .setSchedule(LrSchedule.explicit(1, 0, 0.5, 2, 1));
    return optimizer;
  }

  private static KernelOptimizer withGroups(KernelOptimizer optimizer) {
    optimizer.setSchedule(LrSchedule.warmupCosine(3, 40, 0.1));
    optimizer.addGroup(BASE.withLr(1e-2).withWeightDecay(0).withVarianceWarmupSteps(2))
        .setSchedule(LrSchedule.explicit(1e-2, 0, 5e-3, 2e-2, 1e-2));
    return optimizer;
  }

  /** A generated 16-bit optimizer of {@code variants.half}, built through its builder. */
  static KernelOptimizer half(String name) {
    try {
      Class<?> type = Class.forName(HALF + name);
      Object builder = type.getMethod("builder").invoke(null);
      builder = builder.getClass().getMethod("hyperparameters", Hyperparameters.class).invoke(builder, BASE);
      return (KernelOptimizer) builder.getClass().getMethod("build").invoke(builder);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(name, e);
    }
  }

  static ByteBuffer direct(int bytes) {
    return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
  }

  /** The same tensors registered as arrays in one optimizer and off-heap in another. */
  private static final class Pair {
    final KernelOptimizer heap;
    final KernelOptimizer direct;
    final BufferFormat format;
    final Object[] heapParams = new Object[LENGTHS.length];
    final Object[] heapGrads = new Object[LENGTHS.length];
    final ByteBuffer[] directParams = new ByteBuffer[LENGTHS.length];
    final ByteBuffer[] directGrads = new ByteBuffer[LENGTHS.length];

    Pair(Supplier<KernelOptimizer> factory, BufferFormat format, StepOptions options) {
      this.format = format;
      heap = factory.get();
      direct = factory.get();
      heap.setStepOptions(options);
      direct.setStepOptions(options);
      for (int k = 0; k < LENGTHS.length; k++) {
        int n = LENGTHS[k];
        heapParams[k] = Values.array(format, n, 1000 + k);
        heapGrads[k] = Values.array(format, n, 0);
        // the off-heap parameter sits at a non-zero position of a larger buffer: a tensor is
        // position to limit
        int offset = 3 * format.bytes();
        ByteBuffer whole = direct(offset + n * format.bytes() + 5);
        whole.position(offset).limit(offset + n * format.bytes());
        directParams[k] = whole;
        Values.copy(heapParams[k], whole.slice().order(ByteOrder.nativeOrder()), format);
        directGrads[k] = direct(n * format.bytes());
        ParamGroup group = heap.groups().get(k % 2);
        Values.addHeap(heap, group, format, heapParams[k], heapGrads[k]);
        direct.groups().get(k % 2).addDirect(format, directParams[k], directGrads[k]);
      }
    }

    void restoreParameters(Pair from) {
      for (int k = 0; k < LENGTHS.length; k++) {
        System.arraycopy(from.heapParams[k], 0, heapParams[k], 0, LENGTHS[k]);
        Values.copy(from.heapParams[k], directParams[k], format);
      }
    }

    void refreshGradients(long step) {
      for (int k = 0; k < LENGTHS.length; k++) {
        Values.fill(heapGrads[k], format, step * 31 + k);
        Values.copy(heapGrads[k], directGrads[k], format);
      }
    }

    /** Parameters and state of both sides, bit for bit; the number of elements compared. */
    long assertSame(String what) {
      long compared = 0;
      for (int k = 0; k < LENGTHS.length; k++) {
        ByteBuffer memory = directParams[k].slice().order(ByteOrder.nativeOrder());
        compared += Values.assertSameBits(what + ", tensor " + k + " param", heapParams[k], memory, format);
        compared += assertStateSame(what + ", tensor " + k, heap, heapParams[k], direct, directParams[k]);
      }
      return compared;
    }

    void assertStateSameAs(Pair other, String what) {
      for (int k = 0; k < LENGTHS.length; k++) {
        assertStateSame(what + ", heap tensor " + k, other.heap, other.heapParams[k], heap, heapParams[k]);
        assertStateSame(what + ", off-heap tensor " + k, other.heap, other.heapParams[k], direct, directParams[k]);
        assertWithMessage(what).that(direct.stepCount(directParams[k])).isEqualTo(other.heap.stepCount(other.heapParams[k]));
      }
    }

    private long assertStateSame(String what, KernelOptimizer a, Object paramA, KernelOptimizer b, Object paramB) {
      long compared = 0;
      assertWithMessage(what).that(b.stateNames(paramB)).isEqualTo(a.stateNames(paramA));
      for (String name : a.stateNames(paramA)) {
        compared += Values.assertSameBits(what + " " + name, a.state(paramA, name), b.state(paramB, name), null);
      }
      return compared;
    }
  }
}
