package io.github.optkernels.examples.faults;

import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.ParamGroup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything of an optimizer that a load could change, copied through the public API only (the
 * checkpoint format is not this class's business): the finished and skipped step counts, every
 * group's hyperparameters, schedule and position, and per tensor its step count, parameter and
 * every state array, as raw bits (so -0.0 and NaN payloads count). NAdam's Π has no accessor; the
 * tests cover it by stepping on and comparing again.
 */
final class OptimizerState {
  /** Name of each value, in a fixed order, to its copy (arrays as raw bits). */
  private final Map<String, Object> values = new LinkedHashMap<>();
  private final List<Object> params = new ArrayList<>();

  /** The state of {@code optimizer}, whose tensors are registered with {@code params}, in that order. */
  OptimizerState(KernelOptimizer optimizer, List<?> params) {
    values.put("finished steps", optimizer.stepCount());
    values.put("skipped steps", optimizer.skippedSteps());
    for (ParamGroup group : optimizer.groups()) {
      values.put("group " + group.index() + " hyperparameters", group.hyperparameters());
      values.put("group " + group.index() + " schedule", group.schedule());
      values.put("group " + group.index() + " schedule position", group.schedulePosition());
    }
    for (int k = 0; k < params.size(); k++) {
      Object param = params.get(k);
      this.params.add(copy(param));
      values.put("tensor " + k + " step count", optimizer.stepCount(param));
      values.put("tensor " + k + " param", bits(param));
      for (String name : optimizer.stateNames(param)) {
        values.put("tensor " + k + " " + name, bits(optimizer.state(param, name)));
      }
    }
  }

  /** The state of {@code subject}'s optimizer. */
  static OptimizerState of(HalfSubject subject) {
    return new OptimizerState(subject.optimizer, List.of(subject.bf16Param, subject.fp16Param));
  }

  /** The finished step count this state was taken at. */
  long finishedSteps() {
    return (Long) values.get("finished steps");
  }

  /**
   * The first value that differs from {@code other}'s, with both values, or null if every value
   * is bit-identical.
   */
  String firstDifference(OptimizerState other) {
    if (!values.keySet().equals(other.values.keySet())) {
      return "different values: " + values.keySet() + " against " + other.values.keySet();
    }
    for (Map.Entry<String, Object> e : values.entrySet()) {
      Object theirs = other.values.get(e.getKey());
      if (!Objects.deepEquals(e.getValue(), theirs)) {
        return e.getKey() + ": " + Arrays.deepToString(new Object[] {e.getValue()}) + " against "
            + Arrays.deepToString(new Object[] {theirs});
      }
    }
    return null;
  }

  /** Copies this state's parameters into {@code subject}'s arrays (as a caller restores its model). */
  void copyParametersInto(HalfSubject subject) {
    copyInto(List.of(subject.bf16Param, subject.fp16Param));
  }

  private void copyInto(List<?> live) {
    for (int k = 0; k < params.size(); k++) {
      Object saved = params.get(k);
      System.arraycopy(saved, 0, live.get(k), 0, java.lang.reflect.Array.getLength(saved));
    }
  }

  private static Object copy(Object array) {
    if (array instanceof short[]) {
      return ((short[]) array).clone();
    }
    if (array instanceof float[]) {
      return ((float[]) array).clone();
    }
    return ((double[]) array).clone();
  }

  /** The array's elements as raw bits, so equality is bit for bit. */
  private static Object bits(Object array) {
    if (array instanceof short[]) {
      return ((short[]) array).clone();
    }
    if (array instanceof float[]) {
      float[] f = (float[]) array;
      int[] bits = new int[f.length];
      for (int i = 0; i < f.length; i++) {
        bits[i] = Float.floatToRawIntBits(f[i]);
      }
      return bits;
    }
    double[] d = (double[]) array;
    long[] bits = new long[d.length];
    for (int i = 0; i < d.length; i++) {
      bits[i] = Double.doubleToRawLongBits(d[i]);
    }
    return bits;
  }
}
