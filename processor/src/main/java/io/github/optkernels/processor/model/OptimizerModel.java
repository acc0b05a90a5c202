package io.github.optkernels.processor.model;

import io.github.optkernels.annotations.Precision;
import java.util.List;

/**
 * One validated optimizer: everything the generators need, nothing they should not see.
 *
 * @param packageName package of the spec and of every generated class
 * @param name the optimizer's name (generated class prefix)
 * @param specCanonicalName canonical name of the annotated interface, for docs and identity
 * @param structure structural choices
 * @param defaults hyperparameter defaults
 * @param precisions precisions to generate, in source order, without repeats
 */
public record OptimizerModel(
    String packageName,
    String name,
    String specCanonicalName,
    Structure structure,
    HyperparameterDefaults defaults,
    List<Precision> precisions) {

  public OptimizerModel {
    precisions = List.copyOf(precisions);
  }

  /** The kernel class name for {@code precision}. */
  public String kernelClass(Precision precision) {
    return GeneratedNames.kernelClass(name, precision);
  }
}
