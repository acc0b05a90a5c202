package io.github.optkernels.annotations;

/** When a step counts as rectified; implementations differ at exactly {@code ρ_t = 5}. */
public enum RectifyThreshold {
  /** Rectified when {@code ρ_t > 5} ({@code torch.optim.RAdam}, optimi). */
  RHO_ABOVE_5,

  /** Rectified when {@code ρ_t ≥ 5} (official RAdam code, adabelief-pytorch, labml). */
  RHO_AT_LEAST_5
}
