package io.github.optkernels.processor.generation.vector;

import com.palantir.javapoet.CodeBlock;
import io.github.optkernels.processor.generation.RuntimeTypes;
import io.github.optkernels.processor.generation.kernel.BufferUse;
import io.github.optkernels.processor.generation.kernel.KernelStorage;
import io.github.optkernels.processor.generation.kernel.KernelStorage.Encoding;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes one fused Vector API loop of a 16-bit kernel: per vector of lanes, widen what the
 * element statements read, run the statements on vectors, round what they wrote back into its
 * buffer. It is the block loop of the same phase with the blocks shrunk to one vector, so nothing
 * passes through float32 scratch, and its arithmetic is the block loop's element statements
 * translated operation by operation ({@link VectorTranslation}).
 */
public final class FusedLoopWriter {
  /** The local holding the widened Kahan compensation. */
  private static final String COMPENSATION = "compensation";

  private final KernelStorage storage;

  public FusedLoopWriter(KernelStorage storage) {
    this.storage = storage;
  }

  /**
   * The loop over {@code [from, to)} in whole vectors, leaving {@code i} at the first element it
   * did not do. The buffers are the loop method's {@code <name>Stored} parameters and
   * {@code kahanComp}; the per-step scalars are locals of their names.
   *
   * @param elements the scalar element statements of the phase, as the block loop runs them
   * @param buffers param, grad and the moment arrays, in the kernel's order
   * @param use which of them the statements read and write
   */
  public CodeBlock loop(CodeBlock elements, List<String> buffers, BufferUse use) {
    CodeBlock.Builder code = CodeBlock.builder();
    if (needsSpill(buffers, use)) {
      code.add("// a vector the runtime's conversions hand to plain Java (a NaN lane, fp16 overflow) is\n")
          .add("// spilled here and stored by the block code\n")
          .addStatement("float[] spill = $T.block().buffer(0)", RuntimeTypes.HALF_ARRAYS);
    }
    code.addStatement("int i = from")
        .beginControlFlow("for (int upper = from + F.loopBound(to - from); i < upper; i += F.length())");
    Set<String> widened = new LinkedHashSet<>();
    for (String buffer : buffers) {
      if (use.isRead(buffer)) {
        code.add(VectorConversions.widen(encoding(buffer), buffer + "Stored", buffer));
        widened.add(buffer);
      }
    }
    if (storage.kahan() && use.isWritten("param")) {
      code.add(VectorConversions.widen(storage.parameterEncoding(), "kahanComp", COMPENSATION));
    }
    VectorTranslation translation = new VectorTranslation(widened, this::store);
    for (ElementStatement statement : ElementParser.parse(elements.toString())) {
      code.add(translation.translate(statement));
    }
    return code.endControlFlow().build();
  }

  private boolean needsSpill(List<String> buffers, BufferUse use) {
    for (String buffer : buffers) {
      if (use.isWritten(buffer) && encoding(buffer) != Encoding.PLAIN) {
        return true;
      }
    }
    return false;
  }

  private CodeBlock store(String buffer, String value) {
    if (!buffer.equals("param")) {
      return VectorConversions.store(encoding(buffer), value, buffer + "Stored", null);
    }
    if (storage.kahan()) {
      return VectorConversions.kahanStore(storage.parameterEncoding(), value, "param", COMPENSATION, "paramStored",
          "kahanComp");
    }
    return VectorConversions.store(storage.parameterEncoding(), value, "paramStored",
        storage.stochastic() ? "noiseKey" : null);
  }

  private Encoding encoding(String buffer) {
    return buffer.equals("param") || buffer.equals("grad") ? storage.parameterEncoding() : storage.momentEncoding();
  }
}
