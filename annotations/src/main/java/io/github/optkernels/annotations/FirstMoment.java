package io.github.optkernels.annotations;

/** How the first moment {@code m} enters the parameter update. */
public enum FirstMoment {
  /**
   * Plain exponential moving average (Adam):
   * {@code m ← β1·m + (1 − β1)·g}, update numerator {@code m̂ = m / (1 − β1^t)}.
   */
  EMA,

  /**
   * NAdam's Nesterov momentum with the momentum-decay schedule ({@code torch.optim.NAdam},
   * PyTorch ≥ 2.0): {@code μ_τ = β1·(1 − ½·0.96^(τ·ψ))} with {@code ψ = momentumDecay},
   * {@code Π_τ = μ_1···μ_τ}, {@code m ← β1·m + (1 − β1)·g}, update numerator
   * {@code (1 − μ_τ)/(1 − Π_τ)·g + μ_{τ+1}/(1 − Π_τ·μ_{τ+1})·m}. {@code τ} counts momentum
   * steps: {@code τ = t} unless an Adam-2k warm-up precedes them.
   */
  NESTEROV
}
