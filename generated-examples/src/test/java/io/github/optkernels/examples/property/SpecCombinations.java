package io.github.optkernels.examples.property;

import io.github.optkernels.annotations.Amsgrad;
import io.github.optkernels.annotations.EpsPlacement;
import io.github.optkernels.annotations.FirstMoment;
import io.github.optkernels.annotations.MomentStorage;
import io.github.optkernels.annotations.Rectification;
import io.github.optkernels.annotations.RectifyThreshold;
import io.github.optkernels.annotations.SecondMoment;
import io.github.optkernels.annotations.WeightDecay;
import io.github.optkernels.examples.reference.ReferenceSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Every legal combination of the structural options, enumerated from the enums themselves, so a
 * new option constant joins the property test without anyone touching it. The threshold only
 * varies where it means something (with a rectification mode); {@code rectifyThreshold} with
 * {@code rectify = NONE} is a compile error.
 */
final class SpecCombinations {
  private SpecCombinations() {}

  static List<ReferenceSpec> all() {
    List<ReferenceSpec> specs = new ArrayList<>();
    for (FirstMoment first : FirstMoment.values()) {
      for (SecondMoment second : SecondMoment.values()) {
        for (Amsgrad amsgrad : Amsgrad.values()) {
          for (Rectification rectify : Rectification.values()) {
            for (RectifyThreshold threshold : thresholds(rectify)) {
              for (EpsPlacement eps : EpsPlacement.values()) {
                for (MomentStorage storage : MomentStorage.values()) {
                  for (WeightDecay decay : WeightDecay.values()) {
                    if (decay == WeightDecay.PROXIMAL) {
                      continue; // a mode for rules only; the built-in family has no proximal step
                    }
                    for (boolean maximize : new boolean[] {false, true}) {
                      specs.add(new ReferenceSpec(first, second, amsgrad, rectify, threshold, eps,
                          storage, decay, maximize));
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    return specs;
  }

  /** How many combinations {@link #all()} must produce: the product of the option counts. */
  static int expectedCount() {
    int rectifyAndThreshold = 1 + (Rectification.values().length - 1) * RectifyThreshold.values().length;
    return FirstMoment.values().length * SecondMoment.values().length * Amsgrad.values().length
        * rectifyAndThreshold * EpsPlacement.values().length * MomentStorage.values().length
        * (WeightDecay.values().length - 1) * 2; // PROXIMAL is for rules
  }

  private static RectifyThreshold[] thresholds(Rectification rectify) {
    return rectify == Rectification.NONE
        ? new RectifyThreshold[] {RectifyThreshold.RHO_ABOVE_5}
        : RectifyThreshold.values();
  }

  /** The Java source of {@code spec} as an {@code @Optimizer} interface named {@code <name>Spec}. */
  static String source(String packageName, String name, ReferenceSpec spec) {
    StringBuilder src = new StringBuilder()
        .append("package ").append(packageName).append(";\n")
        .append("import io.github.optkernels.annotations.*;\n")
        .append("@Optimizer(\n")
        .append("    firstMoment = FirstMoment.").append(spec.firstMoment()).append(",\n")
        .append("    secondMoment = SecondMoment.").append(spec.secondMoment()).append(",\n")
        .append("    amsgrad = Amsgrad.").append(spec.amsgrad()).append(",\n")
        .append("    rectify = Rectification.").append(spec.rectify()).append(",\n");
    if (spec.rectify() != Rectification.NONE) {
      src.append("    rectifyThreshold = RectifyThreshold.").append(spec.rectifyThreshold()).append(",\n");
    }
    return src.append("    epsPlacement = EpsPlacement.").append(spec.epsPlacement()).append(",\n")
        .append("    momentStorage = MomentStorage.").append(spec.momentStorage()).append(",\n")
        .append("    decay = WeightDecay.").append(spec.decay()).append(",\n")
        .append("    maximize = ").append(spec.maximize()).append(")\n")
        .append("interface ").append(name).append("Spec {}\n")
        .toString();
  }
}
