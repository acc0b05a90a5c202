/**
 * The ten named variants with bf16 and fp16 parameters. The conformance set runs every variant with
 * float32 or 16-bit moments and with Kahan compensation on or off; a spec fixes one of each, so
 * every variant has four nested specs here, named {@code <Variant>MixedKahan} (float32 moments,
 * Kahan: what a spec with 16-bit precisions gets by default), {@code <Variant>Mixed},
 * {@code <Variant>PureKahan} and {@code <Variant>Pure} (16-bit moments). {@code AdamStochasticSpec}
 * rounds stochastically instead of compensating.
 */
package io.github.optkernels.examples.variants.half;
