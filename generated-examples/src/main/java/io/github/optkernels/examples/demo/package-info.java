/**
 * The {@code demo} command: what the generated optimizers do, in pictures and a
 * {@code summary.json}.
 *
 * <ul>
 *   <li>{@link io.github.optkernels.examples.demo.ConvergenceExperiment}: Adam's convergence
 *       failure on Reddi et al.'s synthetic problem, against AMSGrad.
 *   <li>{@link io.github.optkernels.examples.demo.RectificationExperiment}: RAdam's r_t, read from
 *       the generated kernel.
 *   <li>{@link io.github.optkernels.examples.demo.TrainingExperiment}: a hand-written
 *       {@link io.github.optkernels.examples.demo.Mlp} on the shipped
 *       {@link io.github.optkernels.examples.demo.Digits}, one run per optimizer × warm-up ×
 *       {@link io.github.optkernels.examples.demo.Precision}.
 *   <li>{@link io.github.optkernels.examples.demo.SpeedCheck}: generated vs hand-written AdamW.
 * </ul>
 *
 * {@link io.github.optkernels.examples.demo.DemoCommand} runs them with a
 * {@link io.github.optkernels.examples.demo.Progress} bar; {@code Plots} draws the PNGs (XChart)
 * and {@code Report} prints the tables. Every optimizer is used through its generated public API
 * (builder, {@code add}, {@code step}, {@code setLr}), as a user would.
 */
package io.github.optkernels.examples.demo;
