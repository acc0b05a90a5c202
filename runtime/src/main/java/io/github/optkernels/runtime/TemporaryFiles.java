package io.github.optkernels.runtime;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The temporary files of checkpoint saves: {@code .<target name>.<random>.tmp} in the target's
 * directory, {@code <random>} being 16 hex digits (earlier versions: up to 20 decimal digits,
 * {@link Files#createTempFile}'s names). A save holds a lock on its file until the file has its
 * final name; a file of that pattern that nobody holds locked is what a killed save left behind.
 *
 * <p>The pattern cannot match another target's files: the random part has no dot, so
 * {@code .model.ckpt.1.123.tmp} belongs to {@code model.ckpt.1}, never to {@code model.ckpt}.
 */
final class TemporaryFiles {
  private TemporaryFiles() {}

  /** A new temporary file, open for writing and locked until {@code channel} is closed. */
  record Temporary(Path path, FileChannel channel) {}

  /** The pattern of the temporary files of saves to {@code targetName}. */
  static Pattern pattern(String targetName) {
    return Pattern.compile("\\." + Pattern.quote(targetName) + "\\.[0-9a-f]{1,20}\\.tmp");
  }

  /** Creates, opens and locks a new temporary file for a save to {@code targetName}. */
  static Temporary create(Path directory, String targetName) throws IOException {
    while (true) {
      Path path = directory.resolve(String.format(".%s.%016x.tmp", targetName, ThreadLocalRandom.current().nextLong()));
      FileChannel channel;
      try {
        channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      } catch (FileAlreadyExistsException e) {
        continue; // 2^64 names: another try finds a free one
      }
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (IOException | RuntimeException e) {
        channel.close();
        Files.deleteIfExists(path);
        throw e;
      }
      if (lock != null) {
        return new Temporary(path, channel);
      }
      // another save's cleanup took it for a leftover in the instant before the lock, and deletes it
      channel.close();
    }
  }

  /**
   * Deletes the leftovers of killed saves to {@code targetName}: regular files of the pattern that
   * no save holds locked. Touches nothing else. A leftover that cannot be removed (permissions,
   * a race with another cleanup) is left: it changes no checkpoint, and the next save tries again.
   */
  static void removeStale(Path directory, String targetName) {
    Pattern pattern = pattern(targetName);
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory,
        entry -> pattern.matcher(entry.getFileName().toString()).matches())) {
      for (Path entry : entries) {
        if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
          removeIfUnlocked(entry);
        }
      }
    } catch (IOException e) {
      // an unreadable directory: the save itself will report what is wrong with it
    }
  }

  private static void removeIfUnlocked(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock()) {
      if (lock != null) {
        Files.delete(file);
      }
    } catch (OverlappingFileLockException e) {
      // a save in this JVM holds it: not a leftover
    } catch (IOException e) {
      // gone meanwhile (its save renamed it), or not ours to delete: leave it
    }
  }
}
