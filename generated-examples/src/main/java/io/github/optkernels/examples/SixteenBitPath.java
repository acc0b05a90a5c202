package io.github.optkernels.examples;

import io.github.optkernels.examples.variants.half.AdamWMixedKahanBf16Kernel;
import io.github.optkernels.runtime.FusedVectorLoops;
import io.github.optkernels.runtime.HalfArrays;

/**
 * How this JVM runs the generated 16-bit kernels, as the jar's commands print it (the
 * {@code demo} and {@code conformance} headers, {@code loop-check}) and the demo's
 * {@code summary.json} records it: the runtime's block conversions ({@link HalfArrays}) and
 * whether the kernels run their fused Vector API loops. The runtime decides this once per JVM and
 * only logs it at DEBUG, so the commands say it themselves.
 *
 * @param conversions {@link HalfArrays#implementation()}: the Vector API, or plain Java and why
 * @param vectorApi {@link HalfArrays#usesVectorApi()}
 * @param fusedLoops whether the kernels run their fused Vector API loops (every 16-bit kernel in
 *     this module is compiled with them; one stands for all)
 */
public record SixteenBitPath(String conversions, boolean vectorApi, boolean fusedLoops) {

  /** This JVM's path. */
  public static SixteenBitPath current() {
    return new SixteenBitPath(HalfArrays.implementation(), HalfArrays.usesVectorApi(),
        AdamWMixedKahanBf16Kernel.usesFusedLoops());
  }

  /**
   * One line, e.g. {@code "16-bit kernels convert with the Vector API (256-bit) and run fused
   * Vector API loops"}, or {@code "16-bit kernels convert with plain Java (jdk.incubator.vector is
   * not enabled (...)) and run block loops"}.
   */
  public String line() {
    String loops;
    if (fusedLoops) {
      loops = "fused Vector API loops";
    } else if (!vectorApi) {
      loops = "block loops";
    } else if (!FusedVectorLoops.enabled()) {
      loops = FusedVectorLoops.status();
    } else {
      loops = "block loops (the fused loops could not be loaded; see the warning logged)";
    }
    return "16-bit kernels convert with " + conversions + " and run " + loops;
  }
}
