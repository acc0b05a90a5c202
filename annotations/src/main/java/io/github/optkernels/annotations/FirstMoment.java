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
   * PyTorch ≥ 2.0): {@code μ_t = β1·(1 − ½·0.96^(t·ψ))} with {@code ψ = momentumDecay},
   * {@code Π_t = μ_1···μ_t}, {@code m ← β1·m + (1 − β1)·g}, update numerator
   * {@code (1 − μ_t)/(1 − Π_t)·g + μ_{t+1}/(1 − Π_t·μ_{t+1})·m}.
   */
  NESTEROV
}
