package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link OffHeap#implementation()} names the path and whether this JVM registers segments. */
class OffHeapTest {
  @Test
  void implementationSaysThePathAndWhetherSegmentsCanBeRegistered() {
    String implementation = OffHeap.implementation();
    assertTrue(implementation.startsWith("chunk copy: " + OffHeap.CHUNK + " elements"), implementation);
    if (Runtime.version().feature() < 22) {
      assertTrue(implementation.contains("MemorySegment tensors need JDK 22 or later"), implementation);
    } else {
      // the build compiles SegmentTensors on JDK 22+ (the runtime module's java22-layer profile)
      assertTrue(implementation.contains("registered with SegmentTensors"), implementation);
    }
  }
}
