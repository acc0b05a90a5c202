package io.github.optkernels.runtime;

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
 * Version 2 of the format: 16-bit arrays say whether they hold bf16 or fp16, the rounding seed is
 * saved, and version-1 files still load when they have no 16-bit arrays; a version-1 file with
 * 16-bit arrays, which cannot say which format they hold, is refused rather than guessed.
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
   * A version-1 file made from a version-2 one: no seed field, version 1, and 16-bit codes
   * replaced by version 1's single code 3. Exactly what a version-1 writer wrote.
   */
  private static byte[] asVersion1(byte[] v2, String sixteenBitState) {
    return rewritten(v2, 1, sixteenBitState);
  }

  /** {@code v2} as {@code version} (1: without the seed field), with 16-bit code 3 on {@code sixteenBitState}. */
  private static byte[] rewritten(byte[] v2, int version, String sixteenBitState) {
    int dropped = version == 1 ? 8 : 0;
    ByteBuffer in = ByteBuffer.wrap(v2).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength = in.getInt(12);
    int offset = 16;
    for (int s = 0; s < 3; s++) { // name, class, structure
      offset += 4 + in.getInt(offset);
    }
    int seedAt = offset + 16; // after finished and skipped steps
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    header.write(v2, 16, seedAt - 16);
    header.write(v2, seedAt + dropped, 16 + headerLength - seedAt - dropped);
    byte[] h = header.toByteArray();
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
    ByteBuffer out = ByteBuffer.allocate(v2.length - dropped).order(ByteOrder.LITTLE_ENDIAN);
    out.put(v2, 0, 8).putInt(version).putInt(h.length).put(h).putInt((int) crc.getValue());
    out.put(v2, 16 + headerLength + 4, v2.length - (16 + headerLength + 4));
    return out.array();
  }

  @Test
  void aVersion1FileWithoutSixteenBitArraysStillLoads() throws IOException {
    TestOptimizer saved = new TestOptimizer();
    saved.add(TestOptimizer.floats(5, 1), TestOptimizer.floats(5, 2));
    saved.add(TestOptimizer.doubles(4, 3), TestOptimizer.doubles(4, 4));
    saved.step();
    saved.step();
    Path v2 = dir.resolve("v2.ckpt");
    saved.save(v2);
    Path v1 = dir.resolve("v1.ckpt");
    Files.write(v1, asVersion1(Files.readAllBytes(v2), null));
    TestOptimizer target = new TestOptimizer();
    target.add(TestOptimizer.floats(5, 1), TestOptimizer.floats(5, 2));
    target.add(TestOptimizer.doubles(4, 3), TestOptimizer.doubles(4, 4));
    target.load(v1);
    for (int k = 0; k < 2; k++) {
      KernelOptimizer.Tensor a = saved.tensors().get(k);
      KernelOptimizer.Tensor b = target.tensors().get(k);
      assertEquals(a.step, b.step);
      assertEquals(a.momentumProduct, b.momentumProduct);
      for (int s = 0; s < a.state.length; s++) {
        assertTrue(TestOptimizer.sameArray(a.state[s], b.state[s]));
      }
    }
    assertEquals(2, target.stepCount());
  }

  @Test
  void aVersion1FileWithSixteenBitArraysIsRefusedNotGuessed() throws IOException {
    Path v2 = dir.resolve("v2.ckpt");
    stepped(HalfFormat.BF16, 0).save(v2);
    Path v1 = dir.resolve("v1.ckpt");
    Files.write(v1, asVersion1(Files.readAllBytes(v2), "m_bf16"));
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
    Files.write(fake, rewritten(Files.readAllBytes(v2), 2, "m_bf16"));
    CheckpointException e = assertThrows(CheckpointException.class, () -> stepped(HalfFormat.BF16, 0).load(fake));
    assertEquals(Problem.CORRUPTED, e.problem(), e.getMessage());
    assertTrue(e.getMessage().contains("only version 1 used"), e.getMessage());
  }
}
