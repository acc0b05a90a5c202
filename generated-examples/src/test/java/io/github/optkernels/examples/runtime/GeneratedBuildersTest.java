package io.github.optkernels.examples.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.optkernels.runtime.Hyperparameter;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.SpecInfo;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every generated builder has a setter for exactly the hyperparameters its spec reads (named as
 * the hyperparameter, {@code int} for a count), each setter sets that hyperparameter, and a value
 * outside its domain is refused at once with a message naming it.
 */
class GeneratedBuildersTest {
  private static final List<String> OPTIMIZERS = List.of("Adam", "AdamW", "AMSGrad", "AdaBelief",
      "AdaBeliefAdam", "AdaBeliefAMSGrad", "NAdam", "RAdam", "RAdamNoSgd", "RAdamWFullyDecoupled",
      "half.AdamStochastic", "half.NAdamPureKahan", "half.RAdamWFullyDecoupledMixed");

  private static double valid(Hyperparameter h) {
    switch (h.domain()) {
      case UNIT_INTERVAL:
        return 0.5;
      case COUNT:
        return 3;
      default:
        return 0.25;
    }
  }

  private static double invalid(Hyperparameter h) {
    switch (h.domain()) {
      case UNIT_INTERVAL:
        return 1;
      case POSITIVE_OR_UNSET:
        return 0;
      default:
        return -1;
    }
  }

  private static Object call(Object builder, Method setter, Hyperparameter h, double value) throws Throwable {
    try {
      return setter.invoke(builder, h.isInteger() ? (Object) (int) value : (Object) value);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Test
  void eachBuilderSetsExactlyItsSpecsHyperparameters() throws Throwable {
    int setters = 0;
    for (String name : OPTIMIZERS) {
      Class<?> optimizer = Class.forName("io.github.optkernels.examples.variants." + name);
      SpecInfo spec = (SpecInfo) optimizer.getField("SPEC").get(null);
      Method factory = optimizer.getMethod("builder");
      Class<?> builderType = factory.getReturnType();
      for (Hyperparameter h : Hyperparameter.BUILT_IN) {
        Class<?> parameter = h.isInteger() ? int.class : double.class;
        Method setter;
        try {
          setter = builderType.getMethod(h.name(), parameter);
        } catch (NoSuchMethodException e) {
          assertFalse(spec.usedHyperparameters().contains(h), name + " has no setter for " + h);
          continue;
        }
        assertTrue(spec.usedHyperparameters().contains(h), name + " has a setter for unused " + h);
        Object builder = factory.invoke(null);
        call(builder, setter, h, valid(h));
        KernelOptimizer built = (KernelOptimizer) builderType.getMethod("build").invoke(builder);
        assertEquals(valid(h), built.hyperparameters().value(h), name + "." + h);

        Object fresh = factory.invoke(null);
        Throwable refused = assertThrows(Throwable.class, () -> call(fresh, setter, h, invalid(h)));
        assertInstanceOf(IllegalArgumentException.class, refused, name + "." + h);
        assertTrue(refused.getMessage().startsWith(h.name() + " must be"), refused.getMessage());
        setters++;
      }
    }
    // lr, β1, β2, ε and K in every spec, and ψ, max_lr and λ in some: the loop checked them all
    assertTrue(setters > OPTIMIZERS.size() * 5, "setters checked: " + setters);
  }
}
