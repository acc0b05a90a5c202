package io.github.optkernels.examples.half;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.optkernels.examples.variants.half.AdamWMixed;
import io.github.optkernels.examples.variants.half.AdamWMixedKahan;
import io.github.optkernels.examples.variants.half.AdamWPure;
import io.github.optkernels.examples.variants.half.AdamWPureKahan;
import io.github.optkernels.runtime.Bf16;
import io.github.optkernels.runtime.Fp16;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.NonFiniteGradientException;
import io.github.optkernels.runtime.StepOptions;
import io.github.optkernels.runtime.StorageOverflowException;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What goes wrong in 16-bit storage is reported, never passed on silently: a NaN/Inf gradient is
 * named with its decoded value, and a parameter or moment that overflows its 16-bit format (or
 * holds NaN) after a step is named by a {@link StorageOverflowException} thrown once the step is
 * complete. Runs on the calling thread and on two threads in small chunks (the exception must
 * name the first bad element in registration order either way), with and without the Vector API
 * (this package's tests run twice).
 */
class SixteenBitFaultsTest {
  private static final StepOptions[] RUNS = {
      StepOptions.serial(),
      StepOptions.defaults().withThreads(2).withChunkSize(64).withSerialThreshold(0)};

  private static short[] fp16(int n, float value) {
    short[] bits = new short[n];
    Arrays.fill(bits, Fp16.fromFloat(value));
    return bits;
  }

  private static short[] bf16(int n, float value) {
    short[] bits = new short[n];
    Arrays.fill(bits, Bf16.fromFloat(value));
    return bits;
  }

  @Test
  void aNonFiniteSixteenBitGradientIsReportedWithItsDecodedValue() {
    for (StepOptions options : RUNS) {
      short[] bfGrad = bf16(300, 0.5f);
      bfGrad[7] = (short) 0x7FC0; // bf16 NaN (raw bits 32704)
      AdamWMixed bf = AdamWMixed.builder().build().addBf16(bf16(300, 1f), bfGrad);
      bf.setStepOptions(options);
      NonFiniteGradientException e = assertThrows(NonFiniteGradientException.class, bf::step);
      assertThat(e.index()).isEqualTo(7);
      assertThat(e.value()).isNaN();
      assertThat(e).hasMessageThat().contains("is NaN at index 7");

      short[] fpGrad = fp16(300, 0.5f);
      fpGrad[299] = (short) 0x7C00; // fp16 +Inf (raw bits 31744)
      fpGrad[298] = (short) 0xFC00; // fp16 -Inf, later in the same block: not the first
      AdamWPure fp = AdamWPure.builder().build().addFp16(fp16(300, 1f), fp16(300, 0.5f)).addFp16(fp16(300, 1f), fpGrad);
      fp.setStepOptions(options);
      e = assertThrows(NonFiniteGradientException.class, fp::step);
      assertThat(e.tensor()).isEqualTo(1);
      assertThat(e.index()).isEqualTo(298);
      assertThat(e.value()).isEqualTo(Double.NEGATIVE_INFINITY);
    }
  }

  /** An fp16 parameter at 65504 pushed up: float32 moments, with and without Kahan compensation. */
  @Test
  void anFp16ParameterPushedPastItsLargestValueIsReportedAfterTheStep() {
    for (StepOptions options : RUNS) {
      for (boolean kahan : new boolean[] {false, true}) {
        short[] fine = fp16(1000, 0.25f);
        short[] param = fp16(1000, 0.5f);
        param[600] = Fp16.fromFloat(Fp16.MAX_VALUE);
        short[] grad = fp16(1000, -1f); // gradients against the sign: every parameter moves up by lr
        KernelOptimizer optimizer;
        if (kahan) {
          optimizer = AdamWMixedKahan.builder().lr(100).weightDecay(0).build()
              .addFp16(fine, fp16(1000, 1f)).addFp16(param, grad);
        } else {
          optimizer = AdamWMixed.builder().lr(100).weightDecay(0).build()
              .addFp16(fine, fp16(1000, 1f)).addFp16(param, grad);
        }
        optimizer.setStepOptions(options);

        StorageOverflowException e = assertThrows(StorageOverflowException.class, optimizer::step);
        assertThat(e.tensor()).isEqualTo(1);
        assertThat(e.group()).isEqualTo(0);
        assertThat(e.buffer()).isEqualTo("param");
        assertThat(e.index()).isEqualTo(600);
        assertThat(e.value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(e).hasMessageThat().contains("param of tensor 1 (group 0, 1000 elements) holds Infinity at index 600");
        assertThat(e).hasMessageThat().contains("lower the learning rate");
        // the step was taken in full: every tensor moved, every counter advanced
        assertThat(optimizer.stepCount()).isEqualTo(1);
        assertThat(optimizer.stepCount(fine)).isEqualTo(1);
        assertThat(Fp16.toFloat(fine[0])).isLessThan(0f);
        assertThat(Fp16.toFloat(param[0])).isGreaterThan(99f);
        assertThat(Fp16.toFloat(param[600])).isPositiveInfinity();
      }
    }
  }

  /** Pure fp16 moments with |g| = 1e4: (1 − β2)·g² = 1e5 overflows exp_avg_sq, the parameter would freeze. */
  @Test
  void pureFp16SecondMomentsOverflowWithLargeGradientsAndAreReported() {
    for (StepOptions options : RUNS) {
      for (boolean kahan : new boolean[] {false, true}) {
        short[] param = fp16(200, 1f);
        short[] grad = fp16(200, 1e-2f);
        grad[150] = Fp16.fromFloat(-1e4f);
        KernelOptimizer optimizer = kahan
            ? AdamWPureKahan.builder().build().addFp16(param, grad)
            : AdamWPure.builder().build().addFp16(param, grad);
        optimizer.setStepOptions(options);
        StorageOverflowException e = assertThrows(StorageOverflowException.class, optimizer::step);
        assertThat(e.buffer()).isEqualTo("exp_avg_sq");
        assertThat(e.index()).isEqualTo(150);
        assertThat(e.value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(optimizer.stepCount()).isEqualTo(1);
        // stepping the tensor alone reports it too, now that the moment is infinite for good
        assertThrows(StorageOverflowException.class, () -> optimizer.stepTensor(param));
      }
    }
  }

  /** The same gradients with float32 moments are no problem: the 16-bit parameter moves as it should. */
  @Test
  void float32MomentsTakeTheSameGradientsWithoutOverflow() {
    for (StepOptions options : RUNS) {
      short[] param = fp16(200, 1f);
      short[] grad = fp16(200, 1e-2f);
      grad[150] = Fp16.fromFloat(-1e4f);
      AdamWMixed optimizer = AdamWMixed.builder().lr(1e-2).weightDecay(0).build().addFp16(param, grad);
      optimizer.setStepOptions(options);
      for (int s = 0; s < 5; s++) {
        optimizer.step();
      }
      assertThat(optimizer.expAvgSq(param)[150]).isGreaterThan(65504f);
      assertThat((double) Fp16.toFloat(param[150])).isWithin(1e-2).of(1.05);
      assertThat((double) Fp16.toFloat(param[0])).isWithin(1e-2).of(0.95);
    }
  }

  /** bfloat16 has float32's range: its parameter overflows only near 3.39e38, its moments from |g| ≈ 5.8e20. */
  @Test
  void bf16ValuesNearTheFormatsLargestAreReportedWhenTheyOverflow() {
    for (StepOptions options : RUNS) {
      short[] param = bf16(500, 1f);
      param[499] = Bf16.fromFloat(Bf16.MAX_VALUE);
      AdamWMixed mixed = AdamWMixed.builder().lr(1e37).weightDecay(0).build().addBf16(param, bf16(500, -1f));
      mixed.setStepOptions(options);
      StorageOverflowException e = assertThrows(StorageOverflowException.class, mixed::step);
      assertThat(e.buffer()).isEqualTo("param");
      assertThat(e.index()).isEqualTo(499);
      assertThat(e.value()).isEqualTo(Double.POSITIVE_INFINITY);

      short[] grad = bf16(500, 1f);
      grad[3] = Bf16.fromFloat(1e21f);
      AdamWPure pure = AdamWPure.builder().build().addBf16(bf16(500, 1f), grad);
      pure.setStepOptions(options);
      e = assertThrows(StorageOverflowException.class, pure::step);
      assertThat(e.buffer()).isEqualTo("exp_avg_sq");
      assertThat(e.index()).isEqualTo(3);
      // below that it fits: with |g| = 1e19, g² = 1e38 is still a float32 and a bfloat16
      grad[3] = Bf16.fromFloat(1e19f);
      AdamWPure below = AdamWPure.builder().build().addBf16(bf16(500, 1f), grad);
      below.setStepOptions(options);
      below.step();
    }
  }

  /**
   * Ordinary training in every 16-bit storage configuration never reports: a quadratic pulled to
   * random targets for 200 steps, gradients of order 1 shrinking to 0.
   */
  @Test
  void ordinarySixteenBitTrainingNeverReports() {
    SplittableRandom random = new SplittableRandom(7);
    int n = 1000;
    float[] target = new float[n];
    for (int i = 0; i < n; i++) {
      target[i] = (float) (random.nextDouble() * 4 - 2);
    }
    for (StepOptions options : RUNS) {
      for (boolean bf : new boolean[] {false, true}) {
        for (int config = 0; config < 4; config++) {
          short[] param = new short[n];
          short[] grad = new short[n];
          KernelOptimizer optimizer;
          switch (config) {
            case 0: optimizer = bf ? AdamWMixed.builder().lr(1e-2).build().addBf16(param, grad)
                : AdamWMixed.builder().lr(1e-2).build().addFp16(param, grad); break;
            case 1: optimizer = bf ? AdamWMixedKahan.builder().lr(1e-2).build().addBf16(param, grad)
                : AdamWMixedKahan.builder().lr(1e-2).build().addFp16(param, grad); break;
            case 2: optimizer = bf ? AdamWPure.builder().lr(1e-2).build().addBf16(param, grad)
                : AdamWPure.builder().lr(1e-2).build().addFp16(param, grad); break;
            default: optimizer = bf ? AdamWPureKahan.builder().lr(1e-2).build().addBf16(param, grad)
                : AdamWPureKahan.builder().lr(1e-2).build().addFp16(param, grad);
          }
          optimizer.setStepOptions(options);
          double start = 0;
          double end = 0;
          for (int s = 0; s < 200; s++) {
            double loss = 0;
            for (int i = 0; i < n; i++) {
              float p = bf ? Bf16.toFloat(param[i]) : Fp16.toFloat(param[i]);
              float g = p - target[i];
              grad[i] = bf ? Bf16.fromFloat(g) : Fp16.fromFloat(g);
              loss += g * g;
            }
            start = s == 0 ? loss : start;
            end = loss;
            optimizer.step(); // would throw StorageOverflowException
          }
          assertThat(end).isLessThan(start / 10);
        }
      }
    }
  }
}
