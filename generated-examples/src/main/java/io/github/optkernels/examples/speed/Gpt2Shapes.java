package io.github.optkernels.examples.speed;

import java.util.ArrayList;
import java.util.List;

/**
 * The 148 parameter tensors of GPT-2 small (124M parameters), in Hugging Face order: token and
 * position embeddings, 12 blocks of 12 tensors, the final layer norm. Weight matrices decay;
 * biases and layer-norm gains do not (the usual two parameter groups). The whole-model shapes of
 * the runtime's parallel tests and of the bench module's GPT-2 step.
 */
public final class Gpt2Shapes {
  /** One parameter tensor: its Hugging Face name, element count and whether it decays. */
  public record Shape(String name, int size, boolean decays) {}

  /** Parameters of GPT-2 small: the sum of {@link #full()}'s sizes. */
  public static final long PARAMETERS = 124_439_808L;

  private Gpt2Shapes() {}

  /** The real sizes. */
  public static List<Shape> full() {
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

  /** Every size divided by {@code divisor} and made odd (so vector tails run), at least 1. */
  public static List<Shape> scaled(int divisor) {
    List<Shape> shapes = new ArrayList<>();
    for (Shape s : full()) {
      shapes.add(new Shape(s.name(), Math.max(1, s.size() / divisor) | 1, s.decays()));
    }
    return shapes;
  }
}
