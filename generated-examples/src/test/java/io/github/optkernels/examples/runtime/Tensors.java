package io.github.optkernels.examples.runtime;

import static com.google.common.truth.Truth.assertWithMessage;

import io.github.optkernels.runtime.KernelOptimizer;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A set of parameter and gradient buffers with deterministic contents, registered into an
 * optimizer's groups through the public API, and a bit-for-bit comparison of two such sets with
 * their optimizers' state.
 */
final class Tensors {
  final List<Object> params = new ArrayList<>();
  final List<Object> grads = new ArrayList<>();
  final List<Integer> groups = new ArrayList<>();

  /** Adds a float or double tensor of {@code n} elements in group {@code group}, contents from {@code seed}. */
  Tensors add(boolean doubles, int n, int group, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Object p = doubles ? new double[n] : new float[n];
    Object g = doubles ? new double[n] : new float[n];
    for (int i = 0; i < n; i++) {
      double pi = 2 * random.nextDouble() - 1;
      double gi = (2 * random.nextDouble() - 1) * Math.pow(10, -3 + 3 * random.nextDouble());
      if (doubles) {
        ((double[]) p)[i] = pi;
        ((double[]) g)[i] = gi;
      } else {
        ((float[]) p)[i] = (float) pi;
        ((float[]) g)[i] = (float) gi;
      }
    }
    params.add(p);
    grads.add(g);
    groups.add(group);
    return this;
  }

  /** Registers every tensor in {@code optimizer}, into groups it already has. */
  void registerIn(KernelOptimizer optimizer) {
    for (int k = 0; k < params.size(); k++) {
      optimizer.groups().get(groups.get(k)).add(params.get(k), grads.get(k));
    }
  }

  /** New gradients for the next step, the same for every copy made with the same seed. */
  void refreshGradients(long seed) {
    for (int k = 0; k < grads.size(); k++) {
      SplittableRandom random = new SplittableRandom(seed * 1_000_003 + k);
      Object g = grads.get(k);
      for (int i = 0, n = Array.getLength(g); i < n; i++) {
        double gi = (2 * random.nextDouble() - 1) * Math.pow(10, -3 + 3 * random.nextDouble());
        if (g instanceof double[]) {
          ((double[]) g)[i] = gi;
        } else {
          ((float[]) g)[i] = (float) gi;
        }
      }
    }
  }

  /** An identical copy: same sizes, groups and contents, new arrays. */
  Tensors copy() {
    Tensors copy = new Tensors();
    for (int k = 0; k < params.size(); k++) {
      copy.params.add(clone(params.get(k)));
      copy.grads.add(clone(grads.get(k)));
      copy.groups.add(groups.get(k));
    }
    return copy;
  }

  private static Object clone(Object array) {
    return array instanceof double[] ? ((double[]) array).clone() : ((float[]) array).clone();
  }

  /**
   * Asserts that {@code a} (with these tensors) and {@code b} (with {@code other}) hold bit-identical
   * parameters, state arrays and step counts; returns the number of elements compared.
   */
  long assertSameAs(KernelOptimizer a, Tensors other, KernelOptimizer b, String what) {
    long elements = 0;
    for (int k = 0; k < params.size(); k++) {
      Object p = params.get(k);
      Object q = other.params.get(k);
      assertWithMessage("%s: step count of tensor %s", what, k).that(b.stepCount(q)).isEqualTo(a.stepCount(p));
      assertWithMessage("%s: params of tensor %s", what, k).that(same(p, q)).isTrue();
      elements += Array.getLength(p);
      for (String state : a.spec().stateNames()) {
        assertWithMessage("%s: %s of tensor %s", what, state, k)
            .that(same(a.state(p, state), b.state(q, state))).isTrue();
        elements += Array.getLength(p);
      }
    }
    return elements;
  }

  private static boolean same(Object x, Object y) {
    return x instanceof double[] ? Arrays.equals((double[]) x, (double[]) y) : Arrays.equals((float[]) x, (float[]) y);
  }
}
