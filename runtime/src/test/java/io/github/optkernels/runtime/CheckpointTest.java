package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.optkernels.runtime.CheckpointException.Problem;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Save and load: a round trip restores everything bit for bit and training continues
 * identically; every way a file can be wrong is refused with its {@link Problem} and leaves the
 * loading optimizer exactly as it was; a save that fails midway leaves the previous file intact.
 */
class CheckpointTest {
  @TempDir
  Path dir;

  /** Two groups with different hyperparameters and schedules, float and double tensors, 3 steps in. */
  private static final class Model {
    final List<Object> params = new ArrayList<>();
    final List<Object> grads = new ArrayList<>();
    final TestOptimizer optimizer;

    Model(Supplier<TestOptimizer> factory, int[] sizes, boolean stepped) {
      optimizer = factory.get();
      ParamGroup second = optimizer.addGroup(TestOptimizer.H.withLr(0.03).withBeta1(0.5));
      for (int k = 0; k < sizes.length; k++) {
        Object p = k == 2 ? TestOptimizer.doubles(sizes[k], k) : TestOptimizer.floats(sizes[k], k);
        Object g = k == 2 ? TestOptimizer.doubles(sizes[k], 10 + k) : TestOptimizer.floats(sizes[k], 10 + k);
        params.add(p);
        grads.add(g);
        (k % 2 == 0 ? optimizer.defaultGroup() : second).add(p, g);
      }
      if (stepped) {
        optimizer.setSchedule(LrSchedule.warmupCosine(2, 50, 0.1));
        second.setSchedule(LrSchedule.explicit(0.1, 0.2, 0.3, 0.05));
        for (int s = 0; s < 3; s++) {
          optimizer.step();
        }
        optimizer.stepTensor(params.get(1)); // a tensor one step ahead of its group
      }
    }

    /** A fresh model of the same shape whose parameters are copies of this one's (as a user restores them). */
    Model freshCopy(Supplier<TestOptimizer> factory, int[] sizes) {
      Model fresh = new Model(factory, sizes, false);
      for (int k = 0; k < params.size(); k++) {
        System.arraycopy(params.get(k), 0, fresh.params.get(k), 0, sizes[k]);
      }
      return fresh;
    }
  }

  private static final int[] SIZES = {7, 33, 5, 1, 64};

  @Test
  void aRoundTripRestoresEverythingAndTrainingContinuesBitForBit() throws IOException {
    for (Supplier<TestOptimizer> factory : List.<Supplier<TestOptimizer>>of(TestOptimizer::new, TestOptimizer::withBits16)) {
      Model original = new Model(factory, SIZES, true);
      Path file = dir.resolve("ckpt");
      original.optimizer.save(file);
      Model restored = original.freshCopy(factory, SIZES);
      restored.optimizer.load(file);

      assertTrue(new Snapshot(restored.optimizer).sameAs(new Snapshot(original.optimizer)));
      assertEquals(original.optimizer.defaultGroup().schedule(), restored.optimizer.defaultGroup().schedule());
      assertEquals(3, restored.optimizer.groups().get(1).schedulePosition());
      assertEquals(4, restored.optimizer.stepCount(restored.params.get(1)));

      for (int s = 0; s < 3; s++) {
        original.optimizer.step();
        restored.optimizer.step();
      }
      assertTrue(new Snapshot(restored.optimizer).sameAs(new Snapshot(original.optimizer)));
      // loading copies into the live state arrays, which the caller may hold
      Object live = restored.optimizer.tensors().get(0).state[0];
      restored.optimizer.load(file);
      assertTrue(live == restored.optimizer.tensors().get(0).state[0]);
    }
  }

  @Test
  void aFileTruncatedAtAnyOffsetIsRefusedAsTruncatedAndChangesNothing() throws IOException {
    byte[] bytes = saved();
    Model target = new Model(TestOptimizer::new, SIZES, true);
    Snapshot before = new Snapshot(target.optimizer);
    Path file = dir.resolve("truncated");
    for (int length = 0; length < bytes.length; length++) {
      Files.write(file, java.util.Arrays.copyOf(bytes, length));
      CheckpointException e = assertThrows(CheckpointException.class, () -> target.optimizer.load(file));
      assertEquals(Problem.TRUNCATED, e.problem(), "cut at " + length + ": " + e.getMessage());
    }
    before.assertUnchanged(target.optimizer);
  }

