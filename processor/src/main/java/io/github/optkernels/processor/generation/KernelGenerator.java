package io.github.optkernels.processor.generation;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.WildcardTypeName;
import io.github.optkernels.annotations.Precision;
import io.github.optkernels.processor.generation.ir.Buffer;
import io.github.optkernels.processor.generation.ir.ElementLoop;
import io.github.optkernels.processor.generation.ir.JavaPrinter;
import io.github.optkernels.processor.generation.ir.LocalNames;
import io.github.optkernels.processor.generation.ir.Statement;
import io.github.optkernels.processor.generation.ir.StepScalar;
import io.github.optkernels.processor.generation.ir.StepStatement;
import io.github.optkernels.processor.generation.kernel.KernelIr;
import io.github.optkernels.processor.generation.kernel.KernelPlan;
import io.github.optkernels.processor.generation.kernel.KernelStorage;
import io.github.optkernels.processor.generation.kernel.NumericFormat;
import io.github.optkernels.processor.model.OptimizerModel;
import io.github.optkernels.processor.model.Phase;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The one kernel skeleton. For a spec and a precision it prints the spec's {@link KernelIr}: a
 * class whose {@code prepare} computes the per-step scalars once (in double) and picks the phase,
 * and whose loops, one per phase, run that phase's element statements; a 16-bit kernel runs them
 * over float32 blocks, and, compiled with the Vector API, also fused ({@link VectorLoopsGenerator}).
 */
public final class KernelGenerator {
  private static final ClassName LIST = ClassName.get(List.class);

  private final OptimizerModel model;
  private final Precision precision;
  private final KernelStorage storage;
  private final NumericFormat format;
  private final KernelIr ir;
  private final KernelPlan plan;
  private final List<String> stateNames;

  /** Whether the kernel has fused Vector API loops next to its block loops (16-bit kernels only). */
  private final boolean fused;

  /** Whether the kernel has loops over native memory next to its array loops (float kernels only). */
  private final boolean inPlace;

  /** A user's rule's carried values and norms; null for the built-in family. */
  private final RuleKernelParts ruleParts;

  /**
   * Whether the kernel carries NAdam's Π from step to step (its one carried value,
   * {@value #MOMENTUM_PRODUCT}): a feature's {@code prepare} sets {@value #MOMENTUM_PRODUCT_AFTER}.
   */
  private final boolean carriesMomentumProduct;

  /** The name the runtime keeps and checkpoints NAdam's Π under. */
  private static final String MOMENTUM_PRODUCT = "momentum_product";
  /** The kernel field holding Π after the prepared step (set by NumeratorFeature). */
  private static final String MOMENTUM_PRODUCT_AFTER = "momentumProductAfter";

  /**
   * @param vectorApi whether the compilation can see {@code jdk.incubator.vector}: a 16-bit kernel
   *     then gets fused Vector API loops ({@link #generateFusedLoops}), used when the JVM runs with
   *     the module
   * @param segments whether the compilation also targets Java 22 or later: a kernel then gets
   *     loops over native memory ({@link #generateSegmentLoops}), used for off-heap tensors when
   *     the JVM runs with the module
   */
  public KernelGenerator(OptimizerModel model, Precision precision, boolean vectorApi, boolean segments) {
    this.model = model;
    this.precision = precision;
    this.storage = KernelStorage.of(model, precision);
    // a proximal division after a compensated store is outside the loop's IR: block loops only
    this.fused = vectorApi && storage.blocked() && !dividesAfterStore(model, storage);
    // not stochastic rounding (its noise hashes an int index, and off-heap tensors refuse it), not a
    // proximal store after Kahan (outside the IR)
    this.inPlace = vectorApi && segments && !storage.stochastic() && !dividesAfterStore(model, storage);
    this.format = storage.compute();
    this.ir = new KernelIr(model.structure(), !(storage.blocked() && storage.kahan()));
    this.plan = ir.plan();
    this.stateNames = storage.stateNames();
    this.ruleParts = model.structure().hasRule() ? new RuleKernelParts(model.structure().rule(), storage,
        ir.loop(Phase.ADAPTIVE), ir.norms()) : null;
    this.carriesMomentumProduct = ir.prepareAfterWarmup().stream().anyMatch(statement ->
        statement instanceof StepStatement.SetField set && set.field().equals(MOMENTUM_PRODUCT_AFTER));
  }

  /** Whether proximal decay divides the stored parameter after a Kahan-compensated store. */
  private static boolean dividesAfterStore(OptimizerModel model, KernelStorage storage) {
    return model.structure().decay() == io.github.optkernels.annotations.WeightDecay.PROXIMAL
        && storage.blocked() && storage.kahan();
  }

