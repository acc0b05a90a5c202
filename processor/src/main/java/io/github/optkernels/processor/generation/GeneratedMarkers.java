package io.github.optkernels.processor.generation;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import io.github.optkernels.processor.model.OptimizerModel;

/**
 * How every generated file is marked, in one place: {@code @Generated} naming the processor and
 * the spec (no timestamp: builds stay reproducible and goldens stable), and the "do not edit" line.
 */
final class GeneratedMarkers {
  private static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");
  /** Must equal the processor's canonical name: the processor recognises its files by it. */
  private static final String PROCESSOR = "io.github.optkernels.processor.OptimizerProcessor";

  private GeneratedMarkers() {}

  static AnnotationSpec generated(OptimizerModel model) {
    return AnnotationSpec.builder(GENERATED)
        .addMember("value", "$S", PROCESSOR)
        .addMember("comments", "$S", "from " + model.specCanonicalName())
        .build();
  }

  /** The Javadoc line naming the spec: "Generated from {@link Spec}; do not edit." */
  static String doNotEdit(OptimizerModel model) {
    return "Generated from {@link " + model.specCanonicalName() + "}; do not edit.\n";
  }
}
