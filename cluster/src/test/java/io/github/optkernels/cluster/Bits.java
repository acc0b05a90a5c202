package io.github.optkernels.cluster;

import static org.junit.jupiter.api.Assertions.fail;

/** Bit-for-bit comparison of float and double arrays (NaN payloads and signed zeros included). */
final class Bits {
  private Bits() {}

  static void assertSameBits(Object expected, Object actual, String what) {
    if (expected instanceof float[]) {
      float[] e = (float[]) expected;
      float[] a = (float[]) actual;
      if (e.length != a.length) {
        fail(what + ": " + e.length + " elements expected, " + a.length + " found");
      }
      for (int i = 0; i < e.length; i++) {
        if (Float.floatToRawIntBits(e[i]) != Float.floatToRawIntBits(a[i])) {
          fail(what + " differs at " + i + ": expected " + e[i] + ", found " + a[i]);
        }
      }
    } else {
      double[] e = (double[]) expected;
      double[] a = (double[]) actual;
      if (e.length != a.length) {
        fail(what + ": " + e.length + " elements expected, " + a.length + " found");
      }
      for (int i = 0; i < e.length; i++) {
        if (Double.doubleToRawLongBits(e[i]) != Double.doubleToRawLongBits(a[i])) {
          fail(what + " differs at " + i + ": expected " + e[i] + ", found " + a[i]);
        }
      }
    }
  }
}
