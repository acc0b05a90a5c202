package io.github.optkernels.processor.generation.kernel;

import static io.github.optkernels.processor.generation.ir.Expr.add;
import static io.github.optkernels.processor.generation.ir.Expr.div;

import io.github.optkernels.processor.generation.ir.Buffer;
import io.github.optkernels.processor.generation.ir.ElementLoop;
import io.github.optkernels.processor.generation.ir.Expr;
import io.github.optkernels.processor.generation.ir.StepScalar;
import java.util.function.Supplier;

/**
 * Writes the parameter once per element: the decayed parameter plus the step's update. In a
 * 16-bit kernel this is the float32 block; the block's store then rounds it (nearest even,
 * stochastically, or Kahan-compensated with {@code u} recovered as new − old), which is why the
 * decoupled decay is part of the compensated update there. With proximal decay the sum is divided
 * here, unless the kernel divides after a compensated store ({@code divideInStore} false).
 */
public final class ParameterStoreFeature implements KernelFeature {
  private final Supplier<StepScalar> proximalDivisor;
  private final boolean divideInStore;

  public ParameterStoreFeature() {
    this(() -> null, true);
  }

  public ParameterStoreFeature(Supplier<StepScalar> proximalDivisor, boolean divideInStore) {
    this.proximalDivisor = proximalDivisor;
    this.divideInStore = divideInStore;
  }

  @Override
  public void plan(KernelPlan plan) {}

  @Override
  public void element(Stage stage, ElementLoop loop, KernelPlan plan) {
    if (stage == Stage.STORE_PARAM && loop.phase().changesParameter() && loop.update() != null) {
      Expr value = add(loop.parameter(), loop.update());
      StepScalar divisor = proximalDivisor.get();
      if (divisor != null && divideInStore) {
        value = div(value, divisor.ref());
      }
      loop.store(Buffer.PARAM, value);
    }
  }
}
