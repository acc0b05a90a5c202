package io.github.optkernels.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * The parameters' training point, kept while they hold the evaluation point (schedule-free
 * AdamW's {@code x}): {@link #swapIn} copies each tensor's evaluation slot into its parameter
 * (rounded to nearest even where the parameter has 16 bits and the slot float32) and keeps the
 * parameter's own values; {@link #restore} puts them back bit for bit. A tensor that has not
 * stepped yet has no evaluation point beyond its parameter, which then stays as it is.
 */
final class EvaluationSwap {
  private final List<KernelOptimizer.Tensor> tensors;
  private final List<Object> saved;

  private EvaluationSwap(List<KernelOptimizer.Tensor> tensors, List<Object> saved) {
    this.tensors = tensors;
    this.saved = saved;
  }

  /**
   * Puts slot {@code slot} of every tensor into its parameter.
   *
   * @throws UnsupportedOperationException naming the tensor, before changing anything, for an
   *     off-heap tensor (its memory is the framework's; swap it there)
   */
  static EvaluationSwap swapIn(List<KernelOptimizer.Tensor> tensors, String slot) {
    for (KernelOptimizer.Tensor tensor : tensors) {
      if (!tensor.param.getClass().isArray()) {
        throw new UnsupportedOperationException("tensor " + tensor.index + " is off-heap: the evaluation"
            + " point is swapped into heap arrays only; read its state '" + slot + "' with state(param, \""
            + slot + "\") instead");
      }
    }
    List<KernelOptimizer.Tensor> swapped = new ArrayList<>(tensors);
    List<Object> saved = new ArrayList<>();
    for (KernelOptimizer.Tensor tensor : swapped) {
      saved.add(copy(tensor.param));
      if (tensor.step > 0) {
        Object from = tensor.state[tensor.kernel.stateNames().indexOf(slot)];
        write(from, tensor.param, tensor.kernel.halfFormat());
      }
    }
    return new EvaluationSwap(swapped, saved);
  }

  /** Puts every parameter's training point back. */
  void restore() {
    for (int k = 0; k < tensors.size(); k++) {
      Object param = tensors.get(k).param;
      System.arraycopy(saved.get(k), 0, param, 0, java.lang.reflect.Array.getLength(param));
    }
  }

  private static Object copy(Object array) {
    if (array instanceof float[] a) {
      return a.clone();
    }
    if (array instanceof double[] a) {
      return a.clone();
    }
    return ((short[]) array).clone();
  }

  private static void write(Object from, Object param, HalfFormat format) {
    if (param instanceof short[] bits && from instanceof float[] values) {
      for (int i = 0; i < bits.length; i++) {
        bits[i] = format == HalfFormat.BF16 ? Bf16.fromFloat(values[i]) : Fp16.fromFloat(values[i]);
      }
    } else {
      System.arraycopy(from, 0, param, 0, java.lang.reflect.Array.getLength(param));
    }
  }
}