  /** The kernel class. */
  public TypeSpec generate() {
    TypeSpec.Builder type = TypeSpec.classBuilder(model.kernelClass(precision))
        .addJavadoc(classDoc())
        .addAnnotation(GeneratedMarkers.generated(model))
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addSuperinterface(RuntimeTypes.STEP_KERNEL)
        .addField(stateNamesConstant())
        .addField(stateTypesConstant())
        .addField(FieldSpec.builder(RuntimeTypes.STEP_PHASE, "phase", Modifier.PRIVATE)
            .addJavadoc("The loop the prepared step runs; null until the first prepare.\n").build());
    if (carriesMomentumProduct) {
      type.addField(FieldSpec.builder(TypeName.DOUBLE, MOMENTUM_PRODUCT_AFTER, Modifier.PRIVATE)
          .addJavadoc("NAdam's Π after the prepared step.\n")
          .initializer("1.0").build());
    }
    if (ruleParts != null && ruleParts.carries()) {
      ruleParts.carriedFields().forEach(type::addField);
    }
    // the fused loops and the loops over native memory (other classes of this package) read the per-step scalars
    Modifier[] scalarAccess = fused || inPlace ? new Modifier[0] : new Modifier[] {Modifier.PRIVATE};
    for (StepScalar scalar : plan.scalars()) {
      type.addField(FieldSpec.builder(format.computeType(), scalar.name(), scalarAccess)
          .addJavadoc("Per-step: $L.\n", scalar.doc()).build());
    }
    plan.extraFields().forEach(type::addField);
    if (storage.stochastic()) {
      // not final: loading a checkpoint gives the tensor the saved run's seed (setRoundingSeed)
      type.addField(FieldSpec.builder(TypeName.LONG, "seed", Modifier.PRIVATE)
              .addJavadoc("This tensor's stochastic-rounding seed.\n").build())
          .addField(FieldSpec.builder(TypeName.INT, "noiseKey", scalarAccess)
              .addJavadoc("Per-step: the rounding noise's key, from the seed and the step.\n").build());
    }
    if (fused) {
      type.addType(fusedLoopsInterface())
          .addField(fusedLoopsField())
          .addMethod(usesFusedLoopsMethod());
    }
    if (inPlace) {
      type.addType(segmentLoopsHolder());
    }
    type.addMethod(constructor())
        .addMethod(stateNamesMethod())
        .addMethod(bufferTypeMethod())
        .addMethod(stateTypesMethod());
    if (storage.blocked()) {
      type.addMethod(halfFormatMethod());
    }
    if (storage.stochastic()) {
      type.addMethod(setRoundingSeedMethod());
    }
    if (carriesMomentumProduct) {
      type.addMethod(carriedNamesMethod())
          .addMethod(carriedInitialMethod());
    }
    if (ruleParts != null && ruleParts.carries()) {
      ruleParts.carriedMethods().forEach(type::addMethod);
    }
    type.addMethod(prepareMethod())
        .addMethod(phaseMethod());
    if (carriesMomentumProduct) {
      type.addMethod(carriedAfterMethod());
    }
    plan.extraMethods().forEach(type::addMethod);
    type.addMethod(typedRangeUpdate())
        .addMethod(typedWholeUpdate())
        .addMethod(untypedUpdate());
    storage.nonFiniteScan().ifPresent(scan -> type.addMethod(firstNonFiniteMethod(scan))
        .addMethod(firstNonFiniteStoredMethod(scan)));
    if (storage.stochastic()) {
      type.addMethod(sharesPreparedStepsMethod())
          .addMethod(roundsStochasticallyMethod());
    }
    if (inPlace) {
      type.addMethod(segmentLoopsMethod());
    }
    if (ruleParts != null && ruleParts.sums()) {
      List<Object> castTypes = new ArrayList<>(List.of(storage.bufferType(), storage.bufferType()));
      StringBuilder casts = new StringBuilder("($T) param, ($T) grad");
      for (int k = 0; k < stateNames.size(); k++) {
        casts.append(", ($T) state[").append(k).append("]");
        castTypes.add(storage.stateType(stateNames.get(k)));
      }
      List<String> taken = new ArrayList<>(List.of("i", "from", "to", "base", "n", "block"));
      for (String buffer : loopBuffers()) {
        taken.add(buffer);
        taken.add(buffer + STORED);
      }
      for (StepScalar scalar : plan.scalars()) {
        taken.add(scalar.name());
      }
      for (MethodSpec method : ruleParts.sumMethods(bufferParameters(storage.blocked() ? STORED : ""),
          casts.toString(), castTypes, taken, STORED)) {
        if (!(storage.stochastic() && method.name().equals("sharesPreparedSteps"))) {
          type.addMethod(method);
        }
      }
    }
    for (Phase phase : model.structure().phases()) {
      type.addMethod(loop(phase));
    }
    return type.build();
  }

  private CodeBlock classDoc() {
    CodeBlock.Builder doc = CodeBlock.builder()
        .add("Step kernel of {@code $L} for {@code $L} buffers.\n", model.name(), storage.bufferDoc())
        .add(GeneratedMarkers.doNotEdit(model));
    if (storage.blocked()) {
      doc.add("\n<p>Loads 16 bits, computes in float32, stores rounded: the parameter is $L, the\n"
          + "moments are stored in $L$L.\n", storage.storeDoc(), storage.momentDoc(),
          storage.momentDoc().equals("float") ? "" : " (rounded to nearest even)");
      if (fused) {
        doc.add("\n<p>Two flavours of every loop, with the same bits: fused Vector API loops\n"
            + "({@code $L}) when the JVM runs with {@code --add-modules jdk.incubator.vector}\n"
            + "(see {@link #usesFusedLoops()}), else the block loops below, which need no JVM flag.\n",
            model.vectorLoopsClass(precision));
      }
    }
    doc.add("\n<p>What it computes, printed from the kernel IR the code below is printed from:\n<pre>\n");
    for (String line : ir.math(format.javaName())) {
      doc.add("$L\n", line);
    }
    doc.add("</pre>\n")
        .add("\n<p>Use: {@link #prepare} once per step, then {@link #update} over any ranges of\n")
        .add("any tensors (concurrently if you like: update only reads the prepared scalars).\n")
        .add("Each phase has its own loop, chosen once per step; see {@link #phase()}.\n");
    return doc.build();
  }

