package io.github.optkernels.processor.generation.vector;

import com.palantir.javapoet.CodeBlock;
import io.github.optkernels.processor.generation.kernel.BufferUse;
import io.github.optkernels.processor.generation.kernel.KernelStorage;
import io.github.optkernels.processor.generation.kernel.KernelStorage.Encoding;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes one fused Vector API loop of a 16-bit kernel: per vector of lanes, widen what the
 * element statements read, run the statements on vectors, round what they wrote back into its
 * buffer. It is the block loop of the same phase with the blocks shrunk to one vector, so nothing
 * passes through float32 scratch, and its arithmetic is the block loop's element statements
 * translated operation by operation ({@link VectorTranslation}).
 *
 * <p>A vector with a lane the vector rounding does not round as the block store does (a NaN, an
 * fp16 overflow, ...) is left whole to the block loop: the loop returns its index before storing
 * anything of it. Nothing in the loop calls out of it: a call that C2 compiles in once such a
 * vector has been seen grows the method past C2's inlining budget, and then the Vector API
 * methods it no longer inlines box every vector on the heap.
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
   * did not do; it returns early, with {@code i} at a vector it leaves to the block loop. The
   * buffers are the loop method's {@code <name>Stored} parameters and {@code kahanComp}; the
   * per-step scalars are locals of their names.
   *
   * @param elements the scalar element statements of the phase, as the block loop runs them
   * @param buffers param, grad and the moment arrays, in the kernel's order
   * @param use which of them the statements read and write
   */
  public CodeBlock loop(CodeBlock elements, List<String> buffers, BufferUse use) {
    CodeBlock.Builder code = CodeBlock.builder()
        .addStatement("int i = from")
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
    VectorTranslation translation = new VectorTranslation(widened);
    for (ElementStatement statement : ElementParser.parse(elements.toString())) {
      code.add(translation.translate(statement));
    }
    List<VectorStore> stores = new ArrayList<>();
    for (Map.Entry<String, String> store : translation.stores().entrySet()) {
      stores.add(store(store.getKey(), store.getValue()));
    }
    List<String> unusual = new ArrayList<>();
    for (VectorStore store : stores) {
      code.add(store.check());
      if (store.unusual() != null) {
        unusual.add(store.unusual());
      }
    }
    if (!unusual.isEmpty()) {
      code.add("// a lane the vector code does not round as the block loop does: nothing of this vector\n")
          .add("// is stored, the kernel's block loop does it\n")
          .beginControlFlow("if ($L.anyTrue())", unusual.get(0)
              + unusual.subList(1, unusual.size()).stream().map(m -> ".or(" + m + ")").collect(Collectors.joining()))
          .addStatement("return i")
          .endControlFlow();
    }
    for (VectorStore store : stores) {
      code.add(store.write());
    }
    return code.endControlFlow().build();
  }

  private VectorStore store(String buffer, String value) {
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
