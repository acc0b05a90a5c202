package io.github.optkernels.processor;

import com.google.auto.service.AutoService;
import io.github.optkernels.annotations.Carried;
import io.github.optkernels.annotations.Hyper;
import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.annotations.PerStep;
import io.github.optkernels.annotations.Rule;
import io.github.optkernels.annotations.State;
import io.github.optkernels.processor.reading.SourceLocations;
import io.github.optkernels.processor.validation.Message;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * Turns every {@code @Optimizer} spec into step kernels and an optimizer class. Registered with
 * AutoService and declared isolating for Gradle: each generated file has exactly one originating
 * element, its spec.
 */
@AutoService(Processor.class)
public final class OptimizerProcessor extends AbstractProcessor {
  private SpecProcessingStep step;

  @Override
  public synchronized void init(ProcessingEnvironment env) {
    super.init(env);
    step = new SpecProcessingStep(env.getElementUtils(), env.getMessager(), env.getFiler(),
        SourceLocations.of(env), vectorApi(env), segments(env));
  }

  /** The processor option that turns the fused Vector API loops off: {@code -Aoptkernels.vector=false}. */
  static final String VECTOR_OPTION = "optkernels.vector";

  /**
   * Whether 16-bit kernels get fused Vector API loops: when the compilation can see
   * {@code jdk.incubator.vector} (javac runs with {@code --add-modules jdk.incubator.vector}), unless
   * {@code -Aoptkernels.vector=false}. Without the module nothing changes: the kernels have only
   * their block loops, and neither compiling nor running them needs a flag.
   */
  private static boolean vectorApi(ProcessingEnvironment env) {
    if ("false".equalsIgnoreCase(env.getOptions().get(VECTOR_OPTION))) {
      return false;
    }
    return env.getElementUtils().getTypeElement("jdk.incubator.vector.FloatVector") != null;
  }

  /** The first Java release whose {@code java.lang.foreign} is final (preview in 19 to 21). */
  private static final int FOREIGN_FINAL = 22;

  /**
   * Whether float kernels also get loops over native memory (off-heap tensors stepped in place):
   * when the compilation targets Java {@value #FOREIGN_FINAL} or later and its Vector API has
   * {@code FloatVector.fromMemorySegment}. A build for Java 17 gets none and needs nothing more.
   */
  private static boolean segments(ProcessingEnvironment env) {
    if (env.getSourceVersion().ordinal() < FOREIGN_FINAL
        || env.getElementUtils().getTypeElement("java.lang.foreign.MemorySegment") == null) {
      return false;
    }
    TypeElement vector = env.getElementUtils().getTypeElement("jdk.incubator.vector.FloatVector");
    return vector != null && vector.getEnclosedElements().stream()
        .anyMatch(member -> member.getSimpleName().contentEquals("fromMemorySegment"));
  }

  @Override
  public Set<String> getSupportedOptions() {
    return Set.of(VECTOR_OPTION);
  }

  /** The marker every generated file carries (see GeneratedMarkers). */
  private static final String GENERATED = "javax.annotation.processing.Generated";
  static final String PROCESSOR_NAME = OptimizerProcessor.class.getCanonicalName();

  /**
   * The annotations of a rule: read through the spec that declares (or inherits) them, never
   * processed on their own, but claimed like {@code @Optimizer}.
   */
  private static final Set<String> RULE_ANNOTATIONS = Set.of(Rule.class.getCanonicalName(),
      State.class.getCanonicalName(), PerStep.class.getCanonicalName(), Hyper.class.getCanonicalName(),
      Carried.class.getCanonicalName());

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    Set<String> types = new HashSet<>(RULE_ANNOTATIONS);
    types.add(Optimizer.class.getCanonicalName());
    types.add(GENERATED);
    return types;
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  /**
   * Claims {@code @Optimizer} and a rule's annotations, and the {@code @Generated} on the files
   * it generated: an annotation nobody claims is a {@code -Xlint:processing} warning, which fails
   * users' {@code -Xlint:all -Werror} builds. {@code @Generated} is claimed only in rounds where every
   * element carrying it is ours, so other tools still see theirs. After an unexpected failure
   * (reported as an error with its trace) nothing is claimed and javac carries on.
   */
  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    if (annotations.isEmpty()) {
      return false;
    }
    step.noteRootElements(round.getRootElements());
    boolean claim = true;
    for (TypeElement annotation : annotations) {
      if (annotation.getQualifiedName().contentEquals(GENERATED)) {
        claim &= allGeneratedByUs(round.getElementsAnnotatedWith(annotation));
        continue;
      }
      if (RULE_ANNOTATIONS.contains(annotation.getQualifiedName().toString())) {
        continue;
      }
      for (Element element : round.getElementsAnnotatedWith(annotation)) {
        try {
          step.process((TypeElement) element);
        } catch (RuntimeException | Error unexpected) {
          claim = false;
          StringWriter trace = new StringWriter();
          unexpected.printStackTrace(new PrintWriter(trace));
          processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
              Message.PROCESSOR_CRASHED.format(trace), element);
        }
      }
    }
    return claim;
  }

  private static boolean allGeneratedByUs(Set<? extends Element> elements) {
    for (Element element : elements) {
      boolean ours = false;
      for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
        TypeElement type = (TypeElement) mirror.getAnnotationType().asElement();
        if (type.getQualifiedName().contentEquals(GENERATED)) {
          for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> value
              : mirror.getElementValues().entrySet()) {
            ours |= value.getKey().getSimpleName().contentEquals("value")
                && value.getValue().toString().contains(PROCESSOR_NAME);
          }
        }
      }
      if (!ours) {
        return false;
      }
    }
    return true;
  }
}
