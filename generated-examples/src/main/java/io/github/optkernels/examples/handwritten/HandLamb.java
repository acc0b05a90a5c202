package io.github.optkernels.examples.handwritten;

import io.github.optkernels.runtime.Hyperparameters;

/**
 * optax {@code lamb}: Adam's bias-corrected direction {@code u = m̂ / (sqrt(v̂) + ε)} plus
 * {@code λ·p}, scaled by the trust ratio {@code ‖p‖ / ‖u‖} of the whole tensor (1 if either norm
 * is 0, optax's guard). The ratio needs both norms before any parameter moves, so a step is two
 * passes: {@link #moments} updates {@code m} and {@code v} and sums {@code p²} and {@code u²} in
 * double, in index order; {@link #update} computes {@code u} again from the stored moments (the
 * same float operations, so the same {@code u}) and applies it. A range split over threads sums
 * per range; adding the ranges' sums in order keeps the index order.
 */
public final class HandLamb {
  /** Index of {@code Σ p²} in the sums {@link #moments} adds to. */
  public static final int PARAM_SQUARES = 0;
  /** Index of {@code Σ u²}. */
  public static final int UPDATE_SQUARES = 1;
  /** How many sums a step needs. */
  public static final int SUMS = 2;

  private HandLamb() {}

  /** {@code ‖p‖ / ‖u‖} from the two sums of squares, or 1 if either norm is 0. */
  public static double trustRatio(double paramSquares, double updateSquares) {
    double paramNorm = Math.sqrt(paramSquares);
    double updateNorm = Math.sqrt(updateSquares);
    return paramNorm == 0 || updateNorm == 0 ? 1 : paramNorm / updateNorm;
  }

  /** Pass 1 over {@code [from, to)}: the moments, and {@code Σ p²}, {@code Σ u²} added to {@code sums}. */
  public static void moments(float[] p, float[] g, float[] m, float[] v, long t, Hyperparameters h,
      int from, int to, double[] sums) {
    float wd = (float) h.weightDecay();
    float b1 = (float) h.beta1();
    float b2 = (float) h.beta2();
    float oneMinusB1 = (float) (1 - h.beta1());
    float oneMinusB2 = (float) (1 - h.beta2());
    float bc1 = (float) (1 - Math.pow(h.beta1(), t));
    float sqrtBc2 = (float) Math.sqrt(1 - Math.pow(h.beta2(), t));
    float eps = (float) h.eps();
    double paramSquares = 0;
    double updateSquares = 0;
    for (int i = from; i < to; i++) {
      float pi = p[i];
      float gi = g[i];
      float mi = b1 * m[i] + oneMinusB1 * gi;
      float vi = b2 * v[i] + oneMinusB2 * gi * gi;
      m[i] = mi;
      v[i] = vi;
      float u = mi / bc1 / ((float) Math.sqrt(vi) / sqrtBc2 + eps) + wd * pi;
      paramSquares += (double) pi * pi;
      updateSquares += (double) u * u;
    }
    sums[PARAM_SQUARES] += paramSquares;
    sums[UPDATE_SQUARES] += updateSquares;
  }

  /** Pass 2 over {@code [from, to)}: {@code p −= lr·ratio·u}, {@code u} from the stored moments. */
  public static void update(float[] p, float[] m, float[] v, long t, double ratio, Hyperparameters h,
      int from, int to) {
    float wd = (float) h.weightDecay();
    float bc1 = (float) (1 - Math.pow(h.beta1(), t));
    float sqrtBc2 = (float) Math.sqrt(1 - Math.pow(h.beta2(), t));
    float eps = (float) h.eps();
    float stepSize = (float) (h.lr() * ratio);
    for (int i = from; i < to; i++) {
      float pi = p[i];
      float u = m[i] / bc1 / ((float) Math.sqrt(v[i]) / sqrtBc2 + eps) + wd * pi;
      p[i] = pi - stepSize * u;
    }
  }

  public static void moments(double[] p, double[] g, double[] m, double[] v, long t, Hyperparameters h,
      int from, int to, double[] sums) {
    double wd = h.weightDecay();
    double b1 = h.beta1();
    double b2 = h.beta2();
    double bc1 = 1 - Math.pow(b1, t);
    double sqrtBc2 = Math.sqrt(1 - Math.pow(b2, t));
    double eps = h.eps();
    double paramSquares = 0;
    double updateSquares = 0;
    for (int i = from; i < to; i++) {
      double pi = p[i];
      double gi = g[i];
      double mi = b1 * m[i] + (1 - b1) * gi;
      double vi = b2 * v[i] + (1 - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      double u = mi / bc1 / (Math.sqrt(vi) / sqrtBc2 + eps) + wd * pi;
      paramSquares += pi * pi;
      updateSquares += u * u;
    }
    sums[PARAM_SQUARES] += paramSquares;
    sums[UPDATE_SQUARES] += updateSquares;
  }

  public static void update(double[] p, double[] m, double[] v, long t, double ratio, Hyperparameters h,
      int from, int to) {
    double wd = h.weightDecay();
    double bc1 = 1 - Math.pow(h.beta1(), t);
    double sqrtBc2 = Math.sqrt(1 - Math.pow(h.beta2(), t));
    double eps = h.eps();
    double stepSize = h.lr() * ratio;
    for (int i = from; i < to; i++) {
      double pi = p[i];
      double u = m[i] / bc1 / (Math.sqrt(v[i]) / sqrtBc2 + eps) + wd * pi;
      p[i] = pi - stepSize * u;
    }
  }
}
