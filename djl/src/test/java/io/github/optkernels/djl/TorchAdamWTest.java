package io.github.optkernels.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.optkernels.djl.specs.DjlAdamW;
import io.github.optkernels.djl.specs.TorchAdamW;
import io.github.optkernels.runtime.BufferFormat;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.OffHeap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The PyTorch-exact spec {@code TorchAdamW} through the DJL optimizer, on engine tensors: the
 * project's conformance trajectories of {@code torch.optim.AdamW} (a float64 reference
 * cross-checked against PyTorch), every step within the case's own tolerance, in float32 and
 * float64; DJL's AdamW, held to the same trajectory, leaves it.
 */
class TorchAdamWTest {
  private static final Path CASES = Path.of("..", "generated-examples", "src", "test", "resources", "conformance", "cases");

  @Test
  void float32TrajectoryOfTorchAdamWWithDecay() throws IOException {
    run("adamw__f32__n67_t30_wd");
  }

  @Test
  void float64TrajectoryOfTorchAdamW() throws IOException {
    run("adamw__f64__n7_t100_default");
  }

  /** DJL's AdamW (ε on the raw √v) is another trajectory: it leaves the tolerance of torch's. */
  @Test
  void djlsAdamWIsNotTorchsAdamW() throws IOException {
    AssertionError e = assertThrows(AssertionError.class, () -> run("adamw__f64__n7_t100_default", true));
    assertTrue(e.getMessage().contains("torch.optim.AdamW"), e.getMessage());
  }

  private static void run(String name) throws IOException {
    run(name, false);
  }

  private static void run(String name, boolean djlsAdamW) throws IOException {
    String json = Files.readString(CASES.resolve(name + ".json"));
    boolean single = json.contains("\"dtype\": \"float32\"");
    double[] p0 = numbers(array(json, "p0"));
    List<double[]> grads = rows(array(json, "grads"));
    List<double[]> expected = rows(array(json.substring(json.indexOf("\"expected\"")), "params"));
    String tolerance = json.substring(json.indexOf("\"tolerance\""));
    double abs = number(tolerance, "abs");
    double rel = number(tolerance, "rel");
    String hyper = json.substring(json.indexOf("\"hyper\""));
    KernelOptimizer spec = djlsAdamW
        ? DjlAdamW.builder().lr(number(hyper, "lr")).beta1(number(hyper, "beta1")).beta2(number(hyper, "beta2"))
            .eps(number(hyper, "eps")).weightDecay(number(hyper, "weight_decay")).build()
        : TorchAdamW.builder().lr(number(hyper, "lr")).beta1(number(hyper, "beta1")).beta2(number(hyper, "beta2"))
            .eps(number(hyper, "eps")).weightDecay(number(hyper, "weight_decay")).build();
    OptkernelsOptimizer djl = OptkernelsOptimizer.of(spec);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray weight = single ? manager.create(floats(p0)) : manager.create(p0);
      for (int step = 0; step < grads.size(); step++) {
        try (NDArray grad = single ? manager.create(floats(grads.get(step))) : manager.create(grads.get(step))) {
          djl.update("w", weight, grad);
        }
        double[] got = single ? doubles(weight.toFloatArray()) : weight.toDoubleArray();
        double[] want = expected.get(step);
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
          double limit = abs + rel * Math.abs(want[i]);
          assertTrue(Math.abs(got[i] - want[i]) <= limit, name + " step " + (step + 1) + " element " + i + ": " + got[i]
              + ", torch.optim.AdamW " + want[i] + " (tolerance " + limit + ")");
        }
      }
      assertTrue(djl.writesThroughView("w", weight.getDevice()));
      // in place, float64 as float32, wherever the runtime steps off-heap memory in place (JDK 22+
      // with the Vector API, which this module's tests run with): the loops over native memory
      // held to torch's trajectory here
      BufferFormat format = single ? BufferFormat.FLOAT32 : BufferFormat.FLOAT64;
      assertEquals(OffHeap.segmentLoops().startsWith("in place"), OffHeap.stepsInPlace(spec, format), format.name());
      assertEquals(OffHeap.stepsInPlace(spec, format), djl.steppedInPlace("w", weight.getDevice()), format.name());
    }
  }

  /** The text of the JSON array after {@code "key":}, brackets included. */
  private static String array(String json, String key) {
    int start = json.indexOf('[', json.indexOf("\"" + key + "\""));
    int depth = 0;
    for (int i = start; i < json.length(); i++) {
      char c = json.charAt(i);
      depth += c == '[' ? 1 : c == ']' ? -1 : 0;
      if (depth == 0) {
        return json.substring(start, i + 1);
      }
    }
    throw new IllegalArgumentException("unterminated array " + key);
  }

  private static List<double[]> rows(String nested) {
    List<double[]> rows = new ArrayList<>();
    Matcher row = Pattern.compile("\\[([^\\[\\]]*)\\]").matcher(nested.substring(1, nested.length() - 1));
    while (row.find()) {
      rows.add(numbers("[" + row.group(1) + "]"));
    }
    return rows;
  }

  private static double[] numbers(String flat) {
    String[] cells = flat.substring(1, flat.length() - 1).split(",");
    double[] values = new double[cells.length];
    for (int i = 0; i < cells.length; i++) {
      values[i] = Double.parseDouble(cells[i].trim());
    }
    return values;
  }

  private static double number(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*([-0-9.eE+]+)").matcher(json);
    if (!m.find()) {
      throw new IllegalArgumentException("no " + key);
    }
    return Double.parseDouble(m.group(1));
  }

  private static float[] floats(double[] values) {
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    return f;
  }

  private static double[] doubles(float[] values) {
    double[] d = new double[values.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = values[i];
    }
    return d;
  }
}
