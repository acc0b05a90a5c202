package io.github.optkernels.processor.model;

import io.github.optkernels.runtime.Hyperparameter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The defaults the generated builder starts from: one value per hyperparameter, in
 * {@link Hyperparameter#BUILT_IN} order (validated: betas in [0, 1), lr &gt; 0, ...; {@code maxLr}
 * NaN when not set, the builder then leaves it to each group's schedule peak; {@code int} ones as
 * exact doubles).
 *
 * @param values every built-in hyperparameter's default
 */
public record HyperparameterDefaults(Map<Hyperparameter, Double> values) {

  public HyperparameterDefaults {
    Map<Hyperparameter, Double> ordered = new LinkedHashMap<>();
    for (Hyperparameter h : Hyperparameter.BUILT_IN) {
      Double value = values.get(h);
      if (value == null) {
        throw new IllegalArgumentException("no default for " + h);
      }
      ordered.put(h, value);
    }
    if (ordered.size() != values.size()) {
      throw new IllegalArgumentException("defaults for hyperparameters that are not built in: " + values.keySet());
    }
    values = Collections.unmodifiableMap(ordered);
  }

  /** The default of {@code hyperparameter}. */
  public double value(Hyperparameter hyperparameter) {
    return values.get(hyperparameter);
  }

  /** The hyperparameters, in order. */
  public List<Hyperparameter> hyperparameters() {
    return List.copyOf(values.keySet());
  }
}
