package io.github.optkernels.examples.half;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.optkernels.examples.variants.half.AdamStochastic;
import io.github.optkernels.examples.variants.half.AdamWMixed;
import io.github.optkernels.examples.variants.half.AdamWMixedKahan;
import io.github.optkernels.examples.variants.half.AdamWPureKahan;
import io.github.optkernels.runtime.Bf16;
import io.github.optkernels.runtime.CheckpointException;
import io.github.optkernels.runtime.Fp16;
import io.github.optkernels.runtime.KernelOptimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints of 16-bit tensors: bf16 and fp16 are both {@code short[]}, but a file records which
 * one each array holds, so a bf16 checkpoint never loads into fp16 tensors or the reverse (a
 * Kahan compensation of 6.9e-5 in bf16 reads as 0.57 in fp16); and the stochastic-rounding seed
 * is part of the file, so a resumed run is the saved run, whatever seed the loading optimizer was
 * built with.
 */
class SixteenBitCheckpointTest {
  @TempDir
  Path dir;

  private static final int N = 37;

  /** What a test needs of a generated 16-bit optimizer: its base, and its typed registration. */
  private record Sixteen(KernelOptimizer optimizer, Registrar bf16, Registrar fp16) {}

  private interface Registrar {
    void add(short[] param, short[] grad);
  }

  private static Sixteen mixed() {
    AdamWMixed o = AdamWMixed.builder().build();
    return new Sixteen(o, o::addBf16, o::addFp16);
  }

  private static Sixteen mixedKahan() {
    AdamWMixedKahan o = AdamWMixedKahan.builder().build();
    return new Sixteen(o, o::addBf16, o::addFp16);
  }

  private static Sixteen pureKahan() {
    AdamWPureKahan o = AdamWPureKahan.builder().build();
    return new Sixteen(o, o::addBf16, o::addFp16);
  }

  /** Bits of values in [-1, 1) in either format. */
  private static short[] bits(boolean bf16, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    short[] bits = new short[N];
    for (int i = 0; i < N; i++) {
      float value = (float) (2 * random.nextDouble() - 1);
      bits[i] = bf16 ? Bf16.fromFloat(value) : Fp16.fromFloat(value);
    }
    return bits;
  }

  /** An optimizer with one registered tensor. */
  private record Trained(KernelOptimizer optimizer, short[] param) {}

  /** Registers one tensor in {@code bf16} or fp16 and takes three steps. */
  private static Trained trained(Supplier<Sixteen> factory, boolean bf16) {
    Sixteen s = factory.get();
    short[] param = bits(bf16, 1);
    (bf16 ? s.bf16() : s.fp16()).add(param, bits(bf16, 2));
    for (int t = 0; t < 3; t++) {
      s.optimizer().step();
    }
    return new Trained(s.optimizer(), param);
  }

  /** Every state array and step count of {@code optimizer}, for an unchanged-check. */
  private static List<Object> state(KernelOptimizer optimizer, Object param) {
    List<Object> copy = new ArrayList<>();
    copy.add(optimizer.stepCount());
    copy.add(optimizer.stepCount(param));
    for (String name : optimizer.stateNames(param)) {
      Object array = optimizer.state(param, name);
      copy.add(array instanceof short[] ? List.of(toList((short[]) array)) : List.of(toList((float[]) array)));
    }
    return copy;
  }

  private static List<Short> toList(short[] array) {
    List<Short> list = new ArrayList<>();
    for (short s : array) {
      list.add(s);
    }
    return list;
  }

  private static List<Float> toList(float[] array) {
    List<Float> list = new ArrayList<>();
    for (float f : array) {
      list.add(f);
    }
    return list;
  }

  /** Three storage configurations (16-bit parameter only; + a 16-bit Kahan buffer; + 16-bit moments), both ways. */
  @Test
  void aBf16CheckpointNeverLoadsIntoFp16TensorsOrTheReverse() throws IOException {
    List<Supplier<Sixteen>> configurations = List.of(SixteenBitCheckpointTest::mixed,
        SixteenBitCheckpointTest::mixedKahan, SixteenBitCheckpointTest::pureKahan);
    int refused = 0;
    for (Supplier<Sixteen> configuration : configurations) {
      for (boolean savedBf16 : new boolean[] {true, false}) {
        Trained saved = trained(configuration, savedBf16);
        Path file = dir.resolve("saved.ckpt");
        saved.optimizer().save(file);

        Trained target = trained(configuration, !savedBf16);
        short[] param = target.param();
        List<Object> before = state(target.optimizer(), param);
        CheckpointException e = assertThrows(CheckpointException.class, () -> target.optimizer().load(file));
        String stored = savedBf16 ? "bf16" : "fp16";
        String here = savedBf16 ? "fp16" : "bf16";
        assertThat(e.problem()).isEqualTo(CheckpointException.Problem.SHAPE_MISMATCH);
        assertThat(e).hasMessageThat().contains("tensor 0 has " + stored + " parameters in the checkpoint but "
            + here + " here");
        assertWithMessage("state after a refused load").that(state(target.optimizer(), param)).isEqualTo(before);

        // the same format loads
        Trained same = trained(configuration, savedBf16);
        same.optimizer().step(); // moves away from the file, which the load then restores
        same.optimizer().load(file);
        assertThat(state(same.optimizer(), same.param())).isEqualTo(state(saved.optimizer(), saved.param()));
        refused++;
      }
    }
    assertThat(refused).isEqualTo(6);
  }

  @Test
  void theRoundingSeedIsSavedSoAResumedRunIsTheSavedRun() throws IOException {
    final int total = 12;
    final int saveAt = 5;
    short[] grads = bits(true, 7);
    // the uninterrupted seed-1 run
    short[] straight = bits(true, 3);
    AdamStochastic uninterrupted = AdamStochastic.builder().lr(1e-2).seed(1).build()
        .addBf16(straight, grads.clone());
    for (int t = 0; t < total; t++) {
      uninterrupted.step();
    }
    // seed 1 up to step 5, saved; a seed-2 optimizer loads it and finishes
    short[] resumed = bits(true, 3);
    AdamStochastic first = AdamStochastic.builder().lr(1e-2).seed(1).build().addBf16(resumed, grads.clone());
    for (int t = 0; t < saveAt; t++) {
      first.step();
    }
    Path file = dir.resolve("stochastic.ckpt");
    first.save(file);
    AdamStochastic second = AdamStochastic.builder().lr(1e-2).seed(2).build().addBf16(resumed, grads.clone());
    second.load(file);
    assertThat(second.roundingSeed()).isEqualTo(1L);
    for (int t = saveAt; t < total; t++) {
      second.step();
    }
    assertThat(resumed).isEqualTo(straight);
    assertThat(second.expAvg(resumed)).isEqualTo(uninterrupted.expAvg(straight));

    // and the seed matters here: seed 2 throughout gives another run
    short[] other = bits(true, 3);
    AdamStochastic seed2 = AdamStochastic.builder().lr(1e-2).seed(2).build().addBf16(other, grads.clone());
    for (int t = 0; t < total; t++) {
      seed2.step();
    }
    assertThat(other).isNotEqualTo(straight);
  }
}
