package io.github.optkernels.examples.conformance;

import io.github.optkernels.examples.variants.AMSGrad;
import io.github.optkernels.examples.variants.AdaBelief;
import io.github.optkernels.examples.variants.AdaBeliefAMSGrad;
import io.github.optkernels.examples.variants.AdaBeliefAdam;
import io.github.optkernels.examples.variants.Adam;
import io.github.optkernels.examples.variants.AdamW;
import io.github.optkernels.examples.variants.NAdam;
import io.github.optkernels.examples.variants.RAdam;
import io.github.optkernels.examples.variants.RAdamNoSgd;
import io.github.optkernels.examples.variants.RAdamWFullyDecoupled;
import io.github.optkernels.runtime.Hyperparameters;
import io.github.optkernels.runtime.KernelOptimizer;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which generated optimizer runs each conformance variant. Every entry goes through the
 * optimizer's public builder, exactly as a user would build it.
 */
public final class VariantRegistry {
  private static final Map<String, Function<Hyperparameters, KernelOptimizer>> FACTORIES = Map.of(
      "adam", h -> Adam.builder().hyperparameters(h).build(),
      "adamw", h -> AdamW.builder().hyperparameters(h).build(),
      "amsgrad", h -> AMSGrad.builder().hyperparameters(h).build(),
      "radam", h -> RAdam.builder().hyperparameters(h).build(),
      "radam_nosgd", h -> RAdamNoSgd.builder().hyperparameters(h).build(),
      "radamw_fully_decoupled", h -> RAdamWFullyDecoupled.builder().hyperparameters(h).build(),
      "nadam", h -> NAdam.builder().hyperparameters(h).build(),
      "adabelief", h -> AdaBelief.builder().hyperparameters(h).build(),
      "adabelief_adam", h -> AdaBeliefAdam.builder().hyperparameters(h).build(),
      "adabelief_amsgrad", h -> AdaBeliefAMSGrad.builder().hyperparameters(h).build());

  private VariantRegistry() {}

  /** A new optimizer for {@code variant} with hyperparameters {@code h}, if the variant is known. */
  public static Optional<KernelOptimizer> create(String variant, Hyperparameters h) {
    Function<Hyperparameters, KernelOptimizer> factory = FACTORIES.get(variant);
    return factory == null ? Optional.empty() : Optional.of(factory.apply(h));
  }

  /**
   * A case's hyperparameters as the runtime takes them. Keys a case does not give keep the value
   * that has no effect: no weight decay, no {@code max_lr}, NAdam's default ψ.
   */
  public static Hyperparameters hyperparameters(ConformanceCase c) {
    Map<String, Double> hyper = c.hyper();
    return new Hyperparameters(hyper.get("lr"), hyper.get("beta1"), hyper.get("beta2"),
        hyper.get("eps"), 0.0, hyper.getOrDefault("weight_decay", 0.0),
        hyper.getOrDefault("max_lr", Double.NaN), hyper.getOrDefault("momentum_decay", 0.004), 0);
  }
}
