package io.github.optkernels.examples.demo;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.optkernels.examples.Main;
import io.github.optkernels.examples.SixteenBitPath;
import io.github.optkernels.examples.variants.half.AdamWMixedKahanBf16Kernel;
import io.github.optkernels.runtime.FusedVectorLoops;
import io.github.optkernels.runtime.HalfArrays;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shortened demo, every part, end to end: the numbers in {@code summary.json}, the PNGs, the
 * printed lines. Short: 300,000 synthetic steps (AMSGrad reaches −1 after about 150,000), four
 * epochs, a 64K-element speed check.
 */
class DemoCommandTest {
  private static final long STEPS = 300_000;
  private static final int EPOCHS = 4;

  @TempDir static Path dir;
  private static String printed;
  private static JsonNode summary;

  @BeforeAll
  static void runTheDemo() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    DemoOptions options = new DemoOptions(EnumSet.allOf(Part.class), STEPS, EPOCHS, 1 << 16,
        dir.resolve("out"));
    DemoCommand.run(options, new Progress(out, false, 80, System::nanoTime), out);
    printed = bytes.toString(StandardCharsets.UTF_8);
    summary = new ObjectMapper().readTree(dir.resolve("out").resolve("summary.json").toFile());
  }

  @Test
  void adamSettlesAtTheWrongEndAndAmsgradAtTheOptimum() {
    JsonNode convergence = summary.get("convergence");
    assertThat(convergence.get("steps").asLong()).isEqualTo(STEPS);
    JsonNode adam = convergence.get("adam");
    JsonNode amsgrad = convergence.get("amsgrad");
    assertThat(adam.get("finalX").asDouble()).isGreaterThan(0.9);
    assertThat(adam.get("lastPeriodMinX").asDouble()).isGreaterThan(0.9);
    assertThat(amsgrad.get("lastPeriodMinX").asDouble()).isEqualTo(-1.0);
    assertThat(amsgrad.get("lastPeriodMaxX").asDouble()).isLessThan(-0.9);
    assertThat(adam.get("finalAverageRegret").asDouble())
        .isGreaterThan(amsgrad.get("finalAverageRegret").asDouble());
    int points = adam.get("step").size();
    assertThat(points).isAtLeast(100);
    assertThat(adam.get("x").size()).isEqualTo(points);
    assertThat(adam.get("averageRegret").size()).isEqualTo(points);
    assertThat(adam.get("step").get(points - 1).asLong()).isEqualTo(STEPS);
  }

  @Test
  void theFirstRectifiedStepOfEachBeta2() {
    JsonNode curves = summary.get("rectification").get("curves");
    assertThat(curves.size()).isEqualTo(7);
    for (JsonNode curve : curves) {
      double beta2 = curve.get("beta2").asDouble();
      if (beta2 <= 0.6) {
        assertWithMessage("beta2 %s", beta2).that(curve.has("firstRectifiedStep")).isFalse();
      } else {
        assertWithMessage("beta2 %s", beta2).that(curve.get("firstRectifiedStep").asInt())
            .isEqualTo(beta2 == 0.8 ? 7 : 6);
      }
    }
  }

  @Test
  void everyOptimizerWithAndWithoutWarmupLearnsTheDigits() {
    JsonNode mlp = summary.get("mlp");
    assertThat(mlp.get("epochs").asInt()).isEqualTo(EPOCHS);
    assertThat(mlp.get("trainExamples").asInt() + mlp.get("heldOutExamples").asInt()).isEqualTo(1797);
    JsonNode runs = mlp.get("runs");
    int configs = TrainingExperiment.configs().size(); // 12 in fp32; more with each precision
    assertThat(runs.size()).isEqualTo(configs);
    Set<String> seen = new HashSet<>();
    for (JsonNode run : runs) {
      String name = run.get("optimizer").asText() + "/" + run.get("warmup").asBoolean() + "/"
          + run.get("precision").asText();
      seen.add(name);
      JsonNode loss = run.get("trainLoss");
      assertThat(loss.size()).isEqualTo(EPOCHS + 1);
      assertWithMessage(name).that(run.get("finalTrainLoss").asDouble())
          .isLessThan(loss.get(0).asDouble() / 2);
      assertWithMessage(name).that(run.get("heldOutAccuracy").asDouble()).isGreaterThan(0.6);
    }
    assertThat(seen).hasSize(configs);
  }

  @Test
  void bf16WithKahanTrainsEveryOptimizerAboutAsWellAsFp32() {
    Map<String, JsonNode> fp32 = new HashMap<>();
    Map<String, JsonNode> bf16 = new HashMap<>();
    for (JsonNode run : summary.get("mlp").get("runs")) {
      String key = run.get("optimizer").asText() + "/" + run.get("warmup").asBoolean();
      switch (run.get("precision").asText()) {
        case "fp32" -> fp32.put(key, run);
        case "bf16+Kahan" -> bf16.put(key, run);
        default -> throw new AssertionError("unexpected precision in " + run);
      }
    }
    assertThat(fp32).hasSize(TrainedOptimizer.values().length * 2);
    assertThat(bf16.keySet()).isEqualTo(fp32.keySet());
    int heldOut = summary.get("mlp").get("heldOutExamples").asInt();
    for (Map.Entry<String, JsonNode> entry : bf16.entrySet()) {
      JsonNode run = entry.getValue();
      JsonNode twin = fp32.get(entry.getKey());
      // after 4 epochs the slowest starters (RAdam, AdaBelief: rectification) are at 83-89%
      assertWithMessage(entry.getKey()).that(run.get("heldOutAccuracy").asDouble())
          .isGreaterThan(0.8);
      // Kahan-compensated bf16 follows fp32 closely (measured: loss within 0.1%, accuracy
      // within one image); Adam with bf16 rounding and no compensation (AdamMixed) ends these
      // 4 epochs 6% above fp32's loss, so the bound tells the two apart
      assertWithMessage(entry.getKey()).that(run.get("finalTrainLoss").asDouble())
          .isWithin(0.02 * twin.get("finalTrainLoss").asDouble())
          .of(twin.get("finalTrainLoss").asDouble());
      assertWithMessage(entry.getKey()).that(run.get("heldOutAccuracy").asDouble())
          .isWithin(3.5 / heldOut).of(twin.get("heldOutAccuracy").asDouble());
    }
    assertThat(printed).contains("bf16+Kahan");
  }

  @Test
  void theSpeedCheckIsARatio() {
    JsonNode speed = summary.get("speed");
    assertThat(speed.get("elements").asInt()).isEqualTo(1 << 16);
    double ratio = speed.get("ratio").asDouble();
    assertThat(ratio).isWithin(1e-12).of(speed.get("generatedNsPerElement").asDouble()
        / speed.get("handWrittenNsPerElement").asDouble());
    assertThat(ratio).isGreaterThan(0.0);
  }

  @Test
  void everyPlotIsAPngAndTheSummaryListsIt() throws Exception {
    for (String name : new String[] {Plots.CONVERGENCE, Plots.RECTIFICATION, Plots.TRAINING_LOSS,
        Plots.HELD_OUT_ACCURACY}) {
      BufferedImage image = ImageIO.read(dir.resolve("out").resolve(name).toFile());
      assertWithMessage(name).that(image).isNotNull();
      assertWithMessage(name).that(image.getWidth()).isAtLeast(900);
      assertWithMessage(name).that(image.getHeight()).isAtLeast(500);
    }
    assertThat(Files.list(dir.resolve("out")).map(p -> p.getFileName().toString()).sorted().toList())
        .containsExactly("convergence.png", "mlp-accuracy.png", "mlp-loss.png",
            "rectification.png", "summary.json");
    assertThat(summary.get("files").size()).isEqualTo(5);
  }

  @Test
  void itSaysHowThe16BitKernelsRanInItsOutputAndInTheSummary() {
    String[] lines = printed.split("\n");
    assertThat(lines[0]).startsWith("optkernels demo: 5 parts");
    assertThat(lines[1]).isEqualTo(SixteenBitPath.current().line());
    assertThat(lines[1]).startsWith("16-bit kernels convert with ");
    JsonNode path = summary.get("setup").get("sixteenBitPath");
    assertThat(path.get("conversions").asText()).isEqualTo(HalfArrays.implementation());
    assertThat(path.get("vectorApi").asBoolean()).isEqualTo(HalfArrays.usesVectorApi());
    assertThat(path.get("fusedLoops").asBoolean()).isEqualTo(AdamWMixedKahanBf16Kernel.usesFusedLoops());
    assertThat(path.size()).isEqualTo(3);
  }

  /**
   * The path is chosen once per JVM, so both are run as a user would, in child JVMs (one short
   * part: the path line and summary come with every part): the demo names the path on its
   * standard output and in {@code summary.json}, and nothing is logged on standard error.
   */
  @Test
  void withoutTheVectorModuleItSaysPlainJavaAndWhyAndLogsNothing(@TempDir Path out) throws Exception {
    ChildDemo demo = childDemo(out, List.of());
    assertThat(demo.lines().get(1)).isEqualTo("16-bit kernels convert with plain Java "
        + "(jdk.incubator.vector is not enabled (start java with --add-modules jdk.incubator.vector "
        + "to use it)) and run block loops");
    assertThat(demo.path().get("vectorApi").asBoolean()).isFalse();
    assertThat(demo.path().get("fusedLoops").asBoolean()).isFalse();
    assertThat(demo.stderr()).isEmpty();
  }

  @Test
  void withTheVectorModuleItSaysTheVectorApiAndLogsNothing(@TempDir Path out) throws Exception {
    // fused loops forced on: by default JDK 17 on AVX-512 runs the block loops (FusedVectorLoops)
    ChildDemo demo = childDemo(out, List.of("--add-modules", "jdk.incubator.vector",
        "-D" + FusedVectorLoops.PROPERTY + "=true"));
    assertThat(demo.lines().get(1)).startsWith("16-bit kernels convert with the Vector API (");
    assertThat(demo.lines().get(1)).endsWith("-bit) and run fused Vector API loops");
    assertThat(demo.path().get("conversions").asText()).startsWith("the Vector API (");
    assertThat(demo.path().get("vectorApi").asBoolean()).isTrue();
    assertThat(demo.path().get("fusedLoops").asBoolean()).isTrue();
    // the JVM's own notice for an incubator module, and nothing of ours
    assertThat(demo.stderr().lines().toList())
        .containsExactly("WARNING: Using incubator modules: jdk.incubator.vector");
  }

  private record ChildDemo(List<String> lines, JsonNode path, String stderr) {}

  private static ChildDemo childDemo(Path out, List<String> jvmOptions) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "demo", "--parts", "rectification", "--out", out.resolve("demo").toString()));
    Path stderr = out.resolve("stderr.txt");
    Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    String stdout = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String errors = Files.readString(stderr);
    assertWithMessage(stdout + errors).that(child.waitFor()).isEqualTo(0);
    JsonNode setup = new ObjectMapper().readTree(out.resolve("demo").resolve("summary.json").toFile())
        .get("setup");
    return new ChildDemo(stdout.lines().toList(), setup.get("sixteenBitPath"), errors);
  }

  @Test
  void theDjlPartTrainsThroughDjlsTrainerAndSaysHowOptkernelsAgreesWithDjlsAdam() {
    JsonNode djl = summary.get("djl");
    assertThat(djl.get("losses").size()).isEqualTo(6);
    assertThat(djl.get("losses").get(0).get("optimizer").asText()).isEqualTo("DJL Adam");
    assertThat(djl.get("losses").get(1).get("losses").size()).isEqualTo(EPOCHS);
    assertThat(djl.get("adamAgreement").asDouble()).isLessThan(1e-5);
    assertThat(printed).contains("DJL's Adam and optkernels' DjlAdam agree to ");
    assertThat(djl.get("losses").get(4).get("optimizer").asText()).isEqualTo("optkernels DjlAdam bf16 + Kahan");
    assertThat(printed).contains("bf16 weights: DJL 0.36's PyTorch engine ends the JVM");
  }

  @Test
  void itPrintsPlainLinesEndingWithTheOutputFolder() {
    assertThat(printed).doesNotContain("\r");
    assertThat(printed).contains("AMSGrad  final x = -");
    assertThat(printed).contains("0.999");
    String[] lines = printed.split("\n");
    assertThat(lines[lines.length - 1]).contains(dir.resolve("out").toAbsolutePath().toString());
  }
}
