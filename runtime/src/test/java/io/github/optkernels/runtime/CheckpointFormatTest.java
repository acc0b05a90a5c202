package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.optkernels.runtime.CheckpointException.Problem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Versions of the format: 16-bit arrays say whether they hold bf16 or fp16 (since version 2), the
 * rounding seed is saved (since 2), hyperparameters are saved by name (since 3); version-2 files,
 * and version-1 files without 16-bit arrays, still load; a version-1 file with 16-bit arrays,
 * which cannot say which format they hold, is refused rather than guessed.
 */
class CheckpointFormatTest {
  @TempDir
  Path dir;

  /** Float tensors with one 16-bit state array declared as {@code format}. */
  private static final class Sixteen extends KernelOptimizer {
    private final HalfFormat format;
    final List<Bits16Kernel> kernels = new ArrayList<>();

    Sixteen(HalfFormat format, long seed) {
      super(TestOptimizer.SPEC, TestOptimizer.H, seed);
      this.format = format;
    }

    @Override
    protected StepKernel newKernel(Class<?> bufferType) {
      Bits16Kernel kernel = new Bits16Kernel(format);
      kernels.add(kernel);
      return kernel;
    }
  }

  private static Sixteen stepped(HalfFormat format, long seed) {
    Sixteen optimizer = new Sixteen(format, seed);
    optimizer.add(TestOptimizer.floats(6, 1), TestOptimizer.floats(6, 2));
    optimizer.add(TestOptimizer.floats(3, 3), TestOptimizer.floats(3, 4));
    optimizer.step();
    optimizer.step();
    return optimizer;
  }

  @Test
  void sixteenBitStateOfOneFormatNeverLoadsIntoTheOther() throws IOException {
    for (HalfFormat saved : HalfFormat.values()) {
      Path file = dir.resolve(saved + ".ckpt");
      stepped(saved, 0).save(file);
      HalfFormat other = saved == HalfFormat.BF16 ? HalfFormat.FP16 : HalfFormat.BF16;
      Sixteen target = stepped(other, 0);
      target.step();
      Snapshot before = new Snapshot(target);
      CheckpointException e = assertThrows(CheckpointException.class, () -> target.load(file));
      assertEquals(Problem.SHAPE_MISMATCH, e.problem());
      assertTrue(e.getMessage().contains("tensor 0 state 0 is m_bf16 (" + saved + ") in the checkpoint but m_bf16 ("
          + other + ") here"), e.getMessage());
      before.assertUnchanged(target);
      Sixteen same = stepped(saved, 0);
      same.load(file);
    }
  }

  @Test
  void theRoundingSeedIsSavedAndEveryTensorIsReseededOnLoad() throws IOException {
    Path file = dir.resolve("seeded.ckpt");
    stepped(HalfFormat.BF16, 1).save(file);
    Sixteen target = stepped(HalfFormat.BF16, 2);
    assertEquals(2, target.roundingSeed());
    target.load(file);
    assertEquals(1, target.roundingSeed());
    assertEquals(RoundingNoise.tensorSeed(1, 0), target.kernels.get(0).roundingSeed);
    assertEquals(RoundingNoise.tensorSeed(1, 1), target.kernels.get(1).roundingSeed);
  }

