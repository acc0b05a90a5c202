package io.github.optkernels.processor.model;

import io.github.optkernels.annotations.Precision;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.SourceVersion;

/**
 * The one naming function: every generated class name comes from here.
 * {@code AdamW} → optimizer {@code AdamW}, kernels {@code AdamWFloatKernel},
 * {@code AdamWDoubleKernel}, {@code AdamWBf16Kernel}, {@code AdamWFp16Kernel}.
 */
public final class GeneratedNames {
  private static final String SPEC_SUFFIX = "Spec";
  /** Identifiers javac accepts elsewhere but not as a class name. */
  private static final Set<String> RESTRICTED_TYPE_NAMES =
      Set.of("var", "yield", "record", "sealed", "permits", "non-sealed");

  private GeneratedNames() {}

  /**
   * The optimizer name for a spec: {@code explicitName} if not empty, else the interface's
   * simple name without its {@code Spec} suffix; empty when neither gives a name.
   */
  public static Optional<String> optimizerName(String explicitName, String specSimpleName) {
    if (!explicitName.isEmpty()) {
      return Optional.of(explicitName);
    }
    if (specSimpleName.endsWith(SPEC_SUFFIX) && specSimpleName.length() > SPEC_SUFFIX.length()) {
      return Optional.of(specSimpleName.substring(0, specSimpleName.length() - SPEC_SUFFIX.length()));
    }
    return Optional.empty();
  }

  /** Whether {@code name} can name a top-level class. */
  public static boolean isClassName(String name) {
    return SourceVersion.isIdentifier(name) && !SourceVersion.isKeyword(name)
        && !RESTRICTED_TYPE_NAMES.contains(name);
  }

  /** The kernel class for one precision. */
  public static String kernelClass(String optimizerName, Precision precision) {
    return optimizerName + kernelSuffix(precision) + "Kernel";
  }

  /**
   * The fused Vector API loops of a 16-bit kernel ({@code AdamWBf16VectorLoops}), generated next to
   * it when the compilation can see {@code jdk.incubator.vector}.
   */
  public static String vectorLoopsClass(String optimizerName, Precision precision) {
    return optimizerName + kernelSuffix(precision) + "VectorLoops";
  }

  /**
   * The loops over native memory of a kernel ({@code AdamWFloatSegmentLoops}),
   * generated next to it when the compilation is for Java 22 or later and can see
   * {@code jdk.incubator.vector}.
   */
  public static String segmentLoopsClass(String optimizerName, Precision precision) {
    return optimizerName + kernelSuffix(precision) + "SegmentLoops";
  }

  /**
   * Every class a spec may generate: the optimizer, one kernel per precision, then the fused loops
   * of each 16-bit precision and the loops over native memory of every kernel. Those loops are
   * generated only when the compilation sees {@code jdk.incubator.vector} (and, for native memory,
   * targets Java 22+), but their names are kept free always, so adding the module to a build that
   * compiles cannot break it with a name clash.
   */
  public static List<String> allClasses(String optimizerName, List<Precision> precisions) {
    List<String> names = new ArrayList<>();
    names.add(optimizerName);
    for (Precision p : precisions) {
      names.add(kernelClass(optimizerName, p));
    }
    for (Precision p : precisions) {
      if (p == Precision.BFLOAT16 || p == Precision.FLOAT16) {
        names.add(vectorLoopsClass(optimizerName, p));
      }
    }
    for (Precision p : precisions) {
      names.add(segmentLoopsClass(optimizerName, p));
    }
    return names;
  }

  private static String kernelSuffix(Precision precision) {
    switch (precision) {
      case FLOAT:
        return "Float";
      case DOUBLE:
        return "Double";
      case BFLOAT16:
        return "Bf16";
      case FLOAT16:
        return "Fp16";
      default:
        throw new AssertionError(precision);
    }
  }
}
