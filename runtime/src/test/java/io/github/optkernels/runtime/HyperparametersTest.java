package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Invalid hyperparameters are rejected when set, with the hyperparameter's name, and change nothing. */
class HyperparametersTest {
  private static final Hyperparameters VALID = new Hyperparameters(1e-3, 0.9, 0.999, 1e-8, 0, 0.01,
      Double.NaN, 0.004, 0);

  private static void rejects(String name, DoubleFunction<Hyperparameters> change, double value) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> change.apply(value));
    assertTrue(e.getMessage().startsWith(name + " "), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(doubles = {-1e-3, Double.NaN, Double.POSITIVE_INFINITY})
  void lrMustBeFiniteAndNonNegative(double lr) {
    rejects("lr", VALID::withLr, lr);
  }

  @Test
  void lrZeroIsAllowedForWarmupsAndPauses() {
    assertEquals(0.0, VALID.withLr(0).lr());
  }

  @ParameterizedTest
  @ValueSource(doubles = {1.0, 1.5, -0.1, Double.NaN})
  void betasMustBeInTheUnitInterval(double beta) {
    rejects("beta1", VALID::withBeta1, beta);
    rejects("beta2", VALID::withBeta2, beta);
  }

  @ParameterizedTest
  @ValueSource(doubles = {-1e-8, Double.NaN, Double.NEGATIVE_INFINITY})
  void epsEpsRootWeightDecayAndMomentumDecayMustBeFiniteAndNonNegative(double value) {
    rejects("eps", VALID::withEps, value);
    rejects("epsRoot", VALID::withEpsRoot, value);
    rejects("weightDecay", VALID::withWeightDecay, value);
    rejects("momentumDecay", VALID::withMomentumDecay, value);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -1.0, Double.POSITIVE_INFINITY})
  void maxLrMustBePositiveOrUnset(double maxLr) {
    rejects("maxLr", VALID::withMaxLr, maxLr);
  }

  @Test
  void warmupStepsMustBeNonNegative() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> VALID.withVarianceWarmupSteps(-1));
    assertTrue(e.getMessage().startsWith("varianceWarmupSteps "));
  }

  @Test
  void withersChangeOneValueAndKeepTheRest() {
    Hyperparameters h = VALID.withBeta2(0.99);
    assertEquals(0.99, h.beta2());
    assertEquals(VALID.withBeta2(0.99), h);
    assertEquals(VALID, h.withBeta2(0.999));
    assertEquals(VALID.hashCode(), h.withBeta2(0.999).hashCode());
  }

  @Test
  void hyperparametersAreImmutable() {
    // the runtime's per-step view (scheduled lr, resolved max_lr) is another type, not a subclass
    assertTrue(java.lang.reflect.Modifier.isFinal(Hyperparameters.class.getModifiers()));
    for (java.lang.reflect.Field field : Hyperparameters.class.getDeclaredFields()) {
      assertTrue(java.lang.reflect.Modifier.isFinal(field.getModifiers()), field.getName());
    }
    assertTrue(!Hyperparameters.class.isAssignableFrom(StepHyperparameters.class));
  }

  @Test
  void theConstructorTakesTheBuiltInHyperparametersInTheirOrder() {
    Hyperparameters h = VALID;
    double[] expected = {1e-3, 0.9, 0.999, 1e-8, 0, 0.01, Double.NaN, 0.004, 0};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], h.value(Hyperparameter.BUILT_IN.get(i)), Hyperparameter.BUILT_IN.get(i).name());
    }
    assertEquals(Hyperparameter.BUILT_IN, h.hyperparameters());
    Hyperparameters.Builder builder = Hyperparameters.builder();
    for (int i = 0; i < expected.length; i++) {
      builder.set(Hyperparameter.BUILT_IN.get(i), expected[i]);
    }
    assertEquals(h, builder.build());
    assertEquals("Hyperparameters{lr=0.001, beta1=0.9, beta2=0.999, eps=1.0E-8, epsRoot=0.0, weightDecay=0.01,"
        + " maxLr=NaN, momentumDecay=0.004, varianceWarmupSteps=0}", h.toString());
  }
}
