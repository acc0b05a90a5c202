package io.github.optkernels.examples.rules;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.optkernels.runtime.Hyperparameter;
import io.github.optkernels.runtime.Hyperparameters;
import io.github.optkernels.runtime.ParamGroup;
import org.junit.jupiter.api.Test;

/** A rule's own hyperparameters behave like the built-in ones: checked, per group, refused when ignored. */
class RuleHyperparametersTest {

  @Test
  void aDeclaredHyperparameterIsCheckedAgainstItsDomain() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Adan.builder().beta3(1.0));
    assertThat(e).hasMessageThat().contains("beta3");
    assertThat(Adan.builder().build().hyperparameters().value(Adan.BETA3)).isEqualTo(0.99);
  }

  @Test
  void aGroupCanSetItsOwnValue() {
    Adan optimizer = Adan.builder().build();
    float[] a = {1f, 2f};
    float[] b = {1f, 2f};
    optimizer.add(a, new float[] {0.5f, -0.5f});
    ParamGroup group = optimizer.addGroup(optimizer.hyperparameters().with(Adan.BETA3, 0.5));
    optimizer.add(group, b, new float[] {0.5f, -0.5f});
    optimizer.step();
    optimizer.step();
    // same gradients, different β3: the squared terms differ after the second step
    assertThat(optimizer.expAvgSq(a)[0]).isNotEqualTo(optimizer.expAvgSq(b)[0]);
    assertThat(optimizer.group(b).hyperparameters().value(Adan.BETA3)).isEqualTo(0.5);
  }

  @Test
  void aWarmUpTheRuleDoesNotReadIsRefusedNotIgnored() {
    Hyperparameters withWarmup = Lion.builder().build().hyperparameters()
        .with(Hyperparameter.VARIANCE_WARMUP_STEPS, 3);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Lion.builder().hyperparameters(withWarmup).build());
    assertThat(e).hasMessageThat().contains("varianceWarmupSteps = 3");
  }
}
