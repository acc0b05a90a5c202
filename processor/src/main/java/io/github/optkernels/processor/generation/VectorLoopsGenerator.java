package io.github.optkernels.processor.generation;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import io.github.optkernels.annotations.Precision;
import io.github.optkernels.codegen.VectorLanes;
import io.github.optkernels.processor.generation.ir.ElementLoop;
import io.github.optkernels.processor.generation.ir.LocalNames;
import io.github.optkernels.processor.generation.ir.StepScalar;
import io.github.optkernels.processor.generation.kernel.KernelPlan;
import io.github.optkernels.processor.generation.kernel.KernelStorage;
import io.github.optkernels.processor.generation.vector.FusedLoopWriter;
import io.github.optkernels.processor.generation.vector.LaneType;
import io.github.optkernels.codegen.VectorAccess;
import io.github.optkernels.processor.generation.vector.VectorTypes;
import io.github.optkernels.processor.model.OptimizerModel;
import io.github.optkernels.processor.model.Phase;
import java.util.List;
import java.util.function.Function;
import javax.lang.model.element.Modifier;

/**
 * The fused Vector API flavour of a 16-bit kernel: a package-private class implementing the
 * kernel's {@code Loops}, with one loop per phase that widens, computes and rounds one vector of
 * lanes at a time. The kernel loads it by name only when the JVM has {@code jdk.incubator.vector},
 * so the kernel itself never needs the module.
 *
 * <p>Why it exists: the block loops' float32 passes (widen, copy, compute, copy, round) cost
 * more than the arithmetic; fused, a bf16 step reads and writes each buffer once
 * ({@code docs/KERNEL_LOOPS.md}, section 4).
 */
final class VectorLoopsGenerator {
  private final OptimizerModel model;
  private final Precision precision;
  private final KernelStorage storage;
  private final KernelPlan plan;
  private final Function<Phase, ElementLoop> loops;
  private final Function<ElementLoop, LocalNames> names;
  private final List<String> buffers;
  private final List<ParameterSpec> bufferParameters;

  VectorLoopsGenerator(OptimizerModel model, Precision precision, KernelStorage storage, KernelPlan plan,
      Function<Phase, ElementLoop> loops, Function<ElementLoop, LocalNames> names, List<String> buffers,
      List<ParameterSpec> bufferParameters) {
    this.model = model;
    this.precision = precision;
    this.storage = storage;
    this.plan = plan;
    this.loops = loops;
    this.names = names;
    this.buffers = buffers;
    this.bufferParameters = bufferParameters;
  }

  TypeSpec generate() {
    ClassName kernel = ClassName.get(model.packageName(), model.kernelClass(precision));
    TypeSpec.Builder type = TypeSpec.classBuilder(model.vectorLoopsClass(precision))
        .addJavadoc("Fused Vector API loops of {@link $T}: per vector of lanes, the 16-bit buffers are\n"
            + "widened, the kernel's element statements run on vectors, and the results are rounded\n"
            + "back, with no float32 scratch in between. Both flavours are printed from the same kernel\n"
            + "IR, operation by operation, so they give the same bits.\n", kernel)
        .addJavadoc(GeneratedMarkers.doNotEdit(model))
        .addJavadoc("\n<p>Loaded by the kernel only when the JVM runs with\n"
            + "{@code --add-modules jdk.incubator.vector}; nothing else refers to this class.\n")
        .addAnnotation(GeneratedMarkers.generated(model))
        .addModifiers(Modifier.FINAL)
        .addSuperinterface(kernel.nestedClass("Loops"))
        .addFields(VectorLanes.species());
    if (storage.stochastic()) {
      type.addField(VectorLanes.noiseLanes());
    }
    type.addMethod(MethodSpec.constructorBuilder()
        .addJavadoc("Instantiated once, by the kernel's class initialisation.\n")
        .build());
    type.addMethod(lanesMethod(LaneType.FLOAT))
        .addMethod(roundingRevisionMethod());
    for (Phase phase : model.structure().phases()) {
      type.addMethod(loop(phase, kernel));
    }
    return type.build();
  }

  // public int lanes() { return F.length(); }   (also the loops over native memory's, D for float64 lanes)
  static MethodSpec lanesMethod(LaneType lanes) {
    return MethodSpec.methodBuilder("lanes")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(TypeName.INT)
        .addStatement("return $N.length()", lanes.species())
        .build();
  }

  // public int roundingRevision() { return HalfBits.REVISION; }   (also the loops over native memory's)
  static MethodSpec roundingRevisionMethod() {
    return MethodSpec.methodBuilder("roundingRevision")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(TypeName.INT)
        .addComment("inlined by javac: the revision of the runtime this class is compiled against")
        .addStatement("return $T.REVISION", VectorTypes.HALF_BITS)
        .build();
  }

  /** {@code float x = kernel.x;} ({@code double} for float64 lanes) for each per-step scalar {@code loop} reads. */
  static CodeBlock scalarLocals(LaneType lanes, KernelPlan plan, ElementLoop loop) {
    CodeBlock.Builder locals = CodeBlock.builder();
    for (StepScalar scalar : plan.scalars()) {
      if (loop.reads(scalar)) {
        locals.addStatement("$T $N = kernel.$N", lanes.scalar(), scalar.name(), scalar.name());
      }
    }
    return locals.build();
  }

  private MethodSpec loop(Phase phase, ClassName kernel) {
    ElementLoop loop = loops.apply(phase);
    CodeBlock.Builder body = CodeBlock.builder().add(scalarLocals(LaneType.FLOAT, plan, loop));
    if (storage.stochastic() && loop.isWritten("param")) {
      body.addStatement("int noiseKey = kernel.noiseKey");
    }
    body.add("// Inside the loop, param, grad and the state names are the float32 lanes of [i, i + F.length()).\n")
        .add(new FusedLoopWriter(storage, VectorAccess.ARRAYS).loop(loop, names.apply(loop), buffers))
        .addStatement("return i");
    return MethodSpec.methodBuilder(phase.methodName())
        .addJavadoc("The $L loop over whole vectors of {@code [from, to)}; returns where it stopped:\n"
            + "at the tail, or at a vector with a lane only the block loop rounds right.\n", phase.name())
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(TypeName.INT)
        .addParameter(kernel, "kernel")
        .addParameters(bufferParameters)
        .addParameter(TypeName.INT, "from")
        .addParameter(TypeName.INT, "to")
        .addCode(body.build())
        .build();
  }
}
