package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A save that was killed leaves its temporary file behind ({@code .<name>.<random>.tmp}); the
 * next save to the same file removes such leftovers, and touches nothing else: not another
 * target's temporary files, however similar the names, not unrelated files, and not a temporary
 * file a save still in progress holds locked.
 */
class CheckpointTemporaryFilesTest {
  @TempDir
  Path dir;

  private static TestOptimizer stepped() {
    TestOptimizer optimizer = new TestOptimizer();
    optimizer.add(TestOptimizer.floats(9, 1), TestOptimizer.floats(9, 2));
    optimizer.step();
    return optimizer;
  }

  private Set<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      Set<String> names = new TreeSet<>();
      files.forEach(f -> names.add(f.getFileName().toString()));
      return names;
    }
  }

  private void write(String name) throws IOException {
    Files.write(dir.resolve(name), ("left by a killed save of " + name).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void leftoversOfTheSameTargetAreRemovedAndNothingElseIsTouched() throws IOException {
    List<String> stale = List.of(
        ".model.ckpt.4864182837716712553.tmp", // the names earlier versions made (Files.createTempFile)
        ".model.ckpt.18446744073709551615.tmp",
        ".model.ckpt.0123456789abcdef.tmp"); // the names this version makes
    List<String> others = List.of(
        ".model.ckpt.1.4864182837716712553.tmp", // a temporary file of target "model.ckpt.1"
        ".model.4864182837716712553.tmp", // of target "model"
        ".xmodel.ckpt.4864182837716712553.tmp", // of target "xmodel.ckpt"
        ".model.ckpt2.4864182837716712553.tmp", // of target "model.ckpt2"
        ".model.ckpt..tmp", ".model.ckpt.12ab-3.tmp", ".model.ckpt.123.tmp.keep", "model.ckpt.123.tmp",
        ".model.ckpt.123.TMP", "model.ckpt.bak", "notes.txt", "model.ckpt.1");
    for (String name : stale) {
      write(name);
    }
    for (String name : others) {
      write(name);
    }
    byte[][] contents = new byte[others.size()][];
    for (int i = 0; i < others.size(); i++) {
      contents[i] = Files.readAllBytes(dir.resolve(others.get(i)));
    }
    Files.createDirectory(dir.resolve(".model.ckpt.999.tmp")); // not a file a save made: left alone

    stepped().save(dir.resolve("model.ckpt"));

    Set<String> expected = new TreeSet<>(others);
    expected.add("model.ckpt");
    expected.add(".model.ckpt.999.tmp");
    assertEquals(expected, names());
    for (int i = 0; i < others.size(); i++) {
      assertArrayEquals(contents[i], Files.readAllBytes(dir.resolve(others.get(i))), others.get(i));
    }
  }

  @Test
  void aTemporaryFileThatASaveInProgressHoldsIsNotRemoved() throws IOException {
    Path live = dir.resolve(".model.ckpt.00000000000000aa.tmp");
    try (FileChannel channel = FileChannel.open(live, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      assertTrue(lock.isValid());
      stepped().save(dir.resolve("model.ckpt"));
      assertTrue(Files.exists(live));
    }
    // once that save is gone (its lock released), the file is a leftover like any other
    stepped().save(dir.resolve("model.ckpt"));
    assertFalse(Files.exists(live));
    assertEquals(Set.of("model.ckpt"), names());
  }

  @Test
  void killedSavesDoNotAccumulate() throws IOException {
    TestOptimizer optimizer = stepped();
    for (int kill = 0; kill < 35; kill++) {
      write(String.format(".model.ckpt.%d.tmp", 1_000_000_007L * kill));
      optimizer.save(dir.resolve("model.ckpt"));
      assertEquals(Set.of("model.ckpt"), names(), "after kill " + kill);
    }
  }
}
