package io.github.optkernels.bench;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import io.github.optkernels.runtime.Hyperparameters;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * libtorch's fused AdamW ({@code aten::_fused_adamw_}, what {@code torch.optim.AdamW(fused=True)}
 * runs) reached from Java without Python: a TorchScript archive written here by hand (a module
 * whose {@code forward} increments the step counts and calls the fused op on lists of tensors),
 * loaded by DJL's PyTorch engine. One {@link #step()} updates every weight in place, as PyTorch's
 * optimizer step does; its state (moments, step counts) are engine tensors made here.
 */
final class LibtorchFusedAdamW implements AutoCloseable {
  private static final String NAME = "fused_adamw";
  /** {@code pickle.dumps(obj, protocol=2)} of a {@code __torch__.Fused} with {@code training = True}. */
  private static final byte[] DATA_PKL = {
      (byte) 0x80, 2, 'c', '_', '_', 't', 'o', 'r', 'c', 'h', '_', '_', '\n', 'F', 'u', 's', 'e', 'd', '\n',
      'q', 0, ')', (byte) 0x81, 'q', 1, '}', 'q', 2, 'X', 8, 0, 0, 0, 't', 'r', 'a', 'i', 'n', 'i', 'n', 'g',
      'q', 3, (byte) 0x88, 's', 'b', '.'};
  /** {@code pickle.dumps((), protocol=2)}: no constants. */
  private static final byte[] CONSTANTS_PKL = {(byte) 0x80, 2, ')', '.'};

  private final Model model;
  private final PtSymbolBlock block;
  private final boolean zeroGradients;
  private final IValue[] inputs;

  /**
   * The fused step over {@code weights} and {@code grads} (float32 engine tensors on the CPU)
   * with {@code h}'s lr, betas, ε and decoupled weight decay; with {@code zeroGradients}, followed by
   * {@code torch._foreach_zero_(grads)}, what {@code optimizer.zero_grad(set_to_none=False)} runs
   * (DJL's optimizers leave the gradients zeroed, so this is the peer of a DJL optimizer's step).
   *
   * @throws IllegalStateException if the loaded module does not update a probe tensor (the op was
   *     dropped, as TorchScript drops a mutation of a list nothing reads), or does not zero its
   *     gradient when asked to
   */
  LibtorchFusedAdamW(NDManager manager, NDArray[] weights, NDArray[] grads, Hyperparameters h, boolean zeroGradients)
      throws IOException, MalformedModelException {
    this.zeroGradients = zeroGradients;
    Path dir = Files.createTempDirectory("optkernels-libtorch");
    write(dir.resolve(NAME + ".pt"), h, zeroGradients);
    model = Model.newInstance(NAME, "PyTorch");
    model.load(dir, NAME);
    block = (PtSymbolBlock) model.getBlock();
    probe(manager);
    inputs = lists(manager, weights, grads);
  }

  /** One AdamW step over every tensor. */
  void step() {
    block.forward(inputs).close();
  }

  @Override
  public void close() {
    for (IValue input : inputs) {
      input.close();
    }
    model.close();
  }

  /** The five list arguments of {@code forward}: params, grads, exp_avgs, exp_avg_sqs, state_steps. */
  private static IValue[] lists(NDManager manager, NDArray[] weights, NDArray[] grads) {
    int n = weights.length;
    PtNDArray[][] lists = new PtNDArray[5][n];
    for (int i = 0; i < n; i++) {
      lists[0][i] = (PtNDArray) weights[i];
      lists[1][i] = (PtNDArray) grads[i];
      lists[2][i] = (PtNDArray) manager.zeros(weights[i].getShape());
      lists[3][i] = (PtNDArray) manager.zeros(weights[i].getShape());
      lists[4][i] = (PtNDArray) manager.create(0f);
    }
    IValue[] inputs = new IValue[5];
    for (int l = 0; l < 5; l++) {
      inputs[l] = IValue.listFrom(lists[l]);
    }
    return inputs;
  }

  private void probe(NDManager manager) {
    try (NDManager scratch = manager.newSubManager()) {
      NDArray w = scratch.create(new float[] {1f});
      NDArray g = scratch.create(new float[] {1f});
      IValue[] probe = lists(scratch, new NDArray[] {w}, new NDArray[] {g});
      block.forward(probe).close();
      for (IValue input : probe) {
        input.close();
      }
      if (!(w.getFloat(0) < 1f)) {
        throw new IllegalStateException("the TorchScript fused AdamW did not update its probe tensor (" + w.getFloat(0) + ")");
      }
      if (zeroGradients && g.getFloat(0) != 0f) {
        throw new IllegalStateException("the TorchScript step did not zero its probe gradient (" + g.getFloat(0) + ")");
      }
    }
  }

  private static void write(Path file, Hyperparameters h, boolean zeroGradients) throws IOException {
    String code = "class Fused(Module):\n"
        + "  __parameters__ = []\n"
        + "  __buffers__ = []\n"
        + "  training : bool\n"
        + "  def forward(self: __torch__.Fused,\n"
        + "    params: List[Tensor],\n"
        + "    grads: List[Tensor],\n"
        + "    exp_avgs: List[Tensor],\n"
        + "    exp_avg_sqs: List[Tensor],\n"
        + "    steps: List[Tensor]) -> Tensor:\n"
        + "    torch._foreach_add_(steps, 1.)\n"
        + "    torch._fused_adamw_(params, grads, exp_avgs, exp_avg_sqs, annotate(List[Tensor], []), steps,"
        + " lr=" + literal(h.lr()) + ", beta1=" + literal(h.beta1()) + ", beta2=" + literal(h.beta2())
        + ", weight_decay=" + literal(h.weightDecay()) + ", eps=" + literal(h.eps())
        + ", amsgrad=False, maximize=False)\n"
        + (zeroGradients ? "    torch._foreach_zero_(grads)\n" : "")
        // returned so that the interpreter keeps the call (it drops mutations nothing reads)
        + "    return params[0]\n";
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      entry(zip, NAME + "/data.pkl", DATA_PKL);
      entry(zip, NAME + "/constants.pkl", CONSTANTS_PKL);
      entry(zip, NAME + "/code/__torch__.py", code.getBytes(StandardCharsets.US_ASCII));
      entry(zip, NAME + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
      entry(zip, NAME + "/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
    }
  }

  private static String literal(double value) {
    return String.format(Locale.ROOT, "%.17e", value);
  }

  /** A stored (uncompressed) entry: TorchScript reads records in place. */
  private static void entry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    ZipEntry entry = new ZipEntry(name);
    entry.setMethod(ZipEntry.STORED);
    entry.setSize(bytes.length);
    CRC32 crc = new CRC32();
    crc.update(bytes);
    entry.setCrc(crc.getValue());
    zip.putNextEntry(entry);
    zip.write(bytes);
    zip.closeEntry();
  }
}
