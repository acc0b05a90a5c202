package io.github.optkernels.runtime;

import java.util.Arrays;

/**
 * Zeroes a range of a gradient buffer, of any type a tensor can have: {@code float[]},
 * {@code double[]}, {@code short[]} (16-bit zero is all bits clear in both formats) and off-heap
 * memory ({@link DirectBuffer}). Used by the step when {@link StepOptions#gradientsZeroed()}.
 */
final class GradientZeroing {
  private GradientZeroing() {}

  static void zero(Object grad, int from, int to) {
    if (grad instanceof float[]) {
      Arrays.fill((float[]) grad, from, to, 0f);
    } else if (grad instanceof double[]) {
      Arrays.fill((double[]) grad, from, to, 0.0);
    } else if (grad instanceof short[]) {
      Arrays.fill((short[]) grad, from, to, (short) 0);
    } else {
      ((DirectBuffer) grad).zero(from, to);
    }
  }
}
