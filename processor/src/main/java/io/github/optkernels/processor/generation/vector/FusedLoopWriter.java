package io.github.optkernels.processor.generation.vector;

import com.palantir.javapoet.CodeBlock;
import io.github.optkernels.codegen.VectorAccess;
import io.github.optkernels.codegen.VectorStore;
import io.github.optkernels.processor.generation.ir.Buffer;
import io.github.optkernels.processor.generation.ir.ElementLoop;
import io.github.optkernels.processor.generation.ir.LocalNames;
import io.github.optkernels.processor.generation.ir.Statement;
import io.github.optkernels.processor.generation.ir.VectorPrinter;
import io.github.optkernels.processor.generation.kernel.KernelStorage;
import io.github.optkernels.processor.generation.kernel.KernelStorage.Encoding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes one fused Vector API loop of a 16-bit kernel: per vector of lanes, widen what the
 * element statements read, run the statements on vectors, round what they wrote back into its
 * buffer. It is the block loop of the same phase with the blocks shrunk to one vector, so nothing
 * passes through float32 scratch, and its arithmetic is the same kernel IR the block loop is
 * printed from, printed operation by operation as lanewise operations ({@link VectorPrinter}).
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
  private final VectorAccess memory;
  private final LaneType lanes;

  /**
   * A loop whose lanes compute in float32.
   *
   * @param storage how the kernel stores its buffers
   * @param memory where the loop's buffers are: arrays, or native memory
   */
  public FusedLoopWriter(KernelStorage storage, VectorAccess memory) {
    this(storage, memory, LaneType.FLOAT);
  }

  /**
   * @param storage how the kernel stores its buffers
   * @param memory where the loop's buffers are: arrays, or native memory
   * @param lanes what the lanes compute in: float64 only for a double kernel's plain buffers
   */
  public FusedLoopWriter(KernelStorage storage, VectorAccess memory, LaneType lanes) {
    this.storage = storage;
    this.memory = memory;
    this.lanes = lanes;
  }

  /**
   * The loop over {@code [from, to)} in whole vectors, leaving {@code i} at the first element it
   * did not do; it returns early, with {@code i} at a vector it leaves to the block loop. The
   * buffers are the loop method's {@code <name>Stored} parameters and {@code kahanComp}; the
   * per-step scalars are locals of their names.
   *
   * @param loop the phase's element loop, as the block loop runs it
   * @param names the names of its locals
   * @param buffers param, grad and the moment arrays, in the kernel's order
   */
  public CodeBlock loop(ElementLoop loop, LocalNames names, List<String> buffers) {
    return loop(loop, names, buffers, null);
  }

  /**
   * {@link #loop(ElementLoop, LocalNames, List)} that, when the loop method's boolean parameter
   * {@code zeroFlag} is true, also stores zeros into each vector's gradient lanes after its other
   * stores (loops over native memory only): the gradient is consumed by the step, and zeroing it
   * here writes its lines while they are in L1 instead of in a second pass.
   *
   * @param zeroFlag the name of that parameter, or null for a loop that never zeroes
   */
  public CodeBlock loop(ElementLoop loop, LocalNames names, List<String> buffers, String zeroFlag) {
    if (zeroFlag != null && memory != VectorAccess.SEGMENTS) {
      throw new IllegalArgumentException("only loops over native memory zero the gradient");
    }
    CodeBlock.Builder code = CodeBlock.builder();
    if (memory == VectorAccess.SEGMENTS) {
      // a long index: C2 hoists the segments' bounds checks out of a loop over a long better than
      // out of one over an int widened at each access (measured 0.98-1.07 of the array loop
      // against 1.06-1.18 over a 16M-element float32 tensor, JDK 25, AVX-512)
      code.addStatement("long i = from")
          .beginControlFlow("for (long upper = from + $N.loopBound(to - from); i < upper; i += $N.length())",
              lanes.species(), lanes.species());
    } else {
      code.addStatement("int i = from")
          .beginControlFlow("for (int upper = from + $N.loopBound(to - from); i < upper; i += $N.length())",
              lanes.species(), lanes.species());
    }
    for (String buffer : buffers) {
      if (loop.isRead(buffer)) {
        code.add(VectorConversions.widen(lanes, memory, encoding(buffer), buffer + "Stored", buffer));
      }
    }
    if (storage.kahan() && loop.isWritten("param")) {
      code.add(VectorConversions.widen(lanes, memory, storage.parameterEncoding(), "kahanComp", COMPENSATION));
    }
    VectorPrinter printer = new VectorPrinter(lanes, names::of, names::fresh);
    for (Statement statement : loop.statements()) {
      code.add(printer.statement(statement));
    }
    List<VectorStore> stores = new ArrayList<>();
    for (Map.Entry<Buffer, String> store : printer.stores().entrySet()) {
      stores.add(store(store.getKey().name(), store.getValue()));
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
          .addStatement(memory == VectorAccess.SEGMENTS ? "return (int) i" : "return i")
          .endControlFlow();
    }
    for (VectorStore store : stores) {
      code.add(store.write());
    }
    if (zeroFlag != null) {
      // a flag that holds for the whole loop: C2 unswitches it or predicts it
      code.beginControlFlow("if ($N)", zeroFlag)
          .add(VectorConversions.zeroSegment(lanes, encoding("grad"), "gradStored"))
          .endControlFlow();
    }
    return code.endControlFlow().build();
  }

  private VectorStore store(String buffer, String value) {
    if (!buffer.equals("param")) {
      return VectorConversions.store(lanes, memory, encoding(buffer), value, buffer + "Stored", null);
    }
    if (storage.kahan()) {
      return VectorConversions.kahanStore(memory, storage.parameterEncoding(), value, "param", COMPENSATION, "paramStored",
          "kahanComp");
    }
    return VectorConversions.store(lanes, memory, storage.parameterEncoding(), value, "paramStored",
        storage.stochastic() ? "noiseKey" : null);
  }

  private Encoding encoding(String buffer) {
    return buffer.equals("param") || buffer.equals("grad") ? storage.parameterEncoding() : storage.momentEncoding();
  }
}