  @Test
  void aFlippedByteAnywhereIsRefusedAndChangesNothing() throws IOException {
    byte[] bytes = saved();
    int headerLength = ByteBuffer.wrap(bytes, 12, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    Model target = new Model(TestOptimizer::new, SIZES, true);
    Snapshot before = new Snapshot(target.optimizer);
    Path file = dir.resolve("flipped");
    int corrupted = 0;
    for (int offset = 0; offset < bytes.length; offset++) {
      byte[] copy = bytes.clone();
      copy[offset] ^= (byte) (1 << (offset % 8));
      Files.write(file, copy);
      CheckpointException e = assertThrows(CheckpointException.class, () -> target.optimizer.load(file));
      int version = ByteBuffer.wrap(copy, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      boolean knownVersion = offset >= 8 && offset < 12 && version >= 1 && version <= Checkpoint.VERSION;
      Set<Problem> allowed = offset < 8 ? Set.of(Problem.NOT_A_CHECKPOINT)
          : offset < 12 ? Set.of(knownVersion ? Problem.CORRUPTED : Problem.UNSUPPORTED_VERSION)
          : offset < 16 ? Set.of(Problem.TRUNCATED, Problem.CORRUPTED)
          : Set.of(Problem.CORRUPTED);
      assertTrue(allowed.contains(e.problem()), "byte " + offset + ": " + e.getMessage());
      if (knownVersion) {
        // a flip to another version the runtime reads: the header checksum covers the version
        assertTrue(e.getMessage().contains("header checksum"), e.getMessage());
      }
      if (offset >= 16 + headerLength + 4 && e.problem() == Problem.CORRUPTED) {
        assertTrue(e.getMessage().contains("state checksum"), e.getMessage());
      }
      corrupted++;
    }
    assertEquals(bytes.length, corrupted);
    before.assertUnchanged(target.optimizer);
  }

  @Test
  void wrongVersionWrongSpecAndTrailingBytesAreNamed() throws IOException {
    byte[] bytes = saved();
    Model target = new Model(TestOptimizer::new, SIZES, true);
    Snapshot before = new Snapshot(target.optimizer);

    byte[] version5 = bytes.clone();
    version5[8] = 5;
    assertProblem(target, version5, Problem.UNSUPPORTED_VERSION, "format version 5; this runtime reads versions 1 to 4");
    byte[] trailing = java.util.Arrays.copyOf(bytes, bytes.length + 3);
    assertProblem(target, trailing, Problem.CORRUPTED, "3 bytes after the end");
    assertProblem(target, "not a checkpoint at all".getBytes(java.nio.charset.StandardCharsets.UTF_8),
        Problem.NOT_A_CHECKPOINT, "OPTKCKPT");
    before.assertUnchanged(target.optimizer);

    Model other = new Model(() -> new TestOptimizer(TestOptimizer.OTHER_SPEC, TestOptimizer.H, false), SIZES, true);
    Snapshot otherBefore = new Snapshot(other.optimizer);
    assertProblem(other, bytes, Problem.WRONG_SPEC, "rule=EMA");
    otherBefore.assertUnchanged(other.optimizer);
  }

  @Test
  void tensorsThatDoNotMatchAreRefusedNamingTheDifference() throws IOException {
    byte[] bytes = saved();
    assertShapeMismatch(bytes, new Model(TestOptimizer::new, new int[] {7, 33, 5, 1}, true),
        "5 tensors but this optimizer has 4");
    assertShapeMismatch(bytes, new Model(TestOptimizer::new, new int[] {7, 33, 5, 2, 64}, true),
        "tensor 3 has 1 elements in the checkpoint but 2 here");
    assertShapeMismatch(bytes, new Model(TestOptimizer::withBits16, SIZES, true),
        "tensor 0 has 2 state arrays in the checkpoint but 1 here [m_bf16]");
    // a group more, or a tensor in another group
    Model extraGroup = new Model(TestOptimizer::new, SIZES, true);
    extraGroup.optimizer.addGroup(TestOptimizer.H);
    assertShapeMismatch(bytes, extraGroup, "2 parameter groups but this optimizer has 3");
    TestOptimizer swapped = new TestOptimizer();
    ParamGroup second = swapped.addGroup(TestOptimizer.H);
    for (int k = 0; k < SIZES.length; k++) {
      Object p = k == 2 ? new double[SIZES[k]] : new float[SIZES[k]];
      Object g = k == 2 ? new double[SIZES[k]] : new float[SIZES[k]];
      (k == 0 ? second : swapped.defaultGroup()).add(p, g);
    }
    Snapshot before = new Snapshot(swapped);
    Path file = dir.resolve("swapped");
    Files.write(file, bytes);
    CheckpointException e = assertThrows(CheckpointException.class, () -> swapped.load(file));
    assertEquals(Problem.SHAPE_MISMATCH, e.problem());
    assertTrue(e.getMessage().contains("tensor 0 is in group 0 in the checkpoint but in group 1 here"), e.getMessage());
    before.assertUnchanged(swapped);
  }

  @Test
  void aSaveThatFailsMidwayLeavesThePreviousCheckpointIntactAndNoTemporaryFile() throws IOException {
    Model model = new Model(TestOptimizer::new, SIZES, true);
    Path file = dir.resolve("model.ckpt");
    model.optimizer.save(file);
    byte[] previous = Files.readAllBytes(file);
    model.optimizer.step(); // the state moves on; the next save would differ
    for (long failAfter : new long[] {0, 5, 20, 200, previous.length - 3}) {
      IOException e = assertThrows(IOException.class,
          () -> Checkpoint.save(model.optimizer, file, failingAfter(failAfter)));
      assertEquals("simulated crash after " + failAfter + " bytes", e.getMessage());
      assertArrayEquals(previous, Files.readAllBytes(file));
      try (Stream<Path> files = Files.list(dir)) {
        assertEquals(List.of(file), files.toList());
      }
    }
    // the optimizer saved nothing half-way and can still save for real
    model.optimizer.save(file);
    Model restored = model.freshCopy(TestOptimizer::new, SIZES);
    restored.optimizer.load(file);
    assertTrue(new Snapshot(restored.optimizer).sameAs(new Snapshot(model.optimizer)));
  }

  private byte[] saved() throws IOException {
    Path file = dir.resolve("good.ckpt");
    new Model(TestOptimizer::new, SIZES, true).optimizer.save(file);
    return Files.readAllBytes(file);
  }

  private void assertProblem(Model target, byte[] bytes, Problem problem, String text) throws IOException {
    Path file = dir.resolve("bad");
    Files.write(file, bytes);
    CheckpointException e = assertThrows(CheckpointException.class, () -> target.optimizer.load(file));
    assertEquals(problem, e.problem(), e.getMessage());
    assertTrue(e.getMessage().contains(text), e.getMessage());
  }

  private void assertShapeMismatch(byte[] bytes, Model target, String text) throws IOException {
    Snapshot before = new Snapshot(target.optimizer);
    assertProblem(target, bytes, Problem.SHAPE_MISMATCH, text);
    before.assertUnchanged(target.optimizer);
  }

  /** A channel that writes {@code limit} bytes and then fails, as a crash mid-save would stop it. */
  private static UnaryOperator<WritableByteChannel> failingAfter(long limit) {
    return channel -> new WritableByteChannel() {
      private long written;

      @Override
      public int write(ByteBuffer src) throws IOException {
        if (written >= limit) {
          throw new IOException("simulated crash after " + limit + " bytes");
        }
        ByteBuffer part = src.slice();
        part.limit((int) Math.min(part.remaining(), limit - written));
        int n = channel.write(part);
        src.position(src.position() + n);
        written += n;
        return n;
      }

      @Override
      public boolean isOpen() {
        return channel.isOpen();
      }

      @Override
      public void close() throws IOException {
        channel.close();
      }
    };
  }
}
