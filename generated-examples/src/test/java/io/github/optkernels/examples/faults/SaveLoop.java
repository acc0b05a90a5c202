package io.github.optkernels.examples.faults;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The child JVM of {@link CheckpointKillFaultTest}: trains a {@link HalfSubject} and saves it
 * over the same file after every step, until it is killed. After each save returns it prints
 * {@code saved <step>}, so the parent knows which checkpoints may be on disk: the last one
 * printed, or the next one if the kill came after its rename but before the line.
 *
 * <p>Arguments: the {@link HalfSubject.Kind}, the seed, the checkpoint file.
 */
final class SaveLoop {
  private SaveLoop() {}

  public static void main(String[] args) throws IOException {
    HalfSubject subject = new HalfSubject(HalfSubject.Kind.valueOf(args[0]), Long.parseLong(args[1]));
    Path file = Path.of(args[2]);
    while (true) {
      subject.step();
      subject.optimizer.save(file);
      System.out.println("saved " + subject.optimizer.stepCount());
      System.out.flush();
    }
  }
}