  @Test
  void aKernelWithShortArraysMustSayWhichFormatTheyHold() {
    KernelOptimizer optimizer = new KernelOptimizer(TestOptimizer.SPEC, TestOptimizer.H) {
      @Override
      protected StepKernel newKernel(Class<?> bufferType) {
        return new Bits16Kernel(null);
      }
    };
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> optimizer.add(new float[2], new float[2]));
    assertTrue(e.getMessage().contains("bf16 or fp16"), e.getMessage());
    assertEquals(0, optimizer.tensorCount());
  }

  /**
   * A version-1 file made from a version-3 one: no seed field, version 1, the hyperparameters by
   * position, and 16-bit codes replaced by version 1's single code 3. Exactly what a version-1
   * writer wrote.
   */
  private static byte[] asVersion1(byte[] v3, String sixteenBitState) {
    return rewritten(v3, 1, sixteenBitState);
  }

  /**
   * {@code v4} as an older writer wrote it (its version-3 form, {@link OlderCheckpoints#asVersion3}, then): version 2 and 1 store the built-in hyperparameters by
   * position (eight float64 in {@link Hyperparameter#BUILT_IN} order, then the warm-up length as
   * an int32), version 1 also without the seed field; with 16-bit code 3 on
   * {@code sixteenBitState}.
   */
  static byte[] rewritten(byte[] v4, int version, String sixteenBitState) {
    byte[] v3 = OlderCheckpoints.asVersion3(v4, 1.0);
    ByteBuffer file = ByteBuffer.wrap(v3).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(3, file.getInt(8));
    int headerLength = file.getInt(12);
    ByteBuffer in = ByteBuffer.wrap(v3, 16, headerLength).slice().order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer out = ByteBuffer.allocate(headerLength).order(ByteOrder.LITTLE_ENDIAN);
    for (int s = 0; s < 3; s++) { // name, class, structure
      copy(in, out, 4 + in.getInt(in.position()));
    }
    copy(in, out, 16); // finished and skipped steps
    if (version == 1) {
      in.position(in.position() + 8); // no seed
    } else {
      copy(in, out, 8);
    }
    int groups = in.getInt();
    out.putInt(groups);
    for (int g = 0; g < groups; g++) {
      java.util.Map<String, Double> named = new java.util.HashMap<>();
      int count = in.getInt();
      for (int k = 0; k < count; k++) {
        byte[] name = new byte[in.getInt()];
        in.get(name);
        named.put(new String(name, StandardCharsets.UTF_8), in.getDouble());
      }
      assertEquals(Hyperparameter.BUILT_IN.size(), count);
      for (Hyperparameter h : Hyperparameter.BUILT_IN) {
        if (h.isInteger()) {
          out.putInt((int) (double) named.get(h.name()));
        } else {
          out.putDouble(named.get(h.name()));
        }
      }
      copy(in, out, 1 + 8 + 8 + 8); // schedule kind, warmupSteps, totalSteps, minFactor
      copy(in, out, 4 + 8 * in.getInt(in.position())); // the explicit table
      copy(in, out, 8); // schedule position
    }
    copy(in, out, in.remaining()); // the tensors
    byte[] h = java.util.Arrays.copyOf(out.array(), out.position());
    if (sixteenBitState != null) {
      byte[] name = sixteenBitState.getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i + name.length < h.length; i++) {
        if (java.util.Arrays.equals(h, i, i + name.length, name, 0, name.length)) {
          assertTrue(h[i + name.length] == 4 || h[i + name.length] == 5);
          h[i + name.length] = 3;
        }
      }
    }
    CRC32C crc = new CRC32C();
    crc.update(h);
    int data = v3.length - (16 + headerLength + 4);
    ByteBuffer result = ByteBuffer.allocate(16 + h.length + 4 + data).order(ByteOrder.LITTLE_ENDIAN);
    result.put(v3, 0, 8).putInt(version).putInt(h.length).put(h).putInt((int) crc.getValue());
    result.put(v3, 16 + headerLength + 4, data);
    return result.array();
  }

  private static void copy(ByteBuffer in, ByteBuffer out, int n) {
    ByteBuffer part = in.slice();
    part.limit(n);
    out.put(part);
    in.position(in.position() + n);
  }

  @Test
  void aVersion2FileStillLoadsWithEveryHyperparameterInItsPlace() throws IOException {
    Hyperparameters second = TestOptimizer.H.withLr(0.03).withBeta1(0.8).withBeta2(0.99).withEps(1e-6)
        .withWeightDecay(0.01).withMomentumDecay(0.005);
    // the test kernels ignore the warm-up, so its group has no tensors
    Hyperparameters third = TestOptimizer.H.withVarianceWarmupSteps(7).withLr(0.25);
    TestOptimizer saved = new TestOptimizer();
    saved.addGroup(second).add(TestOptimizer.floats(5, 1), TestOptimizer.floats(5, 2));
    saved.addGroup(third);
    saved.add(TestOptimizer.doubles(4, 3), TestOptimizer.doubles(4, 4));
    saved.step();
    saved.step();
    Path v3 = dir.resolve("v3.ckpt");
    saved.save(v3);
    Path v2 = dir.resolve("v2.ckpt");
    Files.write(v2, rewritten(Files.readAllBytes(v3), 2, null));
    TestOptimizer target = new TestOptimizer();
    target.addGroup(TestOptimizer.H).add(TestOptimizer.floats(5, 1), TestOptimizer.floats(5, 2));
    target.addGroup(TestOptimizer.H);
    target.add(TestOptimizer.doubles(4, 3), TestOptimizer.doubles(4, 4));
    target.load(v2);
    assertEquals(second, target.groups().get(1).hyperparameters());
    assertEquals(third, target.groups().get(2).hyperparameters());
    assertEquals(TestOptimizer.H, target.groups().get(0).hyperparameters());
    for (int k = 0; k < 2; k++) {
      KernelOptimizer.Tensor a = saved.tensors().get(k);
      KernelOptimizer.Tensor b = target.tensors().get(k);
      assertEquals(a.step, b.step);
      assertArrayEquals(a.carried, b.carried);
      for (int s = 0; s < a.state.length; s++) {
        assertTrue(TestOptimizer.sameArray(a.state[s], b.state[s]));
      }
    }
  }

  @Test
  void aVersion1FileWithoutSixteenBitArraysStillLoads() throws IOException {
    TestOptimizer saved = new TestOptimizer();
    saved.add(TestOptimizer.floats(5, 1), TestOptimizer.floats(5, 2));
    saved.add(TestOptimizer.doubles(4, 3), TestOptimizer.doubles(4, 4));
    saved.step();
    saved.step();
    Path v3 = dir.resolve("v3.ckpt");
    saved.save(v3);
    Path v1 = dir.resolve("v1.ckpt");
    Files.write(v1, asVersion1(Files.readAllBytes(v3), null));
    TestOptimizer target = new TestOptimizer();
    target.add(TestOptimizer.floats(5, 1), TestOptimizer.floats(5, 2));
    target.add(TestOptimizer.doubles(4, 3), TestOptimizer.doubles(4, 4));
    target.load(v1);
    for (int k = 0; k < 2; k++) {
      KernelOptimizer.Tensor a = saved.tensors().get(k);
      KernelOptimizer.Tensor b = target.tensors().get(k);
      assertEquals(a.step, b.step);
      assertArrayEquals(a.carried, b.carried);
      for (int s = 0; s < a.state.length; s++) {
        assertTrue(TestOptimizer.sameArray(a.state[s], b.state[s]));
      }
    }
    assertEquals(2, target.stepCount());
  }

  @Test
  void aVersion1FileWithSixteenBitArraysIsRefusedNotGuessed() throws IOException {
    Path v3 = dir.resolve("v3.ckpt");
    stepped(HalfFormat.BF16, 0).save(v3);
    Path v1 = dir.resolve("v1.ckpt");
    Files.write(v1, asVersion1(Files.readAllBytes(v3), "m_bf16"));
    for (HalfFormat format : HalfFormat.values()) {
      Sixteen target = stepped(format, 0);
      Snapshot before = new Snapshot(target);
      CheckpointException e = assertThrows(CheckpointException.class, () -> target.load(v1));
      assertEquals(Problem.UNSUPPORTED_VERSION, e.problem());
      assertTrue(e.getMessage().contains("tensor 0's state m_bf16 are 16-bit in a version-1 checkpoint"),
          e.getMessage());
      before.assertUnchanged(target);
    }
    // version 2 never writes that code: in a version-2 file it is corruption
    Path fake = dir.resolve("fake.ckpt");
    Files.write(fake, rewritten(Files.readAllBytes(v3), 2, "m_bf16"));
    CheckpointException e = assertThrows(CheckpointException.class, () -> stepped(HalfFormat.BF16, 0).load(fake));
    assertEquals(Problem.CORRUPTED, e.problem(), e.getMessage());
    assertTrue(e.getMessage().contains("only version 1 used"), e.getMessage());
  }
}
