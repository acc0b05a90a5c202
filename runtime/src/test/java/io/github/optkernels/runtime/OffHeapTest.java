package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * {@link OffHeap} says which paths run and why: in place by a kernel's loops over native memory
 * only on JDK 22+ with the library's segment layer and the Vector API, else the chunk copy; and
 * whether this JVM registers segments.
 */
class OffHeapTest {
  private static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

  @Test
  void implementationSaysThePathAndWhetherSegmentsCanBeRegistered() {
    String implementation = OffHeap.implementation();
    boolean inPlace = Runtime.version().feature() >= 22 && VECTOR_API;
    assertTrue(implementation.startsWith(inPlace ? "in place by the kernel's Vector API loops" : "chunk copy: "),
        implementation);
    assertTrue(implementation.contains(OffHeap.CHUNK + " elements at a time"), implementation);
    assertEquals(inPlace, OffHeap.segmentLoops().startsWith("in place"), OffHeap.segmentLoops());
    if (Runtime.version().feature() < 22) {
      assertTrue(implementation.contains("MemorySegment tensors need JDK 22 or later"), implementation);
      assertNull(OffHeap.segmentOf(ByteBuffer.allocateDirect(16)), "no segments before JDK 22");
    } else {
      // the build compiles SegmentTensors on JDK 22+ (the runtime module's java22-layer profile)
      assertTrue(implementation.contains("registered with SegmentTensors"), implementation);
      assertEquals(inPlace, OffHeap.segmentOf(ByteBuffer.allocateDirect(16)) != null);
    }
  }

  @Test
  void theRuleNamesEachReasonForTheChunkCopy() {
    assertTrue(OffHeap.whyNotInPlace(17, false, true, null).contains("need JDK 22 or later (this is 17)"));
    assertTrue(OffHeap.whyNotInPlace(25, false, true, null).contains("built on a JDK older than 22"));
    assertTrue(OffHeap.whyNotInPlace(25, true, false, null).contains("--add-modules jdk.incubator.vector"));
    assertTrue(OffHeap.whyNotInPlace(25, true, true, "false").contains("-Doptkernels.segmentLoops=false"));
    assertNull(OffHeap.whyNotInPlace(22, true, true, null));
    assertNull(OffHeap.whyNotInPlace(25, true, true, "true"));
  }
}
