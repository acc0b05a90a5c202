package io.github.optkernels.examples.half;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.optkernels.examples.variants.half.AdamMixedKahan;
import io.github.optkernels.examples.variants.half.AdamPure;
import io.github.optkernels.examples.variants.half.AdamStochastic;
import io.github.optkernels.runtime.Bf16;
import io.github.optkernels.runtime.Fp16;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generated optimizer API for 16-bit tensors: typed registration, state, the untyped refusal. */
class SixteenBitOptimizerTest {

  @Test
  void bf16AndFp16TensorsRegisterThroughTheirOwnAddAndKeepTheirStateTypes() {
    short[] weights = {Bf16.fromFloat(1f), Bf16.fromFloat(-2f), Bf16.fromFloat(0.5f)};
    short[] halfWeights = {Fp16.fromFloat(1f), Fp16.fromFloat(-2f)};
    AdamMixedKahan optimizer = AdamMixedKahan.builder().lr(1e-2).build()
        .addBf16(weights, new short[] {Bf16.fromFloat(1f), Bf16.fromFloat(-1f), 0})
        .addFp16(halfWeights, new short[] {Fp16.fromFloat(1f), Fp16.fromFloat(-1f)});
    optimizer.step();

    assertThat(optimizer.stateNames(weights)).containsExactly("exp_avg", "exp_avg_sq", "kahan_comp").inOrder();
    assertThat(optimizer.expAvg(weights)).isInstanceOf(float[].class);
    assertThat(optimizer.kahanComp(halfWeights)).hasLength(2);
    // Adam's first step moves each weight by about lr against its gradient's sign
    assertThat((double) Bf16.toFloat(weights[0])).isWithin(2e-3).of(0.99);
    assertThat((double) Fp16.toFloat(halfWeights[1])).isWithin(1e-3).of(-1.99);
    // what rounding left out of the bf16 weight is in the compensation, not lost
    assertThat((double) (Bf16.toFloat(weights[0]) + Bf16.toFloat(optimizer.kahanComp(weights)[0])))
        .isWithin(1e-4).of(0.99);
  }

  @Test
  void pureSixteenBitStateIsShortBitsAndHasNoKahanBufferWhenKahanIsOff() {
    short[] weights = {Bf16.fromFloat(1f)};
    AdamPure optimizer = AdamPure.builder().build().addBf16(weights, new short[] {Bf16.fromFloat(0.25f)});
    optimizer.step();
    assertThat(optimizer.stateNames(weights)).containsExactly("exp_avg", "exp_avg_sq").inOrder();
    short[] m = optimizer.expAvg(weights);
    assertThat(Bf16.toFloat(m[0])).isEqualTo(Bf16.toFloat(Bf16.fromFloat(0.1f * 0.25f)));
  }

  /** bf16 and fp16 bits are both short[]: the untyped add cannot tell them apart and says so. */
  @Test
  void theUntypedAddRefusesShortBuffersWhenBothSixteenBitFormatsAreGenerated() {
    AdamStochastic optimizer = AdamStochastic.builder().build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> optimizer.add(new short[2], new short[2]));
    assertThat(e).hasMessageThat().contains("addBf16 or addFp16");
    assertThat(optimizer.tensorCount()).isEqualTo(0);
    assertThrows(IllegalArgumentException.class, () -> optimizer.add(new float[2], new float[2]));
    assertThat(List.of(optimizer.addBf16(new short[2], new short[2]).tensorCount())).containsExactly(1);
  }
}
