package io.github.optkernels.processor.generation;

import static com.google.common.truth.Truth.assertThat;

import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import io.github.optkernels.annotations.Amsgrad;
import io.github.optkernels.annotations.EpsPlacement;
import io.github.optkernels.annotations.FirstMoment;
import io.github.optkernels.annotations.MomentStorage;
import io.github.optkernels.annotations.ParamRounding;
import io.github.optkernels.annotations.Precision;
import io.github.optkernels.annotations.Rectification;
import io.github.optkernels.annotations.RectifyThreshold;
import io.github.optkernels.annotations.SecondMoment;
import io.github.optkernels.annotations.StatePrecision;
import io.github.optkernels.annotations.WeightDecay;
import io.github.optkernels.processor.model.HalfStorage;
import io.github.optkernels.processor.model.HyperparameterDefaults;
import io.github.optkernels.processor.model.OptimizerModel;
import io.github.optkernels.processor.model.Structure;
import io.github.optkernels.runtime.Hyperparameter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fused loops are printed from the same kernel IR as the block loops, so every element loop
 * any combination of options produces must print: every structure (each in one of
 * bf16/fp16 × four storage configurations, in turn) generates its fused loops without an error,
 * a loop per phase, and loops that call nothing of the runtime (a call in a loop costs C2's
 * inlining of the Vector API, see {@code FusedLoopWriter}). (Whether the translation computes the
 * same bits is generated-examples' business: its 16-bit property and fused-loop tests run the
 * compiled kernels.)
 */
class FusedLoopsCoverageTest {
  private static final HyperparameterDefaults DEFAULTS =
      new HyperparameterDefaults(Map.of(Hyperparameter.LR, 1e-3, Hyperparameter.BETA1, 0.9,
          Hyperparameter.BETA2, 0.999, Hyperparameter.EPS, 1e-8, Hyperparameter.EPS_ROOT, 0.0,
          Hyperparameter.WEIGHT_DECAY, 0.01, Hyperparameter.MAX_LR, Double.NaN,
          Hyperparameter.MOMENTUM_DECAY, 0.004, Hyperparameter.VARIANCE_WARMUP_STEPS, 0.0));

  @Test
  void everyCombinationOfOptionsTranslates() {
    int generated = 0;
    for (FirstMoment first : FirstMoment.values())
      for (SecondMoment second : SecondMoment.values())
        for (Amsgrad amsgrad : Amsgrad.values())
          for (Rectification rectify : Rectification.values())
            for (RectifyThreshold threshold : RectifyThreshold.values())
              for (EpsPlacement eps : EpsPlacement.values())
                for (MomentStorage storage : MomentStorage.values())
                  for (WeightDecay decay : WeightDecay.values())
                    for (boolean maximize : new boolean[] {false, true}) {
                      if (decay == WeightDecay.PROXIMAL) {
                        continue; // a mode for rules only (the rule families' conformance cases run their fused loops)
                      }
                      Structure structure = new Structure(first, second, amsgrad, rectify, threshold, eps,
                          storage, decay, maximize);
                      // each structure in one of the eight storage configurations, in turn
                      int k = generated;
                      HalfStorage half = halfStorages().get(k % 4);
                      {
                        OptimizerModel model = new OptimizerModel("p", "X", "p.XSpec", structure, DEFAULTS,
                            List.of((k / 4) % 2 == 0 ? Precision.BFLOAT16 : Precision.FLOAT16), half);
                        for (Precision precision : model.precisions()) {
                          KernelGenerator kernel = new KernelGenerator(model, precision, true, false);
                          assertThat(kernel.hasFusedLoops()).isTrue();
                          TypeSpec loops = kernel.generateFusedLoops();
                          assertThat(loops.methodSpecs().stream()
                                  .filter(m -> !m.isConstructor() && !m.name().equals("lanes") && !m.name().equals("roundingRevision")).count())
                              .isEqualTo(structure.phases().size());
                          // renders, i.e. every CodeBlock argument was well-formed
                          String source = JavaFile.builder("p", loops).build().toString();
                          assertThat(source).contains("F.loopBound");
                          // no call out of the loop to the runtime: a vector with an unusual lane
                          // is left to the block loop instead; the runtime's rounding constants
                          // (HalfBits) are named, and javac folds them into the class
                          assertThat(source.replace("import io.github.optkernels.runtime.HalfBits;", ""))
                              .doesNotContain("io.github.optkernels.runtime");
                          assertThat(source).doesNotContainMatch("HalfBits\\.\\w+\\(");
                          assertThat(source).doesNotContainMatch("\\b0x[0-9A-Fa-f]{3,}");
                          generated++;
                        }
                      }
                    }
    assertThat(generated).isEqualTo(2 * 3 * 3 * 3 * 2 * 3 * 2 * 4 * 2);
  }

  @Test
  void floatAndDoubleKernelsHaveNoFusedFlavour() {
    Structure structure = new Structure(FirstMoment.EMA, SecondMoment.SQUARED_GRADIENT, Amsgrad.OFF,
        Rectification.NONE, RectifyThreshold.RHO_ABOVE_5, EpsPlacement.OUTSIDE_CORRECTED_SQRT,
        MomentStorage.RAW, WeightDecay.DECOUPLED, false);
    OptimizerModel model = new OptimizerModel("p", "X", "p.XSpec", structure, DEFAULTS,
        List.of(Precision.FLOAT, Precision.DOUBLE), halfStorages().get(0));
    for (Precision precision : model.precisions()) {
      assertThat(new KernelGenerator(model, precision, true, false).hasFusedLoops()).isFalse();
    }
  }

  private static List<HalfStorage> halfStorages() {
    return List.of(
        new HalfStorage(StatePrecision.FLOAT32, true, ParamRounding.NEAREST_EVEN),
        new HalfStorage(StatePrecision.FLOAT32, false, ParamRounding.NEAREST_EVEN),
        new HalfStorage(StatePrecision.PARAMETER, true, ParamRounding.NEAREST_EVEN),
        new HalfStorage(StatePrecision.PARAMETER, false, ParamRounding.STOCHASTIC));
  }
}
