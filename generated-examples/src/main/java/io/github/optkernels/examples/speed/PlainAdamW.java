package io.github.optkernels.examples.speed;

/**
 * The loop a Java user would write for {@code torch.optim.AdamW} from its formulas: scalars hoisted,
 * one pass. The bar the generated kernels must meet ({@code loop-check}; the demo's speed check).
 */
public final class PlainAdamW {
  private PlainAdamW() {}

  public static void step(float[] p, float[] g, float[] m, float[] v, long t, double lr,
      double beta1, double beta2, double eps, double weightDecay) {
    float decay = (float) (1 - lr * weightDecay);
    float b1 = (float) beta1;
    float b2 = (float) beta2;
    float step = (float) (lr / (1 - Math.pow(beta1, t)));
    float sqrtBc2 = (float) Math.sqrt(1 - Math.pow(beta2, t));
    float e = (float) eps;
    for (int i = 0; i < p.length; i++) {
      float gi = g[i];
      float mi = b1 * m[i] + (1 - b1) * gi;
      float vi = b2 * v[i] + (1 - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] = p[i] * decay - step * mi / ((float) Math.sqrt(vi) / sqrtBc2 + e);
    }
  }

  public static void step(double[] p, double[] g, double[] m, double[] v, long t, double lr,
      double beta1, double beta2, double eps, double weightDecay) {
    double decay = 1 - lr * weightDecay;
    double step = lr / (1 - Math.pow(beta1, t));
    double sqrtBc2 = Math.sqrt(1 - Math.pow(beta2, t));
    for (int i = 0; i < p.length; i++) {
      double gi = g[i];
      double mi = beta1 * m[i] + (1 - beta1) * gi;
      double vi = beta2 * v[i] + (1 - beta2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] = p[i] * decay - step * mi / (Math.sqrt(vi) / sqrtBc2 + eps);
    }
  }

  /**
   * The straightforward bf16 loop: parameters and gradients as bf16 bits, moments in float32,
   * widened by a shift, rounded to nearest even by an add and a shift (NaN kept by a branch).
   * What a user writes first for bf16, and what C2 does not vectorize: the baseline the 16-bit
   * kernels' speed-up is measured against.
   */
  static void step(short[] p, short[] g, float[] m, float[] v, long t, double lr, double beta1,
      double beta2, double eps, double weightDecay) {
    float decay = (float) (1 - lr * weightDecay);
    float b1 = (float) beta1;
    float b2 = (float) beta2;
    float step = (float) (lr / (1 - Math.pow(beta1, t)));
    float sqrtBc2 = (float) Math.sqrt(1 - Math.pow(beta2, t));
    float e = (float) eps;
    for (int i = 0; i < p.length; i++) {
      float gi = Float.intBitsToFloat(g[i] << 16);
      float mi = b1 * m[i] + (1 - b1) * gi;
      float vi = b2 * v[i] + (1 - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      float pi = Float.intBitsToFloat(p[i] << 16) * decay - step * mi / ((float) Math.sqrt(vi) / sqrtBc2 + e);
      int bits = Float.floatToRawIntBits(pi);
      p[i] = pi != pi ? (short) 0x7FC0 : (short) ((bits + 0x7FFF + ((bits >>> 16) & 1)) >>> 16);
    }
  }
}
