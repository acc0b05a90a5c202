package io.github.optkernels.examples.demo;

import io.github.optkernels.runtime.Bf16;
import io.github.optkernels.runtime.HalfArrays;
import io.github.optkernels.runtime.KernelOptimizer;
import java.util.ArrayList;
import java.util.List;

/**
 * How the digits model's parameters are stored and stepped: a dimension of the training table.
 * The model itself always computes in float32 ({@link Mlp}); a precision decides which generated
 * optimizer steps its parameters and in what buffers. The training loop, table, plots (one row of
 * panels per precision) and summary iterate over every constant.
 */
enum Precision {
  /** The model's own float buffers, stepped by the float32 kernel of each optimizer. */
  FP32("fp32") {
    @Override
    Storage storage(Mlp model) {
      return (trained, lr) -> {
        KernelOptimizer optimizer = trained.create(lr);
        List<float[]> parameters = model.parameters();
        List<float[]> gradients = model.gradients();
        for (int i = 0; i < parameters.size(); i++) {
          optimizer.add(parameters.get(i), gradients.get(i));
        }
        return optimizer;
      };
    }
  },

  /**
   * bfloat16 parameters and gradients, float32 moments, Kahan-compensated updates: the
   * {@code MixedKahan} twin of each optimizer ({@link TrainedOptimizer#createBf16}), as
   * mixed-precision training keeps weights in bf16 and the optimizer state in float32. See
   * {@link Bf16KahanStorage}.
   */
  BF16_KAHAN("bf16+Kahan") {
    @Override
    Storage storage(Mlp model) {
      return new Bf16KahanStorage(model);
    }
  };

  private final String id;

  Precision(String id) {
    this.id = id;
  }

  /** The name in tables, legends and {@code summary.json}. */
  String id() {
    return id;
  }

  /** Where {@code model}'s parameters live while an optimizer steps them. */
  abstract Storage storage(Mlp model);

  /**
   * Connects the model's float buffers, which the forward and backward passes use, to the buffers
   * the optimizer steps. For float32 they are the same buffers and the hooks do nothing.
   */
  interface Storage {
    /**
     * Builds {@code trained}'s generated optimizer for this precision with learning rate
     * {@code lr} and registers every parameter tensor of the model, with its gradient.
     */
    KernelOptimizer build(TrainedOptimizer trained, double lr);

    /** Before a forward pass: the model's float parameters reflect the stepped ones. */
    default void beforeForward() {}

    /** After a backward pass: the optimizer's gradient buffers hold the model's float gradients. */
    default void afterBackward() {}
  }

  /**
   * The optimizer owns a 16-bit copy of each parameter and gradient; the model's float buffers
   * are the forward and backward passes' working copies. The model's initial weights are rounded
   * into bf16 once, here, and the model then starts from those rounded values, so every float
   * weight the model ever computes with is a bf16 value ({@code PrecisionTest}). The gradients
   * are rounded as a bf16 training step would receive them; the optimizer's moments and its Kahan
   * buffer keep what bf16 parameters alone would lose.
   */
  static final class Bf16KahanStorage implements Storage {
    private final List<float[]> modelParameters;
    private final List<float[]> modelGradients;
    private final List<short[]> parameters = new ArrayList<>();
    private final List<short[]> gradients = new ArrayList<>();

    Bf16KahanStorage(Mlp model) {
      modelParameters = model.parameters();
      modelGradients = model.gradients();
      for (float[] parameter : modelParameters) {
        short[] bits = new short[parameter.length];
        for (int i = 0; i < parameter.length; i++) {
          bits[i] = Bf16.fromFloat(parameter[i]);
        }
        parameters.add(bits);
        gradients.add(new short[parameter.length]);
      }
      beforeForward();
    }

    @Override
    public KernelOptimizer build(TrainedOptimizer trained, double lr) {
      TrainedOptimizer.Bf16Optimizer bf16 = trained.createBf16(lr);
      for (int i = 0; i < parameters.size(); i++) {
        bf16.addBf16().accept(parameters.get(i), gradients.get(i));
      }
      return bf16.optimizer();
    }

    @Override
    public void beforeForward() {
      for (int i = 0; i < parameters.size(); i++) {
        short[] bits = parameters.get(i);
        HalfArrays.bf16ToFloat(bits, 0, modelParameters.get(i), bits.length); // exact
      }
    }

    @Override
    public void afterBackward() {
      for (int i = 0; i < gradients.size(); i++) {
        short[] bits = gradients.get(i);
        HalfArrays.floatToBf16(modelGradients.get(i), bits, 0, bits.length); // nearest even
      }
    }

    /** The bf16 parameters the optimizer steps, in the order of {@link Mlp#parameters()}. */
    List<short[]> parameters() {
      return parameters;
    }

    /** The bf16 gradients the optimizer reads, in the order of {@link Mlp#gradients()}. */
    List<short[]> gradients() {
      return gradients;
    }
  }
}
