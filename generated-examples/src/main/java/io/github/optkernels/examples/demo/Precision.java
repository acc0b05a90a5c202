package io.github.optkernels.examples.demo;

import io.github.optkernels.runtime.KernelOptimizer;
import java.util.List;

/**
 * How the digits model's parameters are stored and stepped: a dimension of the training table.
 * Only float32 exists today. A bfloat16 + Kahan row (the half-precision issue) is one more
 * constant here whose {@link Storage} keeps each parameter and its gradient in 16-bit buffers of
 * a Kahan-compensated bf16 kernel (registered with {@code optimizer.add}), rounds the model's
 * initial weights into them, widens the parameters into the model's float buffers before each
 * forward pass and rounds the float gradients into the 16-bit gradient buffers after each backward
 * pass. The training loop, table, plots (one row of panels per precision) and summary already
 * iterate over every constant.
 */
enum Precision {
  FP32("fp32") {
    @Override
    Storage storage(Mlp model) {
      return new Storage() {
        @Override
        public void register(KernelOptimizer optimizer) {
          List<float[]> parameters = model.parameters();
          List<float[]> gradients = model.gradients();
          for (int i = 0; i < parameters.size(); i++) {
            optimizer.add(parameters.get(i), gradients.get(i));
          }
        }
      };
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
    /** Registers every parameter tensor of the model, with its gradient, with {@code optimizer}. */
    void register(KernelOptimizer optimizer);

    /** Before a forward pass: the model's float parameters reflect the stepped ones. */
    default void beforeForward() {}

    /** After a backward pass: the optimizer's gradient buffers hold the model's float gradients. */
    default void afterBackward() {}
  }
}
