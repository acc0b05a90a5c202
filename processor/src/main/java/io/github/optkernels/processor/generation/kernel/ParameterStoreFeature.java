package io.github.optkernels.processor.generation.kernel;

import static io.github.optkernels.processor.generation.ir.Expr.add;

import io.github.optkernels.processor.generation.ir.Buffer;
import io.github.optkernels.processor.generation.ir.ElementLoop;

/**
 * Writes the parameter once per element: the decayed parameter plus the step's update. In a
 * 16-bit kernel this is the float32 block; the block's store then rounds it (nearest even,
 * stochastically, or Kahan-compensated with {@code u} recovered as new − old), which is why the
 * decoupled decay is part of the compensated update there.
 */
public final class ParameterStoreFeature implements KernelFeature {

  @Override
  public void plan(KernelPlan plan) {}

  @Override
  public void element(Stage stage, ElementLoop loop, KernelPlan plan) {
    if (stage == Stage.STORE_PARAM && loop.phase().changesParameter()) {
      loop.store(Buffer.PARAM, add(loop.parameter(), loop.update()));
    }
  }
}
