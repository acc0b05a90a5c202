package io.github.optkernels.runtime;

/**
 * The NaN/Inf scan in plain Java for JDKs whose C2 vectorizes a float-to-int conversion inside
 * an int sum (JDK 25; see {@link GradientScan#COUNT_VECTORIZES_FROM}): {@code (int) (g·0 + 1)}
 * is 1 for a finite {@code g} and 0 for NaN and ±Infinity ({@code g·0} is NaN, and a NaN
 * converts to 0), so the count equals the range's length exactly when every element is finite.
 * One pass that reads each gradient once, with no buffers: 0.06 ns per float measured in L1,
 * half of {@link CopyingGradientScan}'s time on the same JDK.
 */
final class CountingGradientScan implements GradientScan.Impl {
  static final CountingGradientScan INSTANCE = new CountingGradientScan();

  private CountingGradientScan() {}

  @Override
  public String name() {
    return "a count of finite elements, which C2 vectorizes from JDK " + GradientScan.COUNT_VECTORIZES_FROM;
  }

  @Override
  public int firstNonFinite(float[] grad, int from, int to) {
    int finite = 0;
    for (int i = from; i < to; i++) {
      finite += (int) (grad[i] * 0f + 1f);
    }
    return finite == to - from ? -1 : GradientScan.firstNonFiniteDirect(grad, from, to);
  }

  @Override
  public int firstNonFinite(double[] grad, int from, int to) {
    int finite = 0;
    for (int i = from; i < to; i++) {
      finite += (int) (grad[i] * 0.0 + 1.0);
    }
    return finite == to - from ? -1 : GradientScan.firstNonFiniteDirect(grad, from, to);
  }
}
