package io.github.optkernels.processor;

import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import io.github.optkernels.annotations.Precision;
import io.github.optkernels.processor.generation.KernelGenerator;
import io.github.optkernels.processor.generation.OptimizerClassGenerator;
import io.github.optkernels.processor.model.GeneratedNames;
import io.github.optkernels.processor.model.HalfStorage;
import io.github.optkernels.processor.model.HyperparameterDefaults;
import io.github.optkernels.processor.model.OptimizerModel;
import io.github.optkernels.processor.model.RuleModel;
import io.github.optkernels.processor.rule.RuleReader;
import io.github.optkernels.processor.model.Structure;
import io.github.optkernels.processor.reading.AnnotatedSpec;
import io.github.optkernels.processor.reading.Member;
import io.github.optkernels.processor.reading.SourceLocations;
import io.github.optkernels.processor.reading.SpecReader;
import io.github.optkernels.processor.validation.SpecValidator;
import io.github.optkernels.processor.validation.ValidationReport;
import io.github.optkernels.runtime.Hyperparameter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.tools.Diagnostic;

/**
 * One spec at a time: read → validate → model → generate → write. A spec with any error
 * generates nothing; its errors are all reported.
 */
final class SpecProcessingStep {
  private final boolean vectorApi;
  private final boolean segments;
  private final Elements elements;
  private final Messager messager;
  private final Filer filer;
  private final SpecReader reader;
  /** Qualified generated names already claimed (this and earlier rounds), mapped to their spec. */
  private final Map<String, SpecValidator.Owner> claimed = new HashMap<>();
  /** Qualified names of user-written top-level types seen in any round. */
  private final Map<String, SpecValidator.Owner> userTypes = new HashMap<>();
  /** The user's source files seen in any round, by package-qualified file name without .java. */
  private final Map<String, SpecValidator.SourceFile> userFiles = new HashMap<>();
  private final SourceLocations locations;

  /**
   * @param vectorApi whether 16-bit kernels get fused Vector API loops: the compilation can see
   *     {@code jdk.incubator.vector} and the user did not turn them off
   * @param segments whether float kernels also get loops over native memory: the compilation
   *     targets Java 22 or later and can see the Vector API's {@code fromMemorySegment}
   */
  SpecProcessingStep(Elements elements, Messager messager, Filer filer, SourceLocations locations,
      boolean vectorApi, boolean segments) {
    this.vectorApi = vectorApi;
    this.segments = vectorApi && segments;
    this.locations = locations;
    this.elements = elements;
    this.messager = messager;
    this.filer = filer;
    this.reader = new SpecReader(elements);
  }

  /** Remembers the round's user-written types so generated names cannot collide with them. */
  void noteRootElements(Iterable<? extends Element> roots) {
    for (Element root : roots) {
      if (root instanceof TypeElement && root.getEnclosingElement().getKind() == ElementKind.PACKAGE) {
        String qualified = ((TypeElement) root).getQualifiedName().toString();
        if (!claimed.containsKey(qualified)) {
          userTypes.put(qualified, new SpecValidator.Owner(false, qualified));
          noteFile((TypeElement) root);
        }
      }
    }
  }

  /** Remembers the file {@code type} is written in; the first type seen in a file names it. */
  private void noteFile(TypeElement type) {
    locations.fileNameOf(type).ifPresent(file -> {
      String packageName = elements.getPackageOf(type).getQualifiedName().toString();
      userFiles.putIfAbsent(qualified(packageName, file),
          new SpecValidator.SourceFile(file, type.getSimpleName().toString()));
    });
  }

