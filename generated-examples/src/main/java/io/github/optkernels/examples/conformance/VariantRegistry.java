package io.github.optkernels.examples.conformance;

import io.github.optkernels.examples.conformance.ConformanceCase.Dtype;
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
import io.github.optkernels.examples.variants.half.AMSGradMixed;
import io.github.optkernels.examples.variants.half.AMSGradMixedKahan;
import io.github.optkernels.examples.variants.half.AMSGradPure;
import io.github.optkernels.examples.variants.half.AMSGradPureKahan;
import io.github.optkernels.examples.variants.half.AdaBeliefAMSGradMixed;
import io.github.optkernels.examples.variants.half.AdaBeliefAMSGradMixedKahan;
import io.github.optkernels.examples.variants.half.AdaBeliefAMSGradPure;
import io.github.optkernels.examples.variants.half.AdaBeliefAMSGradPureKahan;
import io.github.optkernels.examples.variants.half.AdaBeliefAdamMixed;
import io.github.optkernels.examples.variants.half.AdaBeliefAdamMixedKahan;
import io.github.optkernels.examples.variants.half.AdaBeliefAdamPure;
import io.github.optkernels.examples.variants.half.AdaBeliefAdamPureKahan;
import io.github.optkernels.examples.variants.half.AdaBeliefMixed;
import io.github.optkernels.examples.variants.half.AdaBeliefMixedKahan;
import io.github.optkernels.examples.variants.half.AdaBeliefPure;
import io.github.optkernels.examples.variants.half.AdaBeliefPureKahan;
import io.github.optkernels.examples.variants.half.AdamMixed;
import io.github.optkernels.examples.variants.half.AdamMixedKahan;
import io.github.optkernels.examples.variants.half.AdamPure;
import io.github.optkernels.examples.variants.half.AdamPureKahan;
import io.github.optkernels.examples.variants.half.AdamWMixed;
import io.github.optkernels.examples.variants.half.AdamWMixedKahan;
import io.github.optkernels.examples.variants.half.AdamWPure;
import io.github.optkernels.examples.variants.half.AdamWPureKahan;
import io.github.optkernels.examples.variants.half.NAdamMixed;
import io.github.optkernels.examples.variants.half.NAdamMixedKahan;
import io.github.optkernels.examples.variants.half.NAdamPure;
import io.github.optkernels.examples.variants.half.NAdamPureKahan;
import io.github.optkernels.examples.variants.half.RAdamMixed;
import io.github.optkernels.examples.variants.half.RAdamMixedKahan;
import io.github.optkernels.examples.variants.half.RAdamNoSgdMixed;
import io.github.optkernels.examples.variants.half.RAdamNoSgdMixedKahan;
import io.github.optkernels.examples.variants.half.RAdamNoSgdPure;
import io.github.optkernels.examples.variants.half.RAdamNoSgdPureKahan;
import io.github.optkernels.examples.variants.half.RAdamPure;
import io.github.optkernels.examples.variants.half.RAdamPureKahan;
import io.github.optkernels.examples.variants.half.RAdamWFullyDecoupledMixed;
import io.github.optkernels.examples.variants.half.RAdamWFullyDecoupledMixedKahan;
import io.github.optkernels.examples.variants.half.RAdamWFullyDecoupledPure;
import io.github.optkernels.examples.variants.half.RAdamWFullyDecoupledPureKahan;
import io.github.optkernels.examples.rules.Adamax;
import io.github.optkernels.examples.rules.AdamaxMixed;
import io.github.optkernels.examples.rules.AdamaxMixedKahan;
import io.github.optkernels.examples.rules.AdamaxPure;
import io.github.optkernels.examples.rules.AdamaxPureKahan;
import io.github.optkernels.examples.rules.Adan;
import io.github.optkernels.examples.rules.AdanMixed;
import io.github.optkernels.examples.rules.AdanMixedKahan;
import io.github.optkernels.examples.rules.AdanPure;
import io.github.optkernels.examples.rules.AdanPureKahan;
import io.github.optkernels.examples.rules.Lamb;
import io.github.optkernels.examples.rules.LambMixed;
import io.github.optkernels.examples.rules.LambMixedKahan;
import io.github.optkernels.examples.rules.LambPure;
import io.github.optkernels.examples.rules.LambPureKahan;
import io.github.optkernels.examples.rules.ScheduleFreeAdamW;
import io.github.optkernels.examples.rules.ScheduleFreeAdamWMixed;
import io.github.optkernels.examples.rules.ScheduleFreeAdamWPure;
import io.github.optkernels.examples.rules.Lion;
import io.github.optkernels.examples.rules.LionMixed;
import io.github.optkernels.examples.rules.LionMixedKahan;
import io.github.optkernels.examples.rules.LionPure;
import io.github.optkernels.examples.rules.LionPureKahan;
import io.github.optkernels.examples.rules.SgdMomentum;
import io.github.optkernels.examples.rules.SgdMomentumMixed;
import io.github.optkernels.examples.rules.SgdMomentumMixedKahan;
import io.github.optkernels.examples.rules.SgdMomentumPure;
import io.github.optkernels.examples.rules.SgdMomentumPureKahan;
import io.github.optkernels.examples.rules.SgdNesterov;
import io.github.optkernels.examples.rules.SgdNesterovMixed;
import io.github.optkernels.examples.rules.SgdNesterovMixedKahan;
import io.github.optkernels.examples.rules.SgdNesterovPure;
import io.github.optkernels.examples.rules.SgdNesterovPureKahan;
import io.github.optkernels.runtime.Hyperparameter;
import io.github.optkernels.runtime.Hyperparameters;
import io.github.optkernels.runtime.KernelOptimizer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which generated optimizer runs each conformance case. Every entry goes through the optimizer's
 * public builder and its typed {@code add}, exactly as a user would.
 *
 * <p>float32 and float64 cases run the variant's spec ({@code variants/}). A 16-bit case runs one
 * of the variant's four 16-bit specs ({@code variants/half/}), chosen by the case's state dtype
 * (float32: {@code Mixed}, the parameter's: {@code Pure}) and Kahan flag, registered with
 * {@code addBf16} or {@code addFp16}: the spec generates both, and short[] alone cannot say which.
 */
public final class VariantRegistry {
  private static final Map<String, Function<Hyperparameters, KernelOptimizer>> FACTORIES = Map.ofEntries(
      Map.entry("lion", h -> Lion.builder().hyperparameters(h).build()),
      Map.entry("adamax", h -> Adamax.builder().hyperparameters(h).build()),
      Map.entry("sgd_momentum", h -> SgdMomentum.builder().hyperparameters(h).build()),
      Map.entry("sgd_nesterov", h -> SgdNesterov.builder().hyperparameters(h).build()),
      Map.entry("adan", h -> Adan.builder().hyperparameters(h).build()),
      Map.entry("lamb", h -> Lamb.builder().hyperparameters(h).build()),
      Map.entry("schedulefree_adamw", h -> ScheduleFreeAdamW.builder().hyperparameters(h).build()),
      Map.entry("adam", h -> Adam.builder().hyperparameters(h).build()),
      Map.entry("adamw", h -> AdamW.builder().hyperparameters(h).build()),
      Map.entry("amsgrad", h -> AMSGrad.builder().hyperparameters(h).build()),
      Map.entry("radam", h -> RAdam.builder().hyperparameters(h).build()),
      Map.entry("radam_nosgd", h -> RAdamNoSgd.builder().hyperparameters(h).build()),
      Map.entry("radamw_fully_decoupled", h -> RAdamWFullyDecoupled.builder().hyperparameters(h).build()),
      Map.entry("nadam", h -> NAdam.builder().hyperparameters(h).build()),
      Map.entry("adabelief", h -> AdaBelief.builder().hyperparameters(h).build()),
      Map.entry("adabelief_adam", h -> AdaBeliefAdam.builder().hyperparameters(h).build()),
      Map.entry("adabelief_amsgrad", h -> AdaBeliefAMSGrad.builder().hyperparameters(h).build()));

  /** A 16-bit optimizer's typed registration: {@code addBf16} or {@code addFp16}. */
  private interface Add<T extends KernelOptimizer> {
    T add(T optimizer, short[] param, short[] grad);
  }

  /** Builds a 16-bit optimizer and registers a case's buffers with the method for its dtype. */
  private interface HalfFactory {
    KernelOptimizer create(Hyperparameters h, boolean bf16, short[] param, short[] grad);
  }

  private static <T extends KernelOptimizer> HalfFactory half(Function<Hyperparameters, T> build,
      Add<T> addBf16, Add<T> addFp16) {
    return (h, bf16, param, grad) -> (bf16 ? addBf16 : addFp16).add(build.apply(h), param, grad);
  }

  /** Key: variant, then "pure" or "mixed" (moments in 16 bits or float32), then "kahan" or "plain". */
  private static final Map<String, HalfFactory> HALF = new HashMap<>();

  private static void register(String variant, String storage, HalfFactory factory) {
    HALF.put(variant + " " + storage, factory);
  }

  static {
    register("adam", "mixed kahan", half(h -> AdamMixedKahan.builder().hyperparameters(h).build(), AdamMixedKahan::addBf16, AdamMixedKahan::addFp16));
    register("adam", "mixed plain", half(h -> AdamMixed.builder().hyperparameters(h).build(), AdamMixed::addBf16, AdamMixed::addFp16));
    register("adam", "pure kahan", half(h -> AdamPureKahan.builder().hyperparameters(h).build(), AdamPureKahan::addBf16, AdamPureKahan::addFp16));
    register("adam", "pure plain", half(h -> AdamPure.builder().hyperparameters(h).build(), AdamPure::addBf16, AdamPure::addFp16));
    register("adamw", "mixed kahan", half(h -> AdamWMixedKahan.builder().hyperparameters(h).build(), AdamWMixedKahan::addBf16, AdamWMixedKahan::addFp16));
    register("adamw", "mixed plain", half(h -> AdamWMixed.builder().hyperparameters(h).build(), AdamWMixed::addBf16, AdamWMixed::addFp16));
    register("adamw", "pure kahan", half(h -> AdamWPureKahan.builder().hyperparameters(h).build(), AdamWPureKahan::addBf16, AdamWPureKahan::addFp16));
    register("adamw", "pure plain", half(h -> AdamWPure.builder().hyperparameters(h).build(), AdamWPure::addBf16, AdamWPure::addFp16));
    register("amsgrad", "mixed kahan", half(h -> AMSGradMixedKahan.builder().hyperparameters(h).build(), AMSGradMixedKahan::addBf16, AMSGradMixedKahan::addFp16));
    register("amsgrad", "mixed plain", half(h -> AMSGradMixed.builder().hyperparameters(h).build(), AMSGradMixed::addBf16, AMSGradMixed::addFp16));
    register("amsgrad", "pure kahan", half(h -> AMSGradPureKahan.builder().hyperparameters(h).build(), AMSGradPureKahan::addBf16, AMSGradPureKahan::addFp16));
    register("amsgrad", "pure plain", half(h -> AMSGradPure.builder().hyperparameters(h).build(), AMSGradPure::addBf16, AMSGradPure::addFp16));
    register("radam", "mixed kahan", half(h -> RAdamMixedKahan.builder().hyperparameters(h).build(), RAdamMixedKahan::addBf16, RAdamMixedKahan::addFp16));
    register("radam", "mixed plain", half(h -> RAdamMixed.builder().hyperparameters(h).build(), RAdamMixed::addBf16, RAdamMixed::addFp16));
    register("radam", "pure kahan", half(h -> RAdamPureKahan.builder().hyperparameters(h).build(), RAdamPureKahan::addBf16, RAdamPureKahan::addFp16));
    register("radam", "pure plain", half(h -> RAdamPure.builder().hyperparameters(h).build(), RAdamPure::addBf16, RAdamPure::addFp16));
    register("radam_nosgd", "mixed kahan", half(h -> RAdamNoSgdMixedKahan.builder().hyperparameters(h).build(), RAdamNoSgdMixedKahan::addBf16, RAdamNoSgdMixedKahan::addFp16));
    register("radam_nosgd", "mixed plain", half(h -> RAdamNoSgdMixed.builder().hyperparameters(h).build(), RAdamNoSgdMixed::addBf16, RAdamNoSgdMixed::addFp16));
    register("radam_nosgd", "pure kahan", half(h -> RAdamNoSgdPureKahan.builder().hyperparameters(h).build(), RAdamNoSgdPureKahan::addBf16, RAdamNoSgdPureKahan::addFp16));
    register("radam_nosgd", "pure plain", half(h -> RAdamNoSgdPure.builder().hyperparameters(h).build(), RAdamNoSgdPure::addBf16, RAdamNoSgdPure::addFp16));
    register("radamw_fully_decoupled", "mixed kahan", half(h -> RAdamWFullyDecoupledMixedKahan.builder().hyperparameters(h).build(), RAdamWFullyDecoupledMixedKahan::addBf16, RAdamWFullyDecoupledMixedKahan::addFp16));
    register("radamw_fully_decoupled", "mixed plain", half(h -> RAdamWFullyDecoupledMixed.builder().hyperparameters(h).build(), RAdamWFullyDecoupledMixed::addBf16, RAdamWFullyDecoupledMixed::addFp16));
    register("radamw_fully_decoupled", "pure kahan", half(h -> RAdamWFullyDecoupledPureKahan.builder().hyperparameters(h).build(), RAdamWFullyDecoupledPureKahan::addBf16, RAdamWFullyDecoupledPureKahan::addFp16));
    register("radamw_fully_decoupled", "pure plain", half(h -> RAdamWFullyDecoupledPure.builder().hyperparameters(h).build(), RAdamWFullyDecoupledPure::addBf16, RAdamWFullyDecoupledPure::addFp16));
    register("nadam", "mixed kahan", half(h -> NAdamMixedKahan.builder().hyperparameters(h).build(), NAdamMixedKahan::addBf16, NAdamMixedKahan::addFp16));
    register("nadam", "mixed plain", half(h -> NAdamMixed.builder().hyperparameters(h).build(), NAdamMixed::addBf16, NAdamMixed::addFp16));
    register("nadam", "pure kahan", half(h -> NAdamPureKahan.builder().hyperparameters(h).build(), NAdamPureKahan::addBf16, NAdamPureKahan::addFp16));
    register("nadam", "pure plain", half(h -> NAdamPure.builder().hyperparameters(h).build(), NAdamPure::addBf16, NAdamPure::addFp16));
    register("adabelief", "mixed kahan", half(h -> AdaBeliefMixedKahan.builder().hyperparameters(h).build(), AdaBeliefMixedKahan::addBf16, AdaBeliefMixedKahan::addFp16));
    register("adabelief", "mixed plain", half(h -> AdaBeliefMixed.builder().hyperparameters(h).build(), AdaBeliefMixed::addBf16, AdaBeliefMixed::addFp16));
    register("adabelief", "pure kahan", half(h -> AdaBeliefPureKahan.builder().hyperparameters(h).build(), AdaBeliefPureKahan::addBf16, AdaBeliefPureKahan::addFp16));
    register("adabelief", "pure plain", half(h -> AdaBeliefPure.builder().hyperparameters(h).build(), AdaBeliefPure::addBf16, AdaBeliefPure::addFp16));
    register("adabelief_adam", "mixed kahan", half(h -> AdaBeliefAdamMixedKahan.builder().hyperparameters(h).build(), AdaBeliefAdamMixedKahan::addBf16, AdaBeliefAdamMixedKahan::addFp16));
    register("adabelief_adam", "mixed plain", half(h -> AdaBeliefAdamMixed.builder().hyperparameters(h).build(), AdaBeliefAdamMixed::addBf16, AdaBeliefAdamMixed::addFp16));
    register("adabelief_adam", "pure kahan", half(h -> AdaBeliefAdamPureKahan.builder().hyperparameters(h).build(), AdaBeliefAdamPureKahan::addBf16, AdaBeliefAdamPureKahan::addFp16));
    register("adabelief_adam", "pure plain", half(h -> AdaBeliefAdamPure.builder().hyperparameters(h).build(), AdaBeliefAdamPure::addBf16, AdaBeliefAdamPure::addFp16));
    register("adabelief_amsgrad", "mixed kahan", half(h -> AdaBeliefAMSGradMixedKahan.builder().hyperparameters(h).build(), AdaBeliefAMSGradMixedKahan::addBf16, AdaBeliefAMSGradMixedKahan::addFp16));
    register("adabelief_amsgrad", "mixed plain", half(h -> AdaBeliefAMSGradMixed.builder().hyperparameters(h).build(), AdaBeliefAMSGradMixed::addBf16, AdaBeliefAMSGradMixed::addFp16));
    register("adabelief_amsgrad", "pure kahan", half(h -> AdaBeliefAMSGradPureKahan.builder().hyperparameters(h).build(), AdaBeliefAMSGradPureKahan::addBf16, AdaBeliefAMSGradPureKahan::addFp16));
    register("adabelief_amsgrad", "pure plain", half(h -> AdaBeliefAMSGradPure.builder().hyperparameters(h).build(), AdaBeliefAMSGradPure::addBf16, AdaBeliefAMSGradPure::addFp16));
  }

  static {
    register("lion", "mixed kahan", half(h -> LionMixedKahan.builder().hyperparameters(h).build(), LionMixedKahan::addBf16, LionMixedKahan::addFp16));
    register("lion", "mixed plain", half(h -> LionMixed.builder().hyperparameters(h).build(), LionMixed::addBf16, LionMixed::addFp16));
    register("lion", "pure kahan", half(h -> LionPureKahan.builder().hyperparameters(h).build(), LionPureKahan::addBf16, LionPureKahan::addFp16));
    register("lion", "pure plain", half(h -> LionPure.builder().hyperparameters(h).build(), LionPure::addBf16, LionPure::addFp16));
    register("adamax", "mixed kahan", half(h -> AdamaxMixedKahan.builder().hyperparameters(h).build(), AdamaxMixedKahan::addBf16, AdamaxMixedKahan::addFp16));
    register("adamax", "mixed plain", half(h -> AdamaxMixed.builder().hyperparameters(h).build(), AdamaxMixed::addBf16, AdamaxMixed::addFp16));
    register("adamax", "pure kahan", half(h -> AdamaxPureKahan.builder().hyperparameters(h).build(), AdamaxPureKahan::addBf16, AdamaxPureKahan::addFp16));
    register("adamax", "pure plain", half(h -> AdamaxPure.builder().hyperparameters(h).build(), AdamaxPure::addBf16, AdamaxPure::addFp16));
    register("sgd_momentum", "mixed kahan", half(h -> SgdMomentumMixedKahan.builder().hyperparameters(h).build(), SgdMomentumMixedKahan::addBf16, SgdMomentumMixedKahan::addFp16));
    register("sgd_momentum", "mixed plain", half(h -> SgdMomentumMixed.builder().hyperparameters(h).build(), SgdMomentumMixed::addBf16, SgdMomentumMixed::addFp16));
    register("sgd_momentum", "pure kahan", half(h -> SgdMomentumPureKahan.builder().hyperparameters(h).build(), SgdMomentumPureKahan::addBf16, SgdMomentumPureKahan::addFp16));
    register("sgd_momentum", "pure plain", half(h -> SgdMomentumPure.builder().hyperparameters(h).build(), SgdMomentumPure::addBf16, SgdMomentumPure::addFp16));
    register("sgd_nesterov", "mixed kahan", half(h -> SgdNesterovMixedKahan.builder().hyperparameters(h).build(), SgdNesterovMixedKahan::addBf16, SgdNesterovMixedKahan::addFp16));
    register("sgd_nesterov", "mixed plain", half(h -> SgdNesterovMixed.builder().hyperparameters(h).build(), SgdNesterovMixed::addBf16, SgdNesterovMixed::addFp16));
    register("sgd_nesterov", "pure kahan", half(h -> SgdNesterovPureKahan.builder().hyperparameters(h).build(), SgdNesterovPureKahan::addBf16, SgdNesterovPureKahan::addFp16));
    register("sgd_nesterov", "pure plain", half(h -> SgdNesterovPure.builder().hyperparameters(h).build(), SgdNesterovPure::addBf16, SgdNesterovPure::addFp16));
    register("adan", "mixed kahan", half(h -> AdanMixedKahan.builder().hyperparameters(h).build(), AdanMixedKahan::addBf16, AdanMixedKahan::addFp16));
    register("adan", "mixed plain", half(h -> AdanMixed.builder().hyperparameters(h).build(), AdanMixed::addBf16, AdanMixed::addFp16));
    register("adan", "pure kahan", half(h -> AdanPureKahan.builder().hyperparameters(h).build(), AdanPureKahan::addBf16, AdanPureKahan::addFp16));
    register("lamb", "mixed kahan", half(h -> LambMixedKahan.builder().hyperparameters(h).build(), LambMixedKahan::addBf16, LambMixedKahan::addFp16));
    register("lamb", "mixed plain", half(h -> LambMixed.builder().hyperparameters(h).build(), LambMixed::addBf16, LambMixed::addFp16));
    register("lamb", "pure kahan", half(h -> LambPureKahan.builder().hyperparameters(h).build(), LambPureKahan::addBf16, LambPureKahan::addFp16));
    register("lamb", "pure plain", half(h -> LambPure.builder().hyperparameters(h).build(), LambPure::addBf16, LambPure::addFp16));
    register("schedulefree_adamw", "mixed plain", half(h -> ScheduleFreeAdamWMixed.builder().hyperparameters(h).build(), ScheduleFreeAdamWMixed::addBf16, ScheduleFreeAdamWMixed::addFp16));
    register("schedulefree_adamw", "pure plain", half(h -> ScheduleFreeAdamWPure.builder().hyperparameters(h).build(), ScheduleFreeAdamWPure::addBf16, ScheduleFreeAdamWPure::addFp16));
    register("adan", "pure plain", half(h -> AdanPure.builder().hyperparameters(h).build(), AdanPure::addBf16, AdanPure::addFp16));
  }

  /**
   * The hyperparameters each family written as a rule declares beyond the built-in ones (every
   * generated class of a family declares the same ones, equal by name and domain).
   */
  private static final Map<String, List<Hyperparameter>> DECLARED = Map.of(
      "sgd_momentum", List.of(SgdMomentum.MOMENTUM, SgdMomentum.DAMPENING),
      "sgd_nesterov", List.of(SgdNesterov.MOMENTUM, SgdNesterov.DAMPENING),
      "adan", List.of(Adan.BETA3),
      "schedulefree_adamw", List.of(ScheduleFreeAdamW.WARMUP_STEPS, ScheduleFreeAdamW.R,
          ScheduleFreeAdamW.WEIGHT_LR_POWER));

  private VariantRegistry() {}

  /** Whether a generated optimizer runs {@code variant}'s cases at all. */
  public static boolean knows(String variant) {
    return FACTORIES.containsKey(variant);
  }

  /**
   * A new float/double optimizer for {@code variant} with hyperparameters {@code h} and no tensors
   * yet, if the variant is known.
   */
  public static Optional<KernelOptimizer> create(String variant, Hyperparameters h) {
    Function<Hyperparameters, KernelOptimizer> factory = FACTORIES.get(variant);
    return factory == null ? Optional.empty() : Optional.of(factory.apply(h));
  }

  /**
   * A new optimizer for case {@code c} with hyperparameters {@code h}, with {@code param} and
   * {@code grad} (arrays of the case's dtype: short[] for 16-bit cases) registered; empty if no
   * generated optimizer stores what the case asks for.
   */
  public static Optional<KernelOptimizer> create(ConformanceCase c, Hyperparameters h, Object param, Object grad) {
    Dtype dtype = c.dtype();
    if (dtype == Dtype.FLOAT32 || dtype == Dtype.FLOAT64) {
      if (c.stateDtype() != dtype || c.kahan()) {
        return Optional.empty();
      }
      return create(c.variant(), h).map(optimizer -> optimizer.add(param, grad));
    }
    String moments = c.stateDtype() == Dtype.FLOAT32 ? "mixed" : c.stateDtype() == dtype ? "pure" : null;
    HalfFactory factory = HALF.get(c.variant() + " " + moments + " " + (c.kahan() ? "kahan" : "plain"));
    if (factory == null) {
      return Optional.empty();
    }
    return Optional.of(factory.create(h, dtype == Dtype.BFLOAT16, (short[]) param, (short[]) grad));
  }

  /**
   * A case's hyperparameters as the runtime takes them. Keys a case does not give keep the value
   * that has no effect: no weight decay, no {@code max_lr}, NAdam's default ψ.
   */
  public static Hyperparameters hyperparameters(ConformanceCase c) {
    Map<String, Double> hyper = c.hyper();
    List<Hyperparameter> declared = DECLARED.getOrDefault(c.variant(), List.of());
    // a family without betas or eps (SGD, Lion) ignores them: any value in their domain will do
    Hyperparameters.Builder builder = Hyperparameters.builder(declared)
        .set(Hyperparameter.LR, hyper.get("lr"))
        .set(Hyperparameter.BETA1, hyper.getOrDefault("beta1", 0.9))
        .set(Hyperparameter.BETA2, hyper.getOrDefault("beta2", 0.999))
        .set(Hyperparameter.EPS, hyper.getOrDefault("eps", 1e-8))
        .set(Hyperparameter.EPS_ROOT, 0.0)
        .set(Hyperparameter.WEIGHT_DECAY, hyper.getOrDefault("weight_decay", 0.0))
        .set(Hyperparameter.MAX_LR, hyper.getOrDefault("max_lr", Double.NaN))
        .set(Hyperparameter.MOMENTUM_DECAY, hyper.getOrDefault("momentum_decay", 0.004))
        .set(Hyperparameter.VARIANCE_WARMUP_STEPS, 0);
    for (Hyperparameter h : declared) {
      String key = snakeCase(h.name());
      Double value = hyper.get(key);
      if (value == null) {
        throw new IllegalArgumentException(c.name() + ": no hyper field " + key + " for " + c.variant());
      }
      builder.set(h, value);
    }
    return builder.build();
  }

  /** {@code weightLrPower} → {@code weight_lr_power}: how the case files name hyperparameters. */
  private static String snakeCase(String name) {
    return name.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT);
  }

}
