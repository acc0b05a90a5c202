package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything a step, a refusal or a load could change, copied: every parameter, gradient and
 * state element, every step count and Π, every group's hyperparameters, schedule and position,
 * and the optimizer's counters. {@link #assertUnchanged} compares bit for bit.
 */
final class Snapshot {
  private final List<Object> arrays = new ArrayList<>();
  private final List<Object> scalars = new ArrayList<>();
  private final long skipped;

  Snapshot(KernelOptimizer optimizer) {
    for (KernelOptimizer.Tensor tensor : optimizer.tensors()) {
      arrays.add(copy(tensor.param));
      arrays.add(copy(tensor.grad));
      for (Object state : tensor.state) {
        arrays.add(copy(state));
      }
      scalars.add(tensor.step);
      for (double value : tensor.carried) {
        scalars.add(Double.doubleToRawLongBits(value));
      }
    }
    for (ParamGroup group : optimizer.groups()) {
      scalars.add(group.hyperparameters());
      scalars.add(group.schedule());
      scalars.add(group.schedulePosition());
      scalars.add(group.stepped);
    }
    scalars.add(optimizer.stepCount());
    skipped = optimizer.skippedSteps();
  }

  private static Object copy(Object array) {
    int n = Array.getLength(array);
    Object copy = Array.newInstance(array.getClass().getComponentType(), n);
    System.arraycopy(array, 0, copy, 0, n);
    return copy;
  }

  /** Asserts that {@code optimizer} is exactly as this snapshot saw it; returns how many elements were compared. */
  long assertUnchanged(KernelOptimizer optimizer) {
    return assertUnchangedButSkipped(optimizer, 0);
  }

  /** As {@link #assertUnchanged}, except that {@code skips} more steps were skipped. */
  long assertUnchangedButSkipped(KernelOptimizer optimizer, long skips) {
    Snapshot now = new Snapshot(optimizer);
    assertEquals(skipped + skips, now.skipped, "skipped steps");
    assertEquals(scalars, now.scalars, "step counts, Π, groups or counters changed");
    assertEquals(arrays.size(), now.arrays.size());
    long elements = 0;
    for (int i = 0; i < arrays.size(); i++) {
      assertTrue(TestOptimizer.sameArray(arrays.get(i), now.arrays.get(i)), "array " + i + " changed");
      elements += Array.getLength(arrays.get(i));
    }
    return elements;
  }

  /** True if {@code other} holds exactly the same values. */
  boolean sameAs(Snapshot other) {
    return skipped == other.skipped && sameExceptSkips(other);
  }

  /** True if {@code other} holds exactly the same values, whatever the skipped-step counters say. */
  boolean sameExceptSkips(Snapshot other) {
    if (!scalars.equals(other.scalars) || arrays.size() != other.arrays.size()) {
      return false;
    }
    for (int i = 0; i < arrays.size(); i++) {
      if (!TestOptimizer.sameArray(arrays.get(i), other.arrays.get(i))) {
        return false;
      }
    }
    return true;
  }
}