  void process(TypeElement specElement) {
    AnnotatedSpec spec = reader.read(specElement);
    if (!spec.isWellFormed()) {
      return;
    }
    String packageName = elements.getPackageOf(specElement).getQualifiedName().toString();
    SpecValidator validator = new SpecValidator(new SpecValidator.NameRegistry() {
      @Override
      public Optional<SpecValidator.Owner> ownerOf(String packageName, String simpleName) {
        return SpecProcessingStep.this.ownerOf(packageName, simpleName);
      }

      @Override
      public Optional<SpecValidator.SourceFile> sourceFileNamed(String packageName, String simpleName) {
        return Optional.ofNullable(userFiles.get(qualified(packageName, simpleName)));
      }
    });
    ValidationReport report = validator.validate(spec, packageName);
    RuleModel rule = null;
    if (RuleReader.hasRule(specElement)) {
      String name = GeneratedNames.optimizerName(spec.name(), specElement.getSimpleName().toString())
          .orElse(specElement.getSimpleName().toString());
      rule = new RuleReader(spec, locations, report, name).read();
    }
    if (!report.isClean()) {
      report.printTo(messager, locations);
      return;
    }
    OptimizerModel model = model(spec, packageName, rule);
    for (String name : GeneratedNames.allClasses(model.name(), model.precisions())) {
      claimed.put(qualified(packageName, name),
          new SpecValidator.Owner(true, specElement.getQualifiedName().toString()));
    }
    List<TypeSpec> types = new ArrayList<>();
    types.add(new OptimizerClassGenerator(model).generate());
    for (Precision precision : model.precisions()) {
      KernelGenerator kernel = new KernelGenerator(model, precision, vectorApi, segments);
      types.add(kernel.generate());
      // their names were claimed above with the others (GeneratedNames.allClasses)
      if (kernel.hasFusedLoops()) {
        types.add(kernel.generateFusedLoops());
      }
      if (kernel.hasSegmentLoops()) {
        types.add(kernel.generateSegmentLoops());
      }
    }
    for (TypeSpec type : types) {
      write(packageName, type.toBuilder().addOriginatingElement(specElement).build(), specElement);
    }
  }

  private Optional<SpecValidator.Owner> ownerOf(String packageName, String simpleName) {
    String qualified = qualified(packageName, simpleName);
    SpecValidator.Owner owner = claimed.get(qualified);
    return Optional.ofNullable(owner != null ? owner : userTypes.get(qualified));
  }

  private static String qualified(String packageName, String simpleName) {
    return packageName.isEmpty() ? simpleName : packageName + "." + simpleName;
  }

  private static OptimizerModel model(AnnotatedSpec spec, String packageName, RuleModel rule) {
    Structure structure = new Structure(spec.firstMoment(), spec.secondMoment(), spec.amsgrad(),
        spec.rectify(), spec.rectifyThreshold(), spec.epsPlacement(), spec.momentStorage(),
        spec.decay(), spec.maximize(), rule);
    Map<Hyperparameter, Double> values = new LinkedHashMap<>();
    for (Member member : Member.hyperparameterDefaults()) {
      values.put(member.hyperparameter(), spec.number(member));
    }
    HyperparameterDefaults defaults = new HyperparameterDefaults(values);
    String name = GeneratedNames.optimizerName(spec.name(),
        spec.element().getSimpleName().toString()).orElseThrow();
    return new OptimizerModel(packageName, name, spec.element().getQualifiedName().toString(),
        structure, defaults, List.copyOf(new LinkedHashSet<>(spec.precisions())),
        HalfStorage.of(spec.statePrecision(), kahan(spec, rule), spec.rounding()));
  }

  /**
   * Kahan compensation as the spec asks; AUTO means off for a rule that assigns the parameter
   * (there is no additive update to compensate; ON is an error there).
   */
  private static io.github.optkernels.annotations.Kahan kahan(AnnotatedSpec spec, RuleModel rule) {
    if (rule != null && !rule.returnsUpdate() && spec.kahan() == io.github.optkernels.annotations.Kahan.AUTO) {
      return io.github.optkernels.annotations.Kahan.OFF;
    }
    return spec.kahan();
  }

  private void write(String packageName, TypeSpec type, TypeElement origin) {
    // java.lang types are imported explicitly (JavaPoet's default): an optimizer named Math or
    // String would otherwise shadow java.lang.Math in its own package's generated code.
    JavaFile file = JavaFile.builder(packageName, type)
        .indent("  ")
        .build();
    try {
      file.writeTo(filer);
    } catch (IOException e) {
      messager.printMessage(Diagnostic.Kind.ERROR,
          "[OptWrite] could not write " + packageName + "." + type.name() + ": " + e.getMessage(), origin);
    }
  }
}
