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
import io.github.optkernels.processor.generation.ir.Buffer;
import io.github.optkernels.processor.generation.kernel.KernelIr;
import io.github.optkernels.processor.generation.kernel.KernelStorage;
import io.github.optkernels.processor.model.OptimizerModel;
import io.github.optkernels.processor.model.RuleModel;
import io.github.optkernels.runtime.Hyperparameter;
import java.util.ArrayList;
import java.util.HashSet;
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
        .superclass(RuntimeTypes.KERNEL_OPTIMIZER);
    // declared hyperparameters first: SPEC and the builder's defaults read them (textual order)
    for (RuleModel.Declared d : declared()) {
      type.addField(declaredConstant(d));
    }
    type.addField(specConstant())
        .addMethod(constructor())
        .addMethod(builderFactory());
    type.addMethod(newKernel());
    if (model.hasHalfPrecision()) {
      type.addMethod(newHalfKernel());
    }
    for (Precision precision : model.precisions()) {
      type.addMethod(add(precision));
      type.addMethod(addToGroup(precision));
    }
    evaluationPointMethods().forEach(type::addMethod);
    for (MethodSpec accessor : stateAccessors()) {
      type.addMethod(accessor);
    }
    return type.addType(builderClass()).build();
  }

  private CodeBlock classDoc() {
    CodeBlock.Builder doc = CodeBlock.builder()
        .add("The {@code $L} optimizer. ", model.name())
        .add(GeneratedMarkers.doNotEdit(model))
        .add("\n<p>Per element, one {@link #step()} computes:\n<pre>\n");
    // The math is the same in every precision (only the loop's type differs): the IR states it.
    for (String line : new KernelIr(model.structure()).math("the loop's type")) {
      doc.add("$L\n", line);
    }
    doc.add("</pre>\n")
        .add("Spec: {@code $L}.\n", model.canonical())
        .add("\n<p>State per tensor: {@code $L}$L. Defaults: lr = $L, β1 = $L, β2 = $L, ε = $L",
            String.join(", ", model.structure().stateNames()),
            model.hasHalfPrecision() && model.halfStorage().kahan() ? ", and {@code kahan_comp} for 16-bit tensors" : "",
            text(Hyperparameter.LR), text(Hyperparameter.BETA1), text(Hyperparameter.BETA2),
            text(Hyperparameter.EPS));
    if (model.structure().decay() != WeightDecay.NONE) {
      doc.add(", λ = $L", text(Hyperparameter.WEIGHT_DECAY));
    }
    doc.add(".\n<pre>{@code\n")
        .add("$L optimizer = $L.builder().lr($L).build();\n", model.name(), model.name(), text(Hyperparameter.LR))
        .add("optimizer.$L(weights, gradients);   // your arrays; state is allocated here\n",
            addName(model.precisions().get(0)))
        .add("// ... fill gradients ...\n")
        .add("optimizer.step();                     // updates weights in place\n")
        .add("}</pre>\n");
    return doc.build();
  }

  // public static final SpecInfo SPEC = new SpecInfo("AdamW", "pkg.AdamWSpec", "...", List.of(...),
  //     Set.of(Hyperparameter.LR, ...));
  private FieldSpec specConstant() {
    CodeBlock states = stringCollection(List.class, model.structure().stateNames());
    CodeBlock.Builder used = CodeBlock.builder().add("$T.of(", Set.class);
    boolean first = true;
    for (Hyperparameter h : model.structure().usedHyperparameters()) {
      used.add(first ? "$L" : ",$W$L", constant(h));
      first = false;
    }
    for (RuleModel.Declared d : declared()) {
      used.add(first ? "$N" : ",$W$N", d.constant());
      first = false;
    }
    used.add(")");
    return FieldSpec.builder(RuntimeTypes.SPEC_INFO, "SPEC", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("What this optimizer computes: name, spec, structure, state and hyperparameters.\n")
        .initializer("new $T($S, $S,\n$>$>$S,\n$L,\n$L)$<$<", RuntimeTypes.SPEC_INFO, model.name(),
            model.specCanonicalName(), model.canonical(), states, used.build())
        .build();
  }

  private static CodeBlock stringCollection(Class<?> kind, List<String> items) {
    CodeBlock.Builder code = CodeBlock.builder().add("$T.of(", kind);
    for (int i = 0; i < items.size(); i++) {
      code.add(i == 0 ? "$S" : ", $S", items.get(i));
    }
    return code.add(")").build();
  }

  /** Whether some kernel rounds stochastically (and so needs a seed). */
  private boolean stochastic() {
    return model.hasHalfPrecision() && model.halfStorage().stochastic();
  }

  private static boolean isHalf(Precision precision) {
    return precision == Precision.BFLOAT16 || precision == Precision.FLOAT16;
  }

  // private AdamW(Hyperparameters hyperparameters) { super(SPEC, hyperparameters); }, with the
  // seed of stochastic rounding (which the runtime keeps: a checkpoint saves and restores it)
  private MethodSpec constructor() {
    MethodSpec.Builder constructor = MethodSpec.constructorBuilder()
        .addModifiers(Modifier.PRIVATE)
        .addParameter(RuntimeTypes.HYPERPARAMETERS, "hyperparameters");
    if (stochastic()) {
      constructor.addParameter(TypeName.LONG, "seed").addStatement("super(SPEC, hyperparameters, seed)");
    } else {
      constructor.addStatement("super(SPEC, hyperparameters)");
    }
    return constructor.build();
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

  /** {@code new AdamWFloatKernel()}, or with its tensor's seed for stochastic rounding. */
  private CodeBlock newKernelExpression(Precision precision) {
    ClassName kernel = ClassName.get(model.packageName(), model.kernelClass(precision));
    if (isHalf(precision) && model.halfStorage().stochastic()) {
      // the tensor about to be registered gets index tensorCount(); registration order decides
      // each tensor's noise, so a run registered in the same order replays bit for bit
      return CodeBlock.of("new $T($T.tensorSeed(roundingSeed(), tensorCount()))", kernel, RuntimeTypes.ROUNDING_NOISE);
    }
    return CodeBlock.of("new $T()", kernel);
  }

  // protected StepKernel newKernel(Class<?> bufferType) { if (bufferType == float[].class) return new AdamWFloatKernel(); ... }
  private MethodSpec newKernel() {
    MethodSpec.Builder method = MethodSpec.methodBuilder("newKernel")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PROTECTED)
        .returns(RuntimeTypes.STEP_KERNEL)
        .addParameter(ParameterizedTypeName.get(ClassName.get(Class.class), WildcardTypeName.subtypeOf(Object.class)), "bufferType");
    List<Precision> halves = new ArrayList<>();
    for (Precision precision : model.precisions()) {
      if (isHalf(precision)) {
        halves.add(precision);
        continue;
      }
      method.beginControlFlow("if (bufferType == $T.class)", KernelStorage.of(model, precision).bufferType())
          .addStatement("return $L", newKernelExpression(precision))
          .endControlFlow();
    }
    if (halves.size() == 1) {
      method.beginControlFlow("if (bufferType == short[].class)")
          .addStatement("return $L", newKernelExpression(halves.get(0)))
          .endControlFlow();
    } else if (halves.size() == 2) {
      method.beginControlFlow("if (bufferType == short[].class)")
          .addComment("bf16 and fp16 bits are both short[]: the type cannot tell which is meant")
          .addStatement("throw new $T($S)", IllegalArgumentException.class, model.name()
              + " has bf16 and fp16 kernels, which both take short[] buffers; register them with addBf16 or addFp16")
          .endControlFlow();
    }
    return method.addStatement("return null").build();
  }

  // protected StepKernel newHalfKernel(HalfFormat format) { if (format == HalfFormat.BF16) return new AdamWBf16Kernel(); ... }
  // Where a buffer's type cannot say bf16 or fp16 (an off-heap buffer is bytes), the runtime asks by format.
  private MethodSpec newHalfKernel() {
    MethodSpec.Builder method = MethodSpec.methodBuilder("newHalfKernel")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PROTECTED)
        .returns(RuntimeTypes.STEP_KERNEL)
        .addParameter(RuntimeTypes.HALF_FORMAT, "format");
    for (Precision precision : model.precisions()) {
      if (isHalf(precision)) {
        method.beginControlFlow("if (format == $T.$L)", RuntimeTypes.HALF_FORMAT,
                precision == Precision.BFLOAT16 ? "BF16" : "FP16")
            .addStatement("return $L", newKernelExpression(precision))
            .endControlFlow();
      }
    }
    return method.addStatement("return null").build();
  }

  /** {@code add} for float[] and double[]; {@code addBf16}/{@code addFp16} for the two kinds of short[]. */
  // public void useEvaluationPoint() { swapInEvaluationPoint("x"); } and useTrainingPoint()
  private List<MethodSpec> evaluationPointMethods() {
    RuleModel.Slot slot = model.structure().hasRule() ? model.structure().rule().evaluationSlot() : null;
    if (slot == null) {
      return List.of();
    }
    return List.of(
        MethodSpec.methodBuilder("useEvaluationPoint")
            .addJavadoc("Puts the evaluation point, state {@code $L}, into every parameter (rounded to the\n"
                + "parameter's type), keeping the training point: evaluate the model now, then call\n"
                + "{@link #useTrainingPoint()}. Steps and loads are refused meanwhile. A tensor that has not\n"
                + "stepped keeps its parameter. Does nothing if the parameters hold it already.\n\n", slot.name())
            .addJavadoc("@throws UnsupportedOperationException for off-heap tensors, before changing anything\n")
            .addModifiers(Modifier.PUBLIC)
            .addStatement("swapInEvaluationPoint($S)", slot.name())
            .build(),
        MethodSpec.methodBuilder("useTrainingPoint")
            .addJavadoc("Puts the training point back into every parameter, bit for bit, so training goes on\n"
                + "as if the evaluation had not happened. Does nothing if the parameters hold it already.\n")
            .addModifiers(Modifier.PUBLIC)
            .addStatement("restoreTrainingPoint()")
            .build());
  }

  /** The hyperparameters the spec's rule declares (none for the built-in family). */
  private List<RuleModel.Declared> declared() {
    return model.structure().hasRule() ? model.structure().rule().declared() : List.of();
  }

  // public static final Hyperparameter BETA3 = Hyperparameter.declare("beta3", Hyperparameter.Domain.UNIT_INTERVAL, "...");
  private static FieldSpec declaredConstant(RuleModel.Declared d) {
    Hyperparameter h = d.hyperparameter();
    return FieldSpec.builder(RuntimeTypes.HYPERPARAMETER, d.constant(), Modifier.PUBLIC, Modifier.STATIC,
            Modifier.FINAL)
        .addJavadoc("The spec's own hyperparameter {@code $L}: $L.\n", h.name(), h.description())
        .initializer("$T.declare($S, $T.Domain.$L, $S)", RuntimeTypes.HYPERPARAMETER, h.name(),
            RuntimeTypes.HYPERPARAMETER, h.domain().name(), h.description())
        .build();
  }

  private static String addName(Precision precision) {
    switch (precision) {
      case BFLOAT16:
        return "addBf16";
      case FLOAT16:
        return "addFp16";
      default:
        return "add";
    }
  }

  // public AdamW add(float[] param, float[] grad) { register(param, grad, new AdamWFloatKernel()); return this; }
  // public AdamW add(ParamGroup group, float[] param, float[] grad) { register(group, param, grad, new AdamWFloatKernel()); return this; }
  private MethodSpec addToGroup(Precision precision) {
    KernelStorage storage = KernelStorage.of(model, precision);
    return MethodSpec.methodBuilder(addName(precision))
        .addJavadoc("Registers a {@code $L} parameter and its gradient buffer in {@code group}\n"
            + "(its hyperparameters and schedule), allocating zeroed state.\n", storage.bufferDoc())
        .addJavadoc("\n@return this optimizer\n")
        .addJavadoc("@throws IllegalArgumentException if the group belongs to another optimizer, the lengths\n"
            + "    differ or a buffer is already registered\n")
        .addModifiers(Modifier.PUBLIC)
        .returns(self)
        .addParameter(RuntimeTypes.PARAM_GROUP, "group")
        .addParameter(storage.bufferType(), "param")
        .addParameter(storage.bufferType(), "grad")
        .addStatement("register(group, param, grad, $L)", newKernelExpression(precision))
        .addStatement("return this")
        .build();
  }

  private MethodSpec add(Precision precision) {
    KernelStorage storage = KernelStorage.of(model, precision);
    MethodSpec.Builder method = MethodSpec.methodBuilder(addName(precision))
        .addJavadoc("Registers a {@code $L} parameter and its gradient buffer, allocating zeroed state.\n"
            + "{@link #step()} reads {@code grad} and updates {@code param} in place.\n", storage.bufferDoc());
    if (isHalf(precision)) {
      method.addJavadoc("\n<p>The parameter is $L; the moments are kept in $L.\n", storage.storeDoc(),
          storage.momentDoc());
    }
    return method
        .addJavadoc("\n@return this optimizer\n")
        .addJavadoc("@throws IllegalArgumentException if the lengths differ or a buffer is already registered\n")
        .addModifiers(Modifier.PUBLIC)
        .returns(self)
        .addParameter(storage.bufferType(), "param")
        .addParameter(storage.bufferType(), "grad")
        .addStatement("register(param, grad, $L)", newKernelExpression(precision))
        .addStatement("return this")
        .build();
  }

  /**
   * One accessor per state slot and parameter type. bf16 and fp16 tensors are both {@code short[]}
   * and keep their state in the same types, so one accessor serves both.
   */
  private List<MethodSpec> stateAccessors() {
    List<MethodSpec> accessors = new ArrayList<>();
    Set<String> signatures = new HashSet<>();
    List<String> states = new ArrayList<>(model.structure().stateNames());
    states.add(KernelStorage.KAHAN_STATE);
    for (String state : states) {
      for (Precision precision : model.precisions()) {
        KernelStorage storage = KernelStorage.of(model, precision);
        if (storage.stateNames().contains(state) && signatures.add(state + " " + storage.bufferType())) {
          accessors.add(stateAccessor(state, storage));
        }
      }
    }
    return accessors;
  }

  // public float[] expAvg(float[] param) { return (float[]) stateArray(param, "exp_avg"); }
  private MethodSpec stateAccessor(String state, KernelStorage storage) {
    TypeName type = storage.stateType(state);
    MethodSpec.Builder method = MethodSpec.methodBuilder(Buffer.javaName(state));
    if (state.equals(KernelStorage.KAHAN_STATE)) {
      method.addJavadoc("The live Kahan compensation buffer of the 16-bit tensor {@code param}: what rounding\n"
          + "left out of the parameter, in the parameter's own format.\n\n");
    } else {
      String form = model.structure().storesCorrected() ? "bias-corrected" : "raw";
      method.addJavadoc("The live {@code $L} state ($L form) of {@code param}.\n\n", state, form);
    }
    return method
        .addJavadoc("@throws IllegalArgumentException if {@code param} is not registered\n")
        .addModifiers(Modifier.PUBLIC)
        .returns(type)
        .addParameter(storage.bufferType(), "param")
        .addStatement("return ($T) state(param, $S)", type, state)
        .build();
  }

  private TypeSpec builderClass() {
    TypeSpec.Builder type = TypeSpec.classBuilder(builder)
        .addJavadoc("Builds a {@link $T}; starts from the spec's defaults. Each setter rejects an\n"
            + "invalid value at once, with {@link IllegalArgumentException}.\n", self)
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addField(FieldSpec.builder(RuntimeTypes.HYPERPARAMETERS, "hyperparameters", Modifier.PRIVATE)
            .initializer(defaults())
            .build())
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
    for (Hyperparameter h : model.structure().usedHyperparameters()) {
      type.addMethod(setter(h));
    }
    for (RuleModel.Declared d : declared()) {
      type.addMethod(declaredSetter(d));
    }
    if (stochastic()) {
      type.addField(FieldSpec.builder(TypeName.LONG, "seed", Modifier.PRIVATE).initializer("0").build());
      type.addMethod(MethodSpec.methodBuilder("seed")
          .addJavadoc("Sets the seed of stochastic rounding (default 0). The noise that rounds element\n"
              + "{@code i} of the k-th registered tensor at step {@code t} is a hash of\n"
              + "({@code RoundingNoise.tensorSeed(seed, k)}, t, i): the same seed and registration order\n"
              + "replay a run bit for bit, whatever the thread count or chunking. A checkpoint saves the\n"
              + "seed, and loading one replaces it ({@code roundingSeed()}), so a resumed run is the saved run.\n")
          .addModifiers(Modifier.PUBLIC)
          .returns(builder)
          .addParameter(TypeName.LONG, "seed")
          .addStatement("this.seed = seed")
          .addStatement("return this")
          .build());
    }
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

  // Hyperparameters.builder()
  //     .set(Hyperparameter.LR, 0.001)
  //     ...
  //     .build()
  private CodeBlock defaults() {
    CodeBlock.Builder code = CodeBlock.builder();
    if (declared().isEmpty()) {
      code.add("$T.builder()$>$>", RuntimeTypes.HYPERPARAMETERS);
    } else {
      code.add("$T.builder($T.of(", RuntimeTypes.HYPERPARAMETERS, List.class);
      for (int i = 0; i < declared().size(); i++) {
        code.add(i == 0 ? "$N" : ", $N", declared().get(i).constant());
      }
      code.add("))$>$>");
    }
    for (Hyperparameter h : model.defaults().hyperparameters()) {
      double value = model.defaults().value(h);
      code.add("\n.set($L, $L)", constant(h),
          h.isInteger() ? Literals.ofInt((int) value) : Literals.ofDouble(value));
    }
    for (RuleModel.Declared d : declared()) {
      code.add("\n.set($N, $L)", d.constant(), d.hyperparameter().isInteger()
          ? Literals.ofInt((int) d.defaultValue()) : Literals.ofDouble(d.defaultValue()));
    }
    return code.add("\n.build()$<$<").build();
  }

  private static CodeBlock constant(Hyperparameter h) {
    return RuntimeTypes.constantOf(h);
  }

  /** A default as the Javadoc shows it: {@code 0.001}, {@code NaN}, {@code 0} for an {@code int}. */
  private String text(Hyperparameter h) {
    double value = model.defaults().value(h);
    return h.isInteger() ? Long.toString((long) value) : Double.toString(value);
  }

  // public Builder beta1(double value) {
  //   hyperparameters = hyperparameters.with(Hyperparameter.BETA1, value); return this;
  // }
  private MethodSpec setter(Hyperparameter h) {
    String what = h.description();
    if (h.equals(Hyperparameter.WEIGHT_DECAY)) {
      what += " (" + model.structure().decay() + ")";
    } else if (h.equals(Hyperparameter.MAX_LR)) {
      what += "; unset means each group's schedule peak";
    }
    return MethodSpec.methodBuilder(h.name())
        .addJavadoc("Sets the $L (spec default $L).\n", what, text(h))
        .addModifiers(Modifier.PUBLIC)
        .returns(builder)
        .addParameter(h.isInteger() ? TypeName.INT : TypeName.DOUBLE, "value")
        .addStatement("hyperparameters = hyperparameters.with($L, value)", constant(h))
        .addStatement("return this")
        .build();
  }

  // public Builder beta3(double value) { hyperparameters = hyperparameters.with(BETA3, value); return this; }
  private MethodSpec declaredSetter(RuleModel.Declared d) {
    Hyperparameter h = d.hyperparameter();
    return MethodSpec.methodBuilder(h.name())
        .addJavadoc("Sets $L (spec default $L).\n", h.description(),
            h.isInteger() ? Long.toString((long) d.defaultValue()) : Double.toString(d.defaultValue()))
        .addModifiers(Modifier.PUBLIC)
        .returns(builder)
        .addParameter(h.isInteger() ? TypeName.INT : TypeName.DOUBLE, "value")
        .addStatement("hyperparameters = hyperparameters.with($N, value)", d.constant())
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
        // an unset maxLr is resolved by the runtime, from the group's schedule peak
        .addStatement(stochastic() ? "return new $T(hyperparameters, seed)" : "return new $T(hyperparameters)", self)
        .build();
  }
}
