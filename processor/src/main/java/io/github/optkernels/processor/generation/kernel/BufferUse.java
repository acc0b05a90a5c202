package io.github.optkernels.processor.generation.kernel;

import java.util.LinkedHashSet;
import java.util.Set;

/** Which buffers one loop reads and writes, as the features declare it (in declaration order). */
public final class BufferUse {
  private final Set<String> reads = new LinkedHashSet<>();
  private final Set<String> writes = new LinkedHashSet<>();

  /** The loop reads {@code buffer[i]}. */
  public void reads(String buffer) {
    reads.add(buffer);
  }

  /** The loop writes {@code buffer[i]}. */
  public void writes(String buffer) {
    writes.add(buffer);
  }

  public boolean isRead(String buffer) {
    return reads.contains(buffer);
  }

  public boolean isWritten(String buffer) {
    return writes.contains(buffer);
  }

  public boolean isUsed(String buffer) {
    return isRead(buffer) || isWritten(buffer);
  }
}
