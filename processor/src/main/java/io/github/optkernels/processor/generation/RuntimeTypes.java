package io.github.optkernels.processor.generation;

import com.palantir.javapoet.ClassName;

/** Runtime types that generated code refers to; named here so the processor need not depend on the runtime. */
public final class RuntimeTypes {
  private static final String PACKAGE = "io.github.optkernels.runtime";

  public static final ClassName STEP_KERNEL = ClassName.get(PACKAGE, "StepKernel");
  public static final ClassName STEP_PHASE = ClassName.get(PACKAGE, "StepPhase");
  public static final ClassName HYPERPARAMETERS = ClassName.get(PACKAGE, "Hyperparameters");
  public static final ClassName KERNEL_OPTIMIZER = ClassName.get(PACKAGE, "KernelOptimizer");
  public static final ClassName SPEC_INFO = ClassName.get(PACKAGE, "SpecInfo");
  public static final ClassName KERNEL_CHECKS = ClassName.get(PACKAGE, "KernelChecks");
  public static final ClassName HALF_ARRAYS = ClassName.get(PACKAGE, "HalfArrays");
  public static final ClassName HALF_ARRAYS_BLOCK = HALF_ARRAYS.nestedClass("Block");
  public static final ClassName PARAM_GROUP = ClassName.get(PACKAGE, "ParamGroup");
  public static final ClassName GRADIENT_SCAN = ClassName.get(PACKAGE, "GradientScan");
  public static final ClassName FUSED_VECTOR_LOOPS = ClassName.get(PACKAGE, "FusedVectorLoops");
  public static final ClassName ROUNDING_NOISE = ClassName.get(PACKAGE, "RoundingNoise");
  public static final ClassName HALF_FORMAT = ClassName.get(PACKAGE, "HalfFormat");

  private RuntimeTypes() {}
}
