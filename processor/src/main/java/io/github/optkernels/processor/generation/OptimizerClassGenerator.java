package io.github.optkernels.processor.generation;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.WildcardTypeName;
import io.github.optkernels.annotations.Precision;
import io.github.optkernels.annotations.WeightDecay;
import io.github.optkernels.processor.generation.kernel.KernelPlan;
import io.github.optkernels.processor.generation.kernel.NumericFormat;
import io.github.optkernels.processor.model.HyperparameterDefaults;
import io.github.optkernels.processor.model.OptimizerModel;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The user-facing optimizer class: extends the runtime's {@code KernelOptimizer} (which owns
 * tensors, state and step counts), adds typed {@code add} and state accessors per precision and a
 * builder seeded with the spec's defaults.
 */
public final class OptimizerClassGenerator {
  private final OptimizerModel model;
  private final ClassName self;
  private final ClassName builder;

  public OptimizerClassGenerator(OptimizerModel model) {
    this.model = model;
    this.self = ClassName.get(model.packageName(), model.name());
    this.builder = self.nestedClass("Builder");
  }

  /** The optimizer class. */
  public TypeSpec generate() {
    TypeSpec.Builder type = TypeSpec.classBuilder(self)
        .addJavadoc(classDoc())
        .addAnnotation(GeneratedMarkers.generated(model))
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .superclass(RuntimeTypes.KERNEL_OPTIMIZER)
        .addField(specConstant())
        .addMethod(constructor())
        .addMethod(builderFactory());
    type.addMethod(newKernel());
    for (Precision precision : model.precisions()) {
      type.addMethod(add(precision));
    }
    for (String state : model.structure().stateNames()) {
      for (Precision precision : model.precisions()) {
        type.addMethod(stateAccessor(state, precision));
      }
    }
    return type.addType(builderClass()).build();
  }

  private CodeBlock classDoc() {
    HyperparameterDefaults d = model.defaults();
    CodeBlock.Builder doc = CodeBlock.builder()
        .add("The {@code $L} optimizer. ", model.name())
        .add(GeneratedMarkers.doNotEdit(model))
        .add("\n<p>Per element, one {@link #step()} computes:\n<pre>\n");
    // The math is the same in every precision; the first kernel's plan states it.
    for (String line : new KernelPlanDoc(model).lines()) {
      doc.add("$L\n", line);
    }
    doc.add("</pre>\n")
        .add("Spec: {@code $L}.\n", model.structure().canonical())
        .add("\n<p>State per tensor: {@code $L}. Defaults: lr = $L, β1 = $L, β2 = $L, ε = $L",
            String.join(", ", model.structure().stateNames()), d.lr(), d.beta1(), d.beta2(), d.eps());
    if (model.structure().decay() != WeightDecay.NONE) {
      doc.add(", λ = $L", d.weightDecay());
    }
    doc.add(".\n<pre>{@code\n")
        .add("$L optimizer = $L.builder().lr($L).build();\n", model.name(), model.name(), d.lr())
        .add("optimizer.add(weights, gradients);   // your arrays; state is allocated here\n")
        .add("// ... fill gradients ...\n")
        .add("optimizer.step();                     // updates weights in place\n")
        .add("}</pre>\n");
    return doc.build();
  }

  // public static final SpecInfo SPEC = new SpecInfo("AdamW", "pkg.AdamWSpec", "...", List.of(...), Set.of(...));
  private FieldSpec specConstant() {
    CodeBlock states = stringCollection(List.class, model.structure().stateNames());
    CodeBlock used = stringCollection(Set.class, List.copyOf(model.structure().usedHyperparameters()));
    return FieldSpec.builder(RuntimeTypes.SPEC_INFO, "SPEC", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("What this optimizer computes: name, spec, structure, state and hyperparameters.\n")
        .initializer("new $T($S, $S,\n$>$>$S,\n$L, $L)$<$<", RuntimeTypes.SPEC_INFO, model.name(),
            model.specCanonicalName(), model.structure().canonical(), states, used)
        .build();
  }

  private static CodeBlock stringCollection(Class<?> kind, List<String> items) {
    CodeBlock.Builder code = CodeBlock.builder().add("$T.of(", kind);
    for (int i = 0; i < items.size(); i++) {
      code.add(i == 0 ? "$S" : ", $S", items.get(i));
    }
    return code.add(")").build();
  }

  // private AdamW(Hyperparameters hyperparameters) { super(SPEC, hyperparameters); }
  private MethodSpec constructor() {
    return MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PRIVATE)
        .addParameter(RuntimeTypes.HYPERPARAMETERS, "hyperparameters")
        .addStatement("super(SPEC, hyperparameters)")
        .build();
  }

