package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The JDK 22 layer (compiled and run only on JDK 22+): native segments step as the same values
 * in arrays do, bit for bit, with their state readable as segments; segments the optimizer could
 * not step safely are refused with the reason and nothing registered.
 */
class SegmentTensorsTest {
  private static final int N = 2 * OffHeap.CHUNK + 3;

  private static MemorySegment segment(Arena arena, float[] values) {
    MemorySegment segment = arena.allocate((long) values.length * 4, 4);
    MemorySegment.copy(values, 0, segment, ValueLayout.JAVA_FLOAT, 0, values.length);
    return segment;
  }

  private static float[] floats(MemorySegment segment) {
    return segment.toArray(ValueLayout.JAVA_FLOAT);
  }

  @Test
  void segmentTensorsStepAsArraysDoBitForBit() {
    try (Arena arena = Arena.ofShared()) {
      TestOptimizer optimizer = new TestOptimizer();
      MemorySegment param = segment(arena, TestOptimizer.floats(N, 1));
      MemorySegment grad = segment(arena, TestOptimizer.floats(N, 2));
      ByteBuffer key = SegmentTensors.add(optimizer, BufferFormat.FLOAT32, param, grad);
      optimizer.setStepOptions(StepOptions.defaults().withThreads(2));
      TestOptimizer reference = new TestOptimizer();
      float[] heapParam = TestOptimizer.floats(N, 1);
      reference.add(heapParam, TestOptimizer.floats(N, 2));
      for (int step = 0; step < 3; step++) {
        optimizer.step();
        reference.step();
      }
      assertArrayEquals(heapParam, floats(param));
      assertArrayEquals((float[]) reference.state(heapParam, "m"), floats(SegmentTensors.state(optimizer, key, "m")));
      optimizer.stepTensor(key); // the returned buffer is the tensor's handle
      reference.stepTensor(heapParam);
      assertArrayEquals(heapParam, floats(param));
    }
  }

  @Test
  void segmentsTheOptimizerCannotStepAreRefusedWithTheirReason() {
    try (Arena shared = Arena.ofShared(); Arena confined = Arena.ofConfined()) {
      TestOptimizer optimizer = new TestOptimizer();
      MemorySegment good = shared.allocate(16, 4);
      Map<String, Executable> cases = Map.of(
          "heap segment", () -> SegmentTensors.add(optimizer, BufferFormat.FLOAT32,
              MemorySegment.ofArray(new float[4]), good),
          "confined arena", () -> SegmentTensors.add(optimizer, BufferFormat.FLOAT32, confined.allocate(16, 4), good),
          "read-only", () -> SegmentTensors.add(optimizer, BufferFormat.FLOAT32, shared.allocate(16, 4).asReadOnly(),
              shared.allocate(16, 4)),
          "not aligned", () -> SegmentTensors.add(optimizer, BufferFormat.FLOAT32, shared.allocate(20, 4).asSlice(2, 16),
              shared.allocate(16, 4)),
          "param has 4 float32 elements but grad has 5", () -> SegmentTensors.add(optimizer, BufferFormat.FLOAT32,
              shared.allocate(16, 4), shared.allocate(20, 4)));
      for (Map.Entry<String, Executable> c : cases.entrySet()) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c.getValue(), c.getKey());
        assertTrue(e.getMessage().contains(c.getKey()), e.getMessage() + " should say " + c.getKey());
      }
      assertEquals(0, optimizer.tensorCount());
    }
  }

  @Test
  void offHeapSaysSegmentsCanBeRegistered() {
    assertTrue(OffHeap.implementation().contains("MemorySegment tensors registered with SegmentTensors"),
        OffHeap.implementation());
  }
}
