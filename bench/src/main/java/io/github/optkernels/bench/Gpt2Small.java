package io.github.optkernels.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The 148 parameter tensors of GPT-2 small (124,439,808 parameters) in Hugging Face order, each
 * with whether it decays (weight matrices and embeddings do; biases and layer-norm gains do not:
 * the usual two parameter groups). The same list as generated-examples' {@code Gpt2Shapes}, which
 * is test code and so not on this module's class path.
 */
final class Gpt2Small {
  record Shape(String name, int size, boolean decays) {}

  /** Parameters of GPT-2 small. */
  static final long PARAMETERS = 124_439_808L;

  private Gpt2Small() {}

  static List<Shape> shapes() {
    int d = 768;
    List<Shape> shapes = new ArrayList<>();
    shapes.add(new Shape("wte", 50257 * d, true));
    shapes.add(new Shape("wpe", 1024 * d, true));
    for (int layer = 0; layer < 12; layer++) {
      String h = "h." + layer + ".";
      shapes.add(new Shape(h + "ln_1.weight", d, false));
      shapes.add(new Shape(h + "ln_1.bias", d, false));
      shapes.add(new Shape(h + "attn.c_attn.weight", d * 3 * d, true));
      shapes.add(new Shape(h + "attn.c_attn.bias", 3 * d, false));
      shapes.add(new Shape(h + "attn.c_proj.weight", d * d, true));
      shapes.add(new Shape(h + "attn.c_proj.bias", d, false));
      shapes.add(new Shape(h + "ln_2.weight", d, false));
      shapes.add(new Shape(h + "ln_2.bias", d, false));
      shapes.add(new Shape(h + "mlp.c_fc.weight", d * 4 * d, true));
      shapes.add(new Shape(h + "mlp.c_fc.bias", 4 * d, false));
      shapes.add(new Shape(h + "mlp.c_proj.weight", 4 * d * d, true));
      shapes.add(new Shape(h + "mlp.c_proj.bias", d, false));
    }
    shapes.add(new Shape("ln_f.weight", d, false));
    shapes.add(new Shape("ln_f.bias", d, false));
    return shapes;
  }
}