  // public static final List<String> STATE_NAMES = List.of("exp_avg", ...);
  private FieldSpec stateNamesConstant() {
    CodeBlock.Builder names = CodeBlock.builder().add("$T.of(", List.class);
    for (int i = 0; i < stateNames.size(); i++) {
      names.add(i == 0 ? "$S" : ", $S", stateNames.get(i));
    }
    names.add(")");
    return FieldSpec.builder(ParameterizedTypeName.get(LIST, ClassName.get(String.class)), "STATE_NAMES",
            Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Per-element state arrays, in the order {@code update} takes them.\n")
        .initializer(names.build())
        .build();
  }

  // private static final List<Class<?>> STATE_TYPES = List.of(float[].class, ...);
  private FieldSpec stateTypesConstant() {
    CodeBlock.Builder types = CodeBlock.builder().add("$T.of(", List.class);
    for (int i = 0; i < stateNames.size(); i++) {
      types.add(i == 0 ? "$T.class" : ", $T.class", storage.stateType(stateNames.get(i)));
    }
    types.add(")");
    return FieldSpec.builder(ParameterizedTypeName.get(LIST, CLASS_OF_ANY), "STATE_TYPES",
            Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Array type of each state array, in {@link #STATE_NAMES} order.\n")
        .initializer(types.build())
        .build();
  }

  // public XFloatKernel() {}, or for stochastic rounding public XBf16Kernel(long seed) { this.seed = seed; }
  private MethodSpec constructor() {
    if (!storage.stochastic()) {
      return MethodSpec.constructorBuilder()
          .addJavadoc("A kernel with no step prepared yet.\n")
          .addModifiers(Modifier.PUBLIC)
          .build();
    }
    return MethodSpec.constructorBuilder()
        .addJavadoc("A kernel with no step prepared yet, for one tensor.\n\n")
        .addJavadoc("@param seed the tensor's stochastic-rounding seed: the rounding noise of element\n"
            + "    {@code i} at step {@code t} is a hash of (seed, t, i), so a run replays bit for bit and\n"
            + "    does not depend on how the tensor is split into ranges; give each tensor its own\n"
            + "    seed (the optimizer derives them with {@code RoundingNoise.tensorSeed})\n")
        .addModifiers(Modifier.PUBLIC)
        .addParameter(TypeName.LONG, "seed")
        .addStatement("this.seed = seed")
        .build();
  }

  // public List<String> stateNames() { return STATE_NAMES; }
  private static MethodSpec stateNamesMethod() {
    return MethodSpec.methodBuilder("stateNames")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(ParameterizedTypeName.get(LIST, ClassName.get(String.class)))
        .addStatement("return STATE_NAMES")
        .build();
  }

  private static final TypeName CLASS_OF_ANY =
      ParameterizedTypeName.get(ClassName.get(Class.class), WildcardTypeName.subtypeOf(Object.class));

  // public Class<?> bufferType() { return float[].class; }
  private MethodSpec bufferTypeMethod() {
    return MethodSpec.methodBuilder("bufferType")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(CLASS_OF_ANY)
        .addStatement("return $T.class", storage.bufferType())
        .build();
  }

  // public List<Class<?>> stateTypes() { return STATE_TYPES; }
  private MethodSpec stateTypesMethod() {
    return MethodSpec.methodBuilder("stateTypes")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(ParameterizedTypeName.get(LIST, CLASS_OF_ANY))
        .addStatement("return STATE_TYPES")
        .build();
  }

  // public HalfFormat halfFormat() { return HalfFormat.BF16; }
  private MethodSpec halfFormatMethod() {
    return MethodSpec.methodBuilder("halfFormat")
        .addJavadoc("What this kernel's {@code short[]} arrays hold: checkpoints record it, so one format\n"
            + "never loads as the other.\n")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(RuntimeTypes.HALF_FORMAT)
        .addStatement("return $T.$L", RuntimeTypes.HALF_FORMAT, precision == Precision.BFLOAT16 ? "BF16" : "FP16")
        .build();
  }

  // public void setRoundingSeed(long tensorSeed) { this.seed = tensorSeed; }
  private static MethodSpec setRoundingSeedMethod() {
    return MethodSpec.methodBuilder("setRoundingSeed")
        .addJavadoc("Replaces the tensor's seed from the next {@link #prepare} on (what loading a checkpoint\n"
            + "does, so a resumed run rounds as the saved run would have).\n")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addParameter(TypeName.LONG, "tensorSeed")
        .addStatement("this.seed = tensorSeed")
        .build();
  }

  // public void prepare(long step, double[] carried, HyperparameterValues h) { ... }
  private MethodSpec prepareMethod() {
    CodeBlock.Builder body = CodeBlock.builder()
        .addStatement("$T.checkStep(step)", RuntimeTypes.KERNEL_CHECKS);
    if (carriesMomentumProduct) {
      // Π passes through the Adam-2k warm-up steps unchanged; the numerator section advances it
      body.addStatement("$T.checkCarried(carried, 1)", RuntimeTypes.KERNEL_CHECKS)
          .addStatement("double momentumProduct = carried[0]")
          .addStatement("this.$N = momentumProduct", MOMENTUM_PRODUCT_AFTER);
    }
    if (storage.stochastic()) {
      body.addStatement("this.noiseKey = $T.stepKey(seed, step)", RuntimeTypes.ROUNDING_NOISE);
    }
    LocalNames names = new LocalNames(List.of("h", "carried"));
    for (var parameter : ir.prepareParameters()) {
      names.fixed(parameter);
    }
    if (ruleParts != null && ruleParts.carries()) {
      body.add(ruleParts.readCarried(names));
    }
    JavaPrinter printer = new JavaPrinter(format.computeType(), names::of);
    for (StepStatement statement : ir.prepareBeforeWarmup()) {
      body.add(printer.stepStatement(statement));
    }
    if (ir.hasVarianceWarmup()) {
      body.beginControlFlow("if (step <= h.varianceWarmupSteps())")
          .add("// Adam-2k: during the first K steps only the second moment moves\n")
          .addStatement("this.phase = $T.VARIANCE_WARMUP", RuntimeTypes.STEP_PHASE)
          .addStatement("return")
          .endControlFlow();
    }
    for (StepStatement statement : ir.prepareAfterWarmup()) {
      body.add(printer.stepStatement(statement));
    }
    if (ruleParts != null && ruleParts.carries()) {
      body.add(ruleParts.keepCarried(names::of));
    }
    return MethodSpec.methodBuilder("prepare")
        .addJavadoc("Computes the scalars of step {@code step} (≥ 1) in double, rounded once to $L,\n"
            + "and chooses the phase.\n", format.javaName())
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addParameter(TypeName.LONG, "step")
        .addParameter(ArrayTypeName.of(TypeName.DOUBLE), "carried")
        .addParameter(RuntimeTypes.HYPERPARAMETER_VALUES, "h")
        .addCode(body.build())
        .build();
  }

  // public StepPhase phase() { return phase; }
  private static MethodSpec phaseMethod() {
    return MethodSpec.methodBuilder("phase")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(RuntimeTypes.STEP_PHASE)
        .addStatement("return phase")
        .build();
  }

  // public List<String> carriedNames() { return List.of("momentum_product"); }
  private static MethodSpec carriedNamesMethod() {
    return MethodSpec.methodBuilder("carriedNames")
        .addJavadoc("NAdam's Π, the product of μ over the momentum steps, carried from step to step.\n")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(ParameterizedTypeName.get(LIST, ClassName.get(String.class)))
        .addStatement("return $T.of($S)", List.class, MOMENTUM_PRODUCT)
        .build();
  }

  // public double[] carriedInitial() { return new double[] {1.0}; }
  private static MethodSpec carriedInitialMethod() {
    return MethodSpec.methodBuilder("carriedInitial")
        .addJavadoc("Π before the first momentum step: the empty product.\n")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(ArrayTypeName.of(TypeName.DOUBLE))
        .addStatement("return new double[] {1.0}")
        .build();
  }

  // public void carriedAfter(double[] out) { out[0] = momentumProductAfter; }
  private static MethodSpec carriedAfterMethod() {
    return MethodSpec.methodBuilder("carriedAfter")
        .addJavadoc("Π including the prepared step.\n")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addParameter(ArrayTypeName.of(TypeName.DOUBLE), "out")
        .addStatement("out[0] = $N", MOMENTUM_PRODUCT_AFTER)
        .build();
  }

  /** {@code param, grad} and the state arrays; with a suffix, the names a blocked loop gives them. */
  private List<ParameterSpec> bufferParameters(String suffix) {
    List<ParameterSpec> parameters = new ArrayList<>();
    parameters.add(ParameterSpec.builder(storage.bufferType(), "param" + suffix).build());
    parameters.add(ParameterSpec.builder(storage.bufferType(), "grad" + suffix).build());
    for (String state : stateNames) {
      String name = Buffer.javaName(state);
      parameters.add(ParameterSpec.builder(storage.stateType(state), storage.inLoop(state) ? name + suffix : name)
          .build());
    }
    return parameters;
  }

  private List<ParameterSpec> bufferParameters() {
    return bufferParameters("");
  }

  private String bufferArguments() {
    StringBuilder args = new StringBuilder("param, grad");
    for (String state : stateNames) {
      args.append(", ").append(Buffer.javaName(state));
    }
    return args.toString();
  }

  // public void update(float[] param, float[] grad, float[] expAvg, ..., int from, int to): checks, then one loop
  private MethodSpec typedRangeUpdate() {
    CodeBlock.Builder body = CodeBlock.builder()
        .addStatement("$T phase = this.phase", RuntimeTypes.STEP_PHASE)
        .addStatement("$T.checkPrepared(phase)", RuntimeTypes.KERNEL_CHECKS)
        .addStatement("$T.checkLength($S, grad.length, param.length)", RuntimeTypes.KERNEL_CHECKS, "grad");
    for (String state : stateNames) {
      body.addStatement("$T.checkLength($S, $L.length, param.length)", RuntimeTypes.KERNEL_CHECKS,
          state, Buffer.javaName(state));
    }
    body.addStatement("$T.checkRange(param.length, from, to)", RuntimeTypes.KERNEL_CHECKS);
    List<Phase> phases = model.structure().phases();
    for (int k = 0; k < phases.size(); k++) {
      Phase phase = phases.get(k);
      String condition = "phase == $T.$L";
      if (k == 0) {
        body.beginControlFlow("if (" + condition + ")", RuntimeTypes.STEP_PHASE, phase.name());
      } else {
        body.nextControlFlow("else if (" + condition + ")", RuntimeTypes.STEP_PHASE, phase.name());
      }
      if (fused) {
        body.add(fusedDispatch(phase));
      } else {
        body.addStatement("$L($L, from, to)", phase.methodName(), bufferArguments());
      }
    }
    body.nextControlFlow("else")
        .addStatement("throw new $T($S + phase)", IllegalStateException.class,
            "phase cannot occur for " + model.name() + ": ")
        .endControlFlow();
    return MethodSpec.methodBuilder("update")
        .addJavadoc("Applies the prepared step to elements {@code [from, to)} of one tensor.\n\n")
        .addJavadoc("@throws IllegalStateException if no step has been prepared\n")
        .addJavadoc("@throws IllegalArgumentException if a buffer's length differs from {@code param}'s,\n"
            + "    or the range is not within it\n")
        .addModifiers(Modifier.PUBLIC)
        .addParameters(bufferParameters())
        .addParameter(TypeName.INT, "from")
        .addParameter(TypeName.INT, "to")
        .addCode(body.build())
        .build();
  }

  // public void update(float[] param, float[] grad, float[] expAvg, ...): the whole tensor
  private MethodSpec typedWholeUpdate() {
    return MethodSpec.methodBuilder("update")
        .addJavadoc("Applies the prepared step to every element of one tensor.\n\n")
        .addJavadoc("@throws IllegalStateException if no step has been prepared\n")
        .addJavadoc("@throws IllegalArgumentException if a buffer's length differs from {@code param}'s\n")
        .addModifiers(Modifier.PUBLIC)
        .addParameters(bufferParameters())
        .addStatement("update($L, 0, param.length)", bufferArguments())
        .build();
  }

  // public void update(Object param, Object grad, Object[] state, int from, int to): the runtime's untyped form
  private MethodSpec untypedUpdate() {
    StringBuilder args = new StringBuilder();
    List<Object> values = new ArrayList<>();
    args.append("update(($T) param, ($T) grad");
    values.add(storage.bufferType());
    values.add(storage.bufferType());
    for (int s = 0; s < stateNames.size(); s++) {
      args.append(", ($T) state[").append(s).append("]");
      values.add(storage.stateType(stateNames.get(s)));
    }
    args.append(", from, to)");
    return MethodSpec.methodBuilder("update")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addParameter(Object.class, "param")
        .addParameter(Object.class, "grad")
        .addParameter(Object[].class, "state")
        .addParameter(TypeName.INT, "from")
        .addParameter(TypeName.INT, "to")
        .addStatement("$T.checkStateCount(state.length, $L)", RuntimeTypes.KERNEL_CHECKS,
            Literals.ofInt(stateNames.size()))
        .addStatement(args.toString(), values.toArray())
        .build();
  }

  // public boolean sharesPreparedSteps() { return false; }
  private static MethodSpec sharesPreparedStepsMethod() {
    return MethodSpec.methodBuilder("sharesPreparedSteps")
        .addJavadoc("Never: this instance holds its tensor's stochastic-rounding seed, so each tensor\n"
            + "is prepared on its own kernel.\n")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(TypeName.BOOLEAN)
        .addStatement("return false")
        .build();
  }

  // public boolean roundsStochastically() { return true; }
  private static MethodSpec roundsStochasticallyMethod() {
    return MethodSpec.methodBuilder("roundsStochastically")
        .addJavadoc("Yes: the rounding noise hashes the element's index in the array this kernel steps.\n")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(TypeName.BOOLEAN)
        .addStatement("return true")
        .build();
  }

  // public int firstNonFinite(Object grad, int from, int to) { return GradientScan.firstNonFiniteBfloat16((short[]) grad, from, to); }
  private MethodSpec firstNonFiniteMethod(String scan) {
    return MethodSpec.methodBuilder("firstNonFinite")
        .addJavadoc("The NaN/Inf scan the runtime runs before a step writes anything: only this kernel\n"
            + "knows which 16-bit format its {@code short[]} gradients hold.\n")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(TypeName.INT)
        .addParameter(Object.class, "grad")
        .addParameter(TypeName.INT, "from")
        .addParameter(TypeName.INT, "to")
        .addStatement("return $T.$L(($T) grad, from, to)", RuntimeTypes.GRADIENT_SCAN, scan, storage.bufferType())
        .build();
  }

  // public long firstNonFiniteStored(Object param, Object[] state, int from, int to) {
  //   int i = GradientScan.firstNonFiniteFloat16((short[]) param, from, to); if (i >= 0) return GradientScan.stored(0, i);
  //   ... the same for each 16-bit moment slot k, as buffer k + 1 ...; return -1; }
  private MethodSpec firstNonFiniteStoredMethod(String scan) {
    MethodSpec.Builder method = MethodSpec.methodBuilder("firstNonFiniteStored")
        .addJavadoc("After {@code update} over {@code [from, to)}: the first 16-bit parameter or moment there\n"
            + "that is NaN or infinite (a value that outgrew the format), parameter first; the runtime\n"
            + "reports it after the step.\n")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(TypeName.LONG)
        .addParameter(Object.class, "param")
        .addParameter(Object[].class, "state")
        .addParameter(TypeName.INT, "from")
        .addParameter(TypeName.INT, "to")
        .addStatement("int i = $T.$L(($T) param, from, to)", RuntimeTypes.GRADIENT_SCAN, scan, storage.bufferType())
        .beginControlFlow("if (i >= 0)")
        .addStatement("return $T.stored(0, i)", RuntimeTypes.GRADIENT_SCAN)
        .endControlFlow();
    for (int slot : storage.sixteenBitStateSlots()) {
      method.addComment("$L", stateNames.get(slot))
          .addStatement("i = $T.$L(($T) state[$L], from, to)", RuntimeTypes.GRADIENT_SCAN, scan,
              storage.stateType(stateNames.get(slot)), slot)
          .beginControlFlow("if (i >= 0)")
          .addStatement("return $T.stored($L, i)", RuntimeTypes.GRADIENT_SCAN, slot + 1)
          .endControlFlow();
    }
    return method.addStatement("return -1").build();
  }

  // private void adaptive(float[] param, ..., int from, int to) { locals; for (i) { stages } }
  private MethodSpec loop(Phase phase) {
    CodeBlock.Builder body = CodeBlock.builder();
    if (storage.blocked()) {
      body.add("// In blocks of float32 copies: a 16-bit element loop cannot be vectorized by C2 (JDK 17\n")
          .add("// to 25 vectorize neither Float.intBitsToFloat nor short/int lane changes), so the\n")
          .add("// conversions are hoisted into block passes (HalfArrays: plain Java, or the Vector API\n")
          .add("// when enabled) and the element loop in between is the float kernel's, over arrays\n")
          .add("// with the same index, which C2 vectorizes (docs/KERNEL_LOOPS.md). Inside a block,\n")
          .add("// param, grad and the state names denote the float32 copies of [base, base + n).\n");
    } else {
      body.add("// One plain counted loop, deliberately not unrolled by hand: C2 unrolls and vectorizes\n")
          .add("// it itself (SuperWord; AVX-512 where present), and its pre/post loops are the scalar\n")
          .add("// head and tail. A hand-unrolled body stops SuperWord and ran 7-8x slower, as slow as\n")
          .add("// -XX:-UseSuperWord (docs/KERNEL_LOOPS.md). Scalars are copied to locals first so the\n")
          .add("// body reads only arrays and locals.\n");
    }
    ElementLoop loop = ir.loop(phase);
    for (StepScalar scalar : plan.scalars()) {
      if (loop.reads(scalar)) {
        body.addStatement("$T $N = this.$N", format.computeType(), scalar.name(), scalar.name());
      }
    }
    CodeBlock elements = elements(phase);
    if (storage.blocked()) {
      body.add(blocks(phase, elements));
    } else {
      body.beginControlFlow("for (int i = from; i < to; i++)")
          .add(elements)
          .endControlFlow();
    }
    return MethodSpec.methodBuilder(phase.methodName())
        .addJavadoc("The $L loop over {@code [from, to)}; inputs already checked.\n", phase.name())
        .addModifiers(Modifier.PRIVATE)
        .addParameters(bufferParameters(storage.blocked() ? STORED : ""))
        .addParameter(TypeName.INT, "from")
        .addParameter(TypeName.INT, "to")
        .addCode(body.build())
        .build();
  }

  /** The element statements of {@code phase}'s loop, printed as Java in the compute type. */
  private CodeBlock elements(Phase phase) {
    ElementLoop loop = ir.loop(phase);
    JavaPrinter printer = new JavaPrinter(format.computeType(), loopNames(loop)::of);
    CodeBlock.Builder elements = CodeBlock.builder();
    for (Statement statement : loop.statements()) {
      elements.add(printer.statement(statement));
    }
    return elements.build();
  }

  /**
   * The names of a loop's locals: every name the loop method already uses (buffers, per-step
   * scalars, loop variables) is taken, and each local keeps its hint where it can.
   */
  LocalNames loopNames(ElementLoop loop) {
    List<String> taken = new ArrayList<>(List.of("i", "from", "to", "base", "n", "block", "noiseKey",
        "kernel", "upper", "compensation", "kahanComp", "F", "I", "S", "LANES", "offset", "end", "NATIVE_ORDER"));
    for (String buffer : loopBuffers()) {
      taken.add(buffer);
      taken.add(buffer + STORED);
    }
    for (StepScalar scalar : plan.scalars()) {
      taken.add(scalar.name());
    }
    return new LocalNames(taken);
  }

  /** param, grad and the moment arrays: the buffers the element statements may touch. */
  private List<String> loopBuffers() {
    List<String> buffers = new ArrayList<>(List.of("param", "grad"));
    for (String state : stateNames) {
      if (storage.inLoop(state)) {
        buffers.add(Buffer.javaName(state));
      }
    }
    return buffers;
  }

  // ---- the fused Vector API flavour (16-bit kernels compiled with jdk.incubator.vector) ----

  private static final String FUSED_LOOPS = "Loops";

  // if (FUSED == null) { adaptive(..., from, to); } else { fused loop, one vector of the block loop where it stops, ... }
  private CodeBlock fusedDispatch(Phase phase) {
    String loop = phase.methodName();
    String buffers = bufferArguments();
    return CodeBlock.builder()
        .beginControlFlow("if (FUSED == null)")
        .addStatement("$L($L, from, to)", loop, buffers)
        .nextControlFlow("else")
        .addStatement("int i = FUSED.$L(this, $L, from, to)", loop, buffers)
        .beginControlFlow("while (i < to)")
        .add("// the tail, or a vector with a lane the fused loop leaves to the block loop\n")
        .addStatement("int vectorEnd = Math.min(i + FUSED.lanes(), to)")
        .addStatement("$L($L, i, vectorEnd)", loop, buffers)
        .addStatement("i = FUSED.$L(this, $L, vectorEnd, to)", loop, buffers)
        .endControlFlow()
        .endControlFlow()
        .build();
  }

  // interface Loops { int lanes(); int adaptive(XBf16Kernel kernel, short[] param, ..., int from, int to); ... }
  private TypeSpec fusedLoopsInterface() {
    TypeSpec.Builder loops = TypeSpec.interfaceBuilder(FUSED_LOOPS)
        .addJavadoc("The fused Vector API loops, one per phase, implemented by {@code $L}. Each runs whole\n"
            + "vectors from {@code from} and returns the first element it did not do: the tail, shorter\n"
            + "than a vector, or a vector with a lane only the block loop rounds right (a NaN, an fp16\n"
            + "overflow), of which it stored nothing. The kernel runs the block loop over that one vector\n"
            + "and the fused loop again after it.\n", model.vectorLoopsClass(precision))
        .addMethod(MethodSpec.methodBuilder("lanes")
            .addJavadoc("The lanes of a vector: how many elements the block loop takes where a loop stops.\n")
            .addModifiers(Modifier.PUBLIC, Modifier.ABSTRACT)
            .returns(TypeName.INT)
            .build())
        .addMethod(MethodSpec.methodBuilder("roundingRevision")
            .addJavadoc("The runtime's {@code HalfBits.REVISION} these loops were compiled against: they are used\n"
                + "only with a runtime of the same one.\n")
            .addModifiers(Modifier.PUBLIC, Modifier.ABSTRACT)
            .returns(TypeName.INT)
            .build());
    for (Phase phase : model.structure().phases()) {
      loops.addMethod(MethodSpec.methodBuilder(phase.methodName())
          .addModifiers(Modifier.PUBLIC, Modifier.ABSTRACT)
          .returns(TypeName.INT)
          .addParameter(ClassName.get(model.packageName(), model.kernelClass(precision)), "kernel")
          .addParameters(bufferParameters(STORED))
          .addParameter(TypeName.INT, "from")
          .addParameter(TypeName.INT, "to")
          .build());
    }
    return loops.build();
  }

  // private static final Loops FUSED = FusedVectorLoops.load(MethodHandles.lookup(), Loops.class, "pkg.XBf16VectorLoops");
  private FieldSpec fusedLoopsField() {
    String loopsClass = model.packageName().isEmpty() ? model.vectorLoopsClass(precision)
        : model.packageName() + "." + model.vectorLoopsClass(precision);
    return FieldSpec.builder(ClassName.get(model.packageName(), model.kernelClass(precision), FUSED_LOOPS),
            "FUSED", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The fused loops, or null when the JVM runs without {@code jdk.incubator.vector}\n"
            + "(loaded by name, so this class never needs the module itself).\n")
        .initializer("$T.load($T.lookup(), $L.class, $S)", RuntimeTypes.FUSED_VECTOR_LOOPS,
            ClassName.get("java.lang.invoke", "MethodHandles"), FUSED_LOOPS, loopsClass)
        .build();
  }

  // public static boolean usesFusedLoops() { return FUSED != null; }
  private static MethodSpec usesFusedLoopsMethod() {
    return MethodSpec.methodBuilder("usesFusedLoops")
        .addJavadoc("Whether the loops run fused with the Vector API in this JVM (else in blocks).\n")
        .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(TypeName.BOOLEAN)
        .addStatement("return FUSED != null")
        .build();
  }

  /** The fused Vector API loops' class; only when the generator was told the compilation has the module. */
  public TypeSpec generateFusedLoops() {
    if (!fused) {
      throw new IllegalStateException("no fused loops for " + model.kernelClass(precision));
    }
    return new VectorLoopsGenerator(model, precision, storage, plan, ir::loop, this::loopNames,
        loopBuffers(), bufferParameters(STORED)).generate();
  }

  /** Whether this kernel has a fused flavour to generate. */
  public boolean hasFusedLoops() {
    return fused;
  }

  // ---- loops over native memory (float kernels compiled for Java 22+ with jdk.incubator.vector) ----

  private static final String SEGMENT_LOOPS_HOLDER = "NativeMemoryLoops";

  // private static final class NativeMemoryLoops { static final SegmentLoops LOOPS = OffHeap.loadSegmentLoops(...); }
  private TypeSpec segmentLoopsHolder() {
    String loopsClass = model.packageName().isEmpty() ? model.segmentLoopsClass(precision)
        : model.packageName() + "." + model.segmentLoopsClass(precision);
    return TypeSpec.classBuilder(SEGMENT_LOOPS_HOLDER)
        .addJavadoc("Holds the loops over native memory ({@code $L}), loaded the first time an off-heap\n"
            + "tensor asks ({@link #segmentLoops()}), by name, so that this kernel never needs\n"
            + "{@code java.lang.foreign} or {@code jdk.incubator.vector} itself.\n", model.segmentLoopsClass(precision))
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addField(FieldSpec.builder(RuntimeTypes.SEGMENT_LOOPS, "LOOPS", Modifier.STATIC, Modifier.FINAL)
            .initializer("$T.loadSegmentLoops($T.lookup(), $S)", RuntimeTypes.OFF_HEAP,
                ClassName.get("java.lang.invoke", "MethodHandles"), loopsClass)
            .build())
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build())
        .build();
  }

  // public SegmentLoops segmentLoops() { return NativeMemoryLoops.LOOPS; }
  private static MethodSpec segmentLoopsMethod() {
    return MethodSpec.methodBuilder("segmentLoops")
        .addJavadoc("The loops over native memory, or null where this JVM does not run them\n"
            + "({@code OffHeap.segmentLoops()} says why).\n")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(RuntimeTypes.SEGMENT_LOOPS)
        .addStatement("return $L.LOOPS", SEGMENT_LOOPS_HOLDER)
        .build();
  }

  /** The loops over native memory; only when the generator was told the compilation targets Java 22+ with the module. */
  public TypeSpec generateSegmentLoops() {
    if (!inPlace) {
      throw new IllegalStateException("no loops over native memory for " + model.kernelClass(precision));
    }
    return new SegmentLoopsGenerator(model, precision, storage, plan, ir::loop, this::loopNames, loopBuffers(),
        stateNames).generate();
  }

  /** Whether this kernel has loops over native memory to generate. */
  public boolean hasSegmentLoops() {
    return inPlace;
  }

  /** Suffix of a blocked loop's parameters: the stored tensors, as opposed to their float32 blocks. */
  private static final String STORED = "Stored";

  /**
   * The blocked loop of a 16-bit kernel: per block, widen what the elements read, run them, narrow
   * what they wrote; the parameter's narrowing is the spec's rounding.
   */
  private CodeBlock blocks(Phase phase, CodeBlock elements) {
    ElementLoop use = ir.loop(phase);
    List<String> buffers = loopBuffers();
    CodeBlock.Builder code = CodeBlock.builder();
    if (storage.stochastic() && use.isWritten("param")) {
      code.addStatement("int noiseKey = this.noiseKey");
    }
    code.addStatement("$T block = $T.block()", RuntimeTypes.HALF_ARRAYS_BLOCK, RuntimeTypes.HALF_ARRAYS);
    int slot = 0;
    for (String buffer : buffers) {
      if (use.isUsed(buffer)) {
        code.addStatement("float[] $N = block.buffer($L)", buffer, Literals.ofInt(slot++));
      }
    }
    code.beginControlFlow("for (int base = from; base < to; base += $T.BLOCK)", RuntimeTypes.HALF_ARRAYS)
        .addStatement("int n = $T.min($T.BLOCK, to - base)", Math.class, RuntimeTypes.HALF_ARRAYS);
    for (String buffer : buffers) {
      if (use.isRead(buffer)) {
        code.add(storage.load(buffer + STORED, buffer, !isParamOrGrad(buffer)));
      }
    }
    code.beginControlFlow("for (int i = 0; i < n; i++)")
        .add(elements)
        .endControlFlow();
    for (String buffer : buffers) {
      if (use.isWritten(buffer) && !buffer.equals("param")) {
        code.add(storage.storeMoment(buffer, buffer + STORED));
      }
    }
    if (use.isWritten("param")) {
      code.add(storage.storeParam("param", "param" + STORED, Buffer.javaName(KernelStorage.KAHAN_STATE),
          "noiseKey"));
      if (dividesAfterStore(model, storage)) {
        code.add("// proximal decay: a separate store, outside the Kahan compensation\n")
            .addStatement("$T.divide$L(param$L, base, n, this.proximalDivisor)", RuntimeTypes.PROXIMAL_STORE,
                storage.parameterEncoding() == KernelStorage.Encoding.BF16 ? "Bf16" : "Fp16", STORED);
      }
    }
    return code.endControlFlow().build();
  }

  private static boolean isParamOrGrad(String buffer) {
    return buffer.equals("param") || buffer.equals("grad");
  }
}
