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
 * @param halfStorage how the 16-bit kernels store their values (unused without them)
 */
public record OptimizerModel(
    String packageName,
    String name,
    String specCanonicalName,
    Structure structure,
    HyperparameterDefaults defaults,
    List<Precision> precisions,
    HalfStorage halfStorage) {

  public OptimizerModel {
    precisions = List.copyOf(precisions);
  }

  /** Whether the spec generates a bf16 or fp16 kernel. */
  public boolean hasHalfPrecision() {
    return precisions.contains(Precision.BFLOAT16) || precisions.contains(Precision.FLOAT16);
  }

  /** The spec's identity: its structure, and for 16-bit kernels how they store. */
  public String canonical() {
    return hasHalfPrecision() ? structure.canonical() + "," + halfStorage.canonical() : structure.canonical();
  }

  /** The kernel class name for {@code precision}. */
  public String kernelClass(Precision precision) {
    return GeneratedNames.kernelClass(name, precision);
  }

  /** The loops over native memory of a kernel. */
  public String segmentLoopsClass(Precision precision) {
    return GeneratedNames.segmentLoopsClass(name, precision);
  }

  /** The fused Vector API loops' class for a 16-bit precision. */
  public String vectorLoopsClass(Precision precision) {
    return GeneratedNames.vectorLoopsClass(name, precision);
  }
}
