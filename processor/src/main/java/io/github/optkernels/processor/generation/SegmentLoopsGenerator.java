package io.github.optkernels.processor.generation;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.github.optkernels.annotations.Precision;
import io.github.optkernels.codegen.VectorAccess;
import io.github.optkernels.codegen.VectorLanes;
import io.github.optkernels.processor.generation.ir.Buffer;
import io.github.optkernels.processor.generation.ir.ElementLoop;
import io.github.optkernels.processor.generation.ir.LocalNames;
import io.github.optkernels.processor.generation.kernel.KernelPlan;
import io.github.optkernels.processor.generation.kernel.KernelStorage;
import io.github.optkernels.processor.generation.vector.FusedLoopWriter;
import io.github.optkernels.processor.generation.vector.LaneType;
import io.github.optkernels.processor.generation.vector.VectorTypes;
import io.github.optkernels.processor.model.OptimizerModel;
import io.github.optkernels.processor.model.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.lang.model.element.Modifier;

/**
 * The loops over native memory of a float, double or 16-bit kernel: a package-private class implementing
 * the runtime's {@code SegmentLoops}, with one loop per phase that loads a vector of lanes of each
 * buffer straight from the tensor's memory ({@code FloatVector.fromMemorySegment}; 16-bit bits
 * widened by the codegen templates), runs the kernel's element statements on it and stores the
 * results back in place (rounded, for 16-bit buffers). Its statements are the array loop's IR,
 * printed by the same {@link FusedLoopWriter} as a 16-bit kernel's fused loops over arrays, with
 * segment loads and stores ({@link VectorAccess#SEGMENTS}).
 *
 * <p>Why it exists: an off-heap tensor is otherwise stepped through heap copies of its memory,
 * which cost about twice a float32 step (docs/RUNTIME.md); read in place, the Vector API loop runs
 * at the array loop's speed. Generated only for a compilation for Java 22 or later
 * ({@code java.lang.foreign} is final there) that sees {@code jdk.incubator.vector}; the kernel
 * loads it by name ({@code OffHeap.loadSegmentLoops}), so the kernel itself needs neither.
 */
final class SegmentLoopsGenerator {
  private static final ClassName MEMORY_SEGMENT = ClassName.get("java.lang.foreign", "MemorySegment");
  private static final ClassName BYTE_ORDER = ClassName.get("java.nio", "ByteOrder");
  /** The loops' flag: also zero the gradient lanes stepped ({@code SegmentLoops.update}'s last parameter). */
  private static final String ZERO_GRADIENT = "zeroGradient";

  private final OptimizerModel model;
  private final Precision precision;
  private final KernelStorage storage;
  private final KernelPlan plan;
  private final Function<Phase, ElementLoop> loops;
  private final Function<ElementLoop, LocalNames> names;
  private final List<String> buffers;
  private final List<String> stateNames;
  /** Float32 lanes, float64 for a double kernel. */
  private final LaneType lanes;

  /**
   * @param buffers param, grad and the state slots the element statements touch, in the kernel's order
   * @param stateNames every state slot, in the order the runtime passes them
   */
  SegmentLoopsGenerator(OptimizerModel model, Precision precision, KernelStorage storage, KernelPlan plan,
      Function<Phase, ElementLoop> loops, Function<ElementLoop, LocalNames> names, List<String> buffers,
      List<String> stateNames) {
    this.model = model;
    this.precision = precision;
    this.storage = storage;
    this.plan = plan;
    this.loops = loops;
    this.names = names;
    this.buffers = buffers;
    this.stateNames = stateNames;
    this.lanes = precision == Precision.DOUBLE ? LaneType.DOUBLE : LaneType.FLOAT;
  }

  TypeSpec generate() {
    ClassName kernel = ClassName.get(model.packageName(), model.kernelClass(precision));
    TypeSpec.Builder type = TypeSpec.classBuilder(model.segmentLoopsClass(precision))
        .addJavadoc("Loops over native memory of {@link $T}: per vector of lanes, each buffer is loaded from\n"
            + "the tensor's memory, the kernel's element statements run on vectors, and the results are\n"
            + "stored back in place, so an off-heap tensor is stepped without copying it. Both flavours\n"
            + "are printed from the same kernel IR, operation by operation, so they give the same bits.\n",
            kernel)
        .addJavadoc(GeneratedMarkers.doNotEdit(model))
        .addJavadoc("\n<p>Loaded by the kernel ({@code segmentLoops()}) only in a JVM that runs them: JDK 22 or\n"
            + "later with {@code --add-modules jdk.incubator.vector}; nothing else refers to this class.\n")
        .addAnnotation(GeneratedMarkers.generated(model))
        .addModifiers(Modifier.FINAL)
        .addSuperinterface(RuntimeTypes.SEGMENT_LOOPS);
    if (storage.blocked()) {
      type.addFields(VectorLanes.species());
    } else {
      type.addField(FieldSpec.builder(lanes.speciesType(), lanes.species(), Modifier.PRIVATE, Modifier.STATIC,
              Modifier.FINAL)
          .addJavadoc(lanes == LaneType.FLOAT ? "Float lanes at the preferred width: 8 with AVX2, 16 with AVX-512.\n"
              : "Double lanes at the preferred width: 4 with AVX2, 8 with AVX-512.\n")
          .initializer("$T.SPECIES_PREFERRED", lanes.vector()).build());
    }
    type.addField(FieldSpec.builder(BYTE_ORDER, VectorAccess.NATIVE_ORDER, Modifier.PRIVATE, Modifier.STATIC,
            Modifier.FINAL)
            .addJavadoc("Tensor memory is in the platform's byte order.\n")
            .initializer("$T.nativeOrder()", BYTE_ORDER).build())
        .addMethod(MethodSpec.constructorBuilder()
            .addJavadoc("Instantiated once, by the kernel, the first time an off-heap tensor asks for it.\n")
            .build())
        .addMethod(VectorLoopsGenerator.lanesMethod(lanes))
        .addMethod(VectorLoopsGenerator.roundingRevisionMethod())
        .addMethod(update(kernel));
    for (Phase phase : model.structure().phases()) {
      type.addMethod(loop(phase, kernel));
    }
    return type.build();
  }

