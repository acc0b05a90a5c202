package io.github.optkernels.examples.demo;

/**
 * Linear learning-rate warm-up: lr_t = peak · min(1, t / warmupSteps) for step t = 1, 2, ...,
 * then the peak. The runtime has no schedule objects yet (the runtime issue adds them), so the
 * demo applies this itself, calling {@code optimizer.setLr(lrAt(t))} before each step.
 */
record LinearWarmup(double peakLr, long warmupSteps) {
  LinearWarmup {
    if (!(peakLr >= 0) || warmupSteps < 0) {
      throw new IllegalArgumentException("peakLr " + peakLr + ", warmupSteps " + warmupSteps);
    }
  }

  /** No warm-up: the peak from the first step. */
  static LinearWarmup none(double lr) {
    return new LinearWarmup(lr, 0);
  }

  /** The learning rate of step {@code t}, counting from 1. */
  double lrAt(long t) {
    return t >= warmupSteps ? peakLr : peakLr * t / warmupSteps;
  }
}