  // public static Builder builder() { return new Builder(); }
  private MethodSpec builderFactory() {
    return MethodSpec.methodBuilder("builder")
        .addJavadoc("A builder starting from the spec's defaults.\n")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(builder)
        .addStatement("return new $T()", builder)
        .build();
  }

  // protected StepKernel newKernel(Class<?> bufferType) { if (bufferType == float[].class) return new AdamWFloatKernel(); ... }
  private MethodSpec newKernel() {
    MethodSpec.Builder method = MethodSpec.methodBuilder("newKernel")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PROTECTED)
        .returns(RuntimeTypes.STEP_KERNEL)
        .addParameter(ParameterizedTypeName.get(ClassName.get(Class.class), WildcardTypeName.subtypeOf(Object.class)), "bufferType");
    for (Precision precision : model.precisions()) {
      method.beginControlFlow("if (bufferType == $T.class)", NumericFormat.of(precision).bufferType())
          .addStatement("return new $T()", ClassName.get(model.packageName(), model.kernelClass(precision)))
          .endControlFlow();
    }
    return method.addStatement("return null").build();
  }

  // public AdamW add(float[] param, float[] grad) { register(param, grad, new AdamWFloatKernel()); return this; }
  private MethodSpec add(Precision precision) {
    NumericFormat format = NumericFormat.of(precision);
    ClassName kernel = ClassName.get(model.packageName(), model.kernelClass(precision));
    return MethodSpec.methodBuilder("add")
        .addJavadoc("Registers a {@code $L[]} parameter and its gradient buffer, allocating zeroed state.\n"
            + "{@link #step()} reads {@code grad} and updates {@code param} in place.\n\n", format.javaName())
        .addJavadoc("@return this optimizer\n")
        .addJavadoc("@throws IllegalArgumentException if the lengths differ or a buffer is already registered\n")
        .addModifiers(Modifier.PUBLIC)
        .returns(self)
        .addParameter(format.bufferType(), "param")
        .addParameter(format.bufferType(), "grad")
        .addStatement("register(param, grad, new $T())", kernel)
        .addStatement("return this")
        .build();
  }

  // public float[] expAvg(float[] param) { return (float[]) stateArray(param, "exp_avg"); }
  private MethodSpec stateAccessor(String state, Precision precision) {
    NumericFormat format = NumericFormat.of(precision);
    String form = model.structure().storesCorrected() ? "bias-corrected" : "raw";
    return MethodSpec.methodBuilder(KernelPlan.arrayName(state))
        .addJavadoc("The live {@code $L} state ($L form) of {@code param}.\n\n", state, form)
        .addJavadoc("@throws IllegalArgumentException if {@code param} is not registered\n")
        .addModifiers(Modifier.PUBLIC)
        .returns(format.stateType())
        .addParameter(format.bufferType(), "param")
        .addStatement("return ($T) state(param, $S)", format.stateType(), state)
        .build();
  }

  private TypeSpec builderClass() {
    HyperparameterDefaults d = model.defaults();
    TypeSpec.Builder type = TypeSpec.classBuilder(builder)
        .addJavadoc("Builds a {@link $T}; starts from the spec's defaults. Each setter rejects an\n"
            + "invalid value at once, with {@link IllegalArgumentException}.\n", self)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addField(FieldSpec.builder(RuntimeTypes.HYPERPARAMETERS, "hyperparameters", Modifier.PRIVATE)
            .initializer("new $T($L, $L, $L, $L, $L, $L, $L, $L, $L)", RuntimeTypes.HYPERPARAMETERS,
                Literals.ofDouble(d.lr()), Literals.ofDouble(d.beta1()), Literals.ofDouble(d.beta2()),
                Literals.ofDouble(d.eps()), Literals.ofDouble(d.epsRoot()),
                Literals.ofDouble(d.weightDecay()), Literals.ofDouble(d.maxLr()),
                Literals.ofDouble(d.momentumDecay()), Literals.ofInt(d.varianceWarmupSteps()))
            .build())
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
    Set<String> used = model.structure().usedHyperparameters();
    type.addMethod(setter("lr", "withLr", "learning rate", d.lr()));
    type.addMethod(setter("beta1", "withBeta1", "first-moment decay β1, in [0, 1)", d.beta1()));
    type.addMethod(setter("beta2", "withBeta2", "second-moment decay β2, in [0, 1)", d.beta2()));
    type.addMethod(setter("eps", "withEps", "ε of the denominator", d.eps()));
    if (used.contains("epsRoot")) {
      type.addMethod(setter("epsRoot", "withEpsRoot", "ε_root inside the square root", d.epsRoot()));
    }
    if (used.contains("weightDecay")) {
      type.addMethod(setter("weightDecay", "withWeightDecay",
          "weight-decay coefficient λ (" + model.structure().decay() + ")", d.weightDecay()));
    }
    if (used.contains("maxLr")) {
      type.addMethod(setter("maxLr", "withMaxLr",
          "max_lr of fully decoupled decay; unset means each group's schedule peak", d.maxLr()));
    }
    if (used.contains("momentumDecay")) {
      type.addMethod(setter("momentumDecay", "withMomentumDecay", "ψ of NAdam's momentum schedule", d.momentumDecay()));
    }
    type.addMethod(MethodSpec.methodBuilder("varianceWarmupSteps")
        .addJavadoc("Sets K of the Adam-2k warm-up (spec default $L): the first K steps only update the\n"
            + "second moment.\n", d.varianceWarmupSteps())
        .addModifiers(Modifier.PUBLIC)
        .returns(builder)
        .addParameter(TypeName.INT, "steps")
        .addStatement("hyperparameters = hyperparameters.withVarianceWarmupSteps(steps)")
        .addStatement("return this")
        .build());
    type.addMethod(MethodSpec.methodBuilder("hyperparameters")
        .addJavadoc("Replaces every hyperparameter (checked against the spec by {@link #build()}).\n")
        .addModifiers(Modifier.PUBLIC)
        .returns(builder)
        .addParameter(RuntimeTypes.HYPERPARAMETERS, "hyperparameters")
        .addStatement("this.hyperparameters = $T.requireNonNull(hyperparameters, $S)", Objects.class, "hyperparameters")
        .addStatement("return this")
        .build());
    return type.addMethod(build()).build();
  }

  // public Builder lr(double value) { hyperparameters = hyperparameters.withLr(value); return this; }
  private MethodSpec setter(String name, String wither, String what, double defaultValue) {
    return MethodSpec.methodBuilder(name)
        .addJavadoc("Sets the $L (spec default $L).\n", what, defaultValue)
        .addModifiers(Modifier.PUBLIC)
        .returns(builder)
        .addParameter(TypeName.DOUBLE, "value")
        .addStatement("hyperparameters = hyperparameters.$L(value)", wither)
        .addStatement("return this")
        .build();
  }

  // public AdamW build() { return new AdamW(hyperparameters); }
  // An unset maxLr stays unset: the runtime's parameter group resolves it to its schedule's peak.
  private MethodSpec build() {
    return MethodSpec.methodBuilder("build")
        .addJavadoc("The optimizer, with no tensors yet.\n\n")
        .addJavadoc("@throws IllegalArgumentException if the hyperparameters do not fit the spec\n")
        .addModifiers(Modifier.PUBLIC)
        .returns(self)
        .addStatement("return new $T(hyperparameters)", self)
        .build();
  }
}