  // public int update(StepKernel kernel, Object param, Object grad, Object[] state, int from, int to,
  // boolean zeroGradient): casts, then the phase's loop
  private MethodSpec update(ClassName kernel) {
    CodeBlock.Builder body = CodeBlock.builder()
        .addStatement("$T typed = ($T) kernel", kernel, kernel)
        .addStatement("$T phase = typed.phase()", RuntimeTypes.STEP_PHASE)
        .addStatement("$T.checkPrepared(phase)", RuntimeTypes.KERNEL_CHECKS)
        .addStatement("$T.checkStateCount(state.length, $L)", RuntimeTypes.KERNEL_CHECKS, stateNames.size())
        .addStatement("$T paramStored = ($T) param", MEMORY_SEGMENT, MEMORY_SEGMENT)
        .addStatement("$T gradStored = ($T) grad", MEMORY_SEGMENT, MEMORY_SEGMENT);
    for (int k = 0; k < stateNames.size(); k++) {
      body.addStatement("$T $N = ($T) state[$L]", MEMORY_SEGMENT, stateParameter(k), MEMORY_SEGMENT, k);
    }
    String arguments = "typed, " + String.join(", ", segmentParameters()) + ", from, to, " + ZERO_GRADIENT;
    for (Phase phase : model.structure().phases()) {
      body.beginControlFlow("if (phase == $T.$L)", RuntimeTypes.STEP_PHASE, phase.name())
          .addStatement("return $L($L)", phase.methodName(), arguments)
          .endControlFlow();
    }
    body.addStatement("throw new $T($S + phase)", IllegalStateException.class,
        "phase cannot occur for " + model.name() + ": ");
    return MethodSpec.methodBuilder("update")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(TypeName.INT)
        .addParameter(RuntimeTypes.STEP_KERNEL, "kernel")
        .addParameter(Object.class, "param")
        .addParameter(Object.class, "grad")
        .addParameter(Object[].class, "state")
        .addParameter(TypeName.INT, "from")
        .addParameter(TypeName.INT, "to")
        .addParameter(TypeName.BOOLEAN, ZERO_GRADIENT)
        .addCode(body.build())
        .build();
  }

  /** The loop methods' segment parameters: param, grad, then every state slot, in the runtime's order. */
  private List<String> segmentParameters() {
    List<String> names = new ArrayList<>(List.of("paramStored", "gradStored"));
    for (int k = 0; k < stateNames.size(); k++) {
      names.add(stateParameter(k));
    }
    return names;
  }

  /** A state slot's parameter: {@code <name>Stored} for one the statements read, else its name ({@code kahanComp}). */
  private String stateParameter(int k) {
    String name = Buffer.javaName(stateNames.get(k));
    return storage.inLoop(stateNames.get(k)) ? name + "Stored" : name;
  }

  private MethodSpec loop(Phase phase, ClassName kernel) {
    ElementLoop loop = loops.apply(phase);
    CodeBlock.Builder body = CodeBlock.builder().add(VectorLoopsGenerator.scalarLocals(lanes, plan, loop));
    body.add("// Inside the loop, param, grad and the state names are the $L lanes of [i, i + $N.length()).\n",
            lanes.word(), lanes.species())
        .add(new FusedLoopWriter(storage, VectorAccess.SEGMENTS, lanes).loop(loop, names.apply(loop), buffers,
            ZERO_GRADIENT))
        .addStatement("return (int) i");
    List<ParameterSpec> parameters = new ArrayList<>();
    for (String segment : segmentParameters()) {
      parameters.add(ParameterSpec.builder(MEMORY_SEGMENT, segment).build());
    }
    return MethodSpec.methodBuilder(phase.methodName())
        .addJavadoc("The $L loop over whole vectors of {@code [from, to)}, in place; returns where it\n"
            + "stopped: at the tail$L. With {@code $L}, each vector it stores also zeroes its gradient\n"
            + "lanes.\n", phase.name(), storage.blocked()
                ? ", or at a vector with a lane only the array kernel rounds right or that stores a 16-bit\n"
                    + "NaN or infinity, of which it stored nothing" : "", ZERO_GRADIENT)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(TypeName.INT)
        .addParameter(kernel, "kernel")
        .addParameters(parameters)
        .addParameter(TypeName.INT, "from")
        .addParameter(TypeName.INT, "to")
        .addParameter(TypeName.BOOLEAN, ZERO_GRADIENT)
        .addCode(body.build())
        .build();
  }
}
