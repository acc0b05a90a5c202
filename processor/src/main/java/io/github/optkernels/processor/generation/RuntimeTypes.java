package io.github.optkernels.processor.generation;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import io.github.optkernels.runtime.Hyperparameter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/**
 * Runtime types that generated code refers to. Named by string, so that the processor uses no
 * runtime class but {@link Hyperparameter}, the one list of hyperparameter identities it reads.
 */
public final class RuntimeTypes {
  private static final String PACKAGE = "io.github.optkernels.runtime";

  public static final ClassName STEP_KERNEL = ClassName.get(PACKAGE, "StepKernel");
  public static final ClassName STEP_PHASE = ClassName.get(PACKAGE, "StepPhase");
  public static final ClassName HYPERPARAMETERS = ClassName.get(PACKAGE, "Hyperparameters");
  public static final ClassName HYPERPARAMETER = ClassName.get(Hyperparameter.class);
  public static final ClassName HYPERPARAMETER_VALUES = ClassName.get(PACKAGE, "HyperparameterValues");
  public static final ClassName KERNEL_OPTIMIZER = ClassName.get(PACKAGE, "KernelOptimizer");
  public static final ClassName SPEC_INFO = ClassName.get(PACKAGE, "SpecInfo");
  public static final ClassName KERNEL_CHECKS = ClassName.get(PACKAGE, "KernelChecks");
  public static final ClassName HALF_ARRAYS = ClassName.get(PACKAGE, "HalfArrays");
  public static final ClassName PROXIMAL_STORE = ClassName.get(PACKAGE, "ProximalStore");
  public static final ClassName HALF_ARRAYS_BLOCK = HALF_ARRAYS.nestedClass("Block");
  public static final ClassName PARAM_GROUP = ClassName.get(PACKAGE, "ParamGroup");
  public static final ClassName GRADIENT_SCAN = ClassName.get(PACKAGE, "GradientScan");
  public static final ClassName FUSED_VECTOR_LOOPS = ClassName.get(PACKAGE, "FusedVectorLoops");
  public static final ClassName SEGMENT_LOOPS = ClassName.get(PACKAGE, "SegmentLoops");
  public static final ClassName OFF_HEAP = ClassName.get(PACKAGE, "OffHeap");
  public static final ClassName ROUNDING_NOISE = ClassName.get(PACKAGE, "RoundingNoise");
  public static final ClassName HALF_FORMAT = ClassName.get(PACKAGE, "HalfFormat");

  /** The name of each built-in hyperparameter's constant in {@link Hyperparameter}. */
  private static final Map<Hyperparameter, String> CONSTANTS = constants();

  private RuntimeTypes() {}

  private static Map<Hyperparameter, String> constants() {
    Map<Hyperparameter, String> names = new HashMap<>();
    for (Field field : Hyperparameter.class.getFields()) {
      if (field.getType() == Hyperparameter.class && Modifier.isStatic(field.getModifiers())) {
        try {
          names.put((Hyperparameter) field.get(null), field.getName());
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return Map.copyOf(names);
  }

  /** {@code Hyperparameter.BETA1}: the runtime's constant for a built-in hyperparameter. */
  public static CodeBlock constantOf(Hyperparameter hyperparameter) {
    String name = CONSTANTS.get(hyperparameter);
    if (name == null) {
      throw new IllegalArgumentException(hyperparameter + " is not a built-in hyperparameter");
    }
    return CodeBlock.of("$T.$N", HYPERPARAMETER, name);
  }
}
