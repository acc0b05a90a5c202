package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.optkernels.runtime.CheckpointException.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The per-tensor scalars a kernel carries from step to step: saved by name (format 4) and loaded
 * back, loaded from a version-3 file (whose Π becomes {@code momentum_product}), refused when the
 * names do not match, declared consistently by the kernel, and the key of the cohort that shares
 * one prepared step.
 */
class CarriedValuesTest {
  @TempDir
  Path dir;

  private static NormScaledOptimizer normScaled() {
    NormScaledOptimizer optimizer = new NormScaledOptimizer();
    optimizer.setSchedule(LrSchedule.linearWarmup(5));
    optimizer.add(TestOptimizer.floats(9, 1), new float[9]);
    optimizer.add(TestOptimizer.floats(5000, 2), new float[5000]);
    return optimizer;
  }

  private static TestOptimizer nadamLike() {
    TestOptimizer optimizer = new TestOptimizer();
    optimizer.add(TestOptimizer.floats(9, 1), TestOptimizer.floats(9, 3));
    optimizer.add(TestOptimizer.doubles(7, 2), TestOptimizer.doubles(7, 4));
    return optimizer;
  }

  private static void fill(KernelOptimizer optimizer, int step) {
    for (KernelOptimizer.Tensor tensor : optimizer.tensors()) {
      if (tensor.grad instanceof float[]) {
        float[] g = TestOptimizer.floats(tensor.length, 100 + step);
        System.arraycopy(g, 0, tensor.grad, 0, g.length);
      } else {
        double[] g = TestOptimizer.doubles(tensor.length, 100 + step);
        System.arraycopy(g, 0, tensor.grad, 0, g.length);
      }
    }
  }

  /** Steps {@code steps} times, saves, steps twice more; loads the file into a fresh one, which must step alike. */
  private void resumesBitForBit(Supplier<KernelOptimizer> build, int version) throws IOException {
    KernelOptimizer original = build.get();
    for (int t = 1; t <= 3; t++) {
      fill(original, t);
      original.step();
    }
    Path file = dir.resolve("v" + version + ".ckpt");
    original.save(file);
    if (version == 3) {
      Files.write(file, OlderCheckpoints.asVersion3(Files.readAllBytes(file), 1.0));
    }
    KernelOptimizer resumed = build.get();
    resumed.load(file);
    for (KernelOptimizer.Tensor tensor : original.tensors()) {
      KernelOptimizer.Tensor loaded = resumed.tensors().get(tensor.index);
      assertArrayEquals(tensor.carried, loaded.carried, "tensor " + tensor.index);
      assertTrue(tensor.carried.length > 0);
      System.arraycopy(tensor.param, 0, loaded.param, 0, tensor.length);
    }
    for (int t = 4; t <= 5; t++) {
      fill(original, t);
      original.step();
      fill(resumed, t);
      resumed.step();
    }
    assertTrue(new Snapshot(resumed).sameAs(new Snapshot(original)), "version " + version);
  }

  @Test
  void carriedValuesSurviveAVersion4Checkpoint() throws IOException {
    resumesBitForBit(CarriedValuesTest::normScaled, 4);
    resumesBitForBit(CarriedValuesTest::nadamLike, 4);
    Path file = dir.resolve("named.ckpt");
    normScaled().save(file);
    String header = new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(header.contains("lr_max") && header.contains("weight_sum"), "saved by name");
  }

  @Test
  void aVersion3FilesProductBecomesMomentumProduct() throws IOException {
    resumesBitForBit(CarriedValuesTest::nadamLike, 3);
  }

  /** Loads {@code file} into {@code target} and expects a refusal naming {@code text}, with {@code target} unchanged. */
  private static void assertRefused(KernelOptimizer target, Path file, Problem problem, String text) {
    Snapshot before = new Snapshot(target);
    CheckpointException e = assertThrows(CheckpointException.class, () -> target.load(file));
    assertEquals(problem, e.problem(), e.getMessage());
    assertTrue(e.getMessage().contains(text), e.getMessage());
    before.assertUnchanged(target);
  }

  @Test
  void aVersion3FileCannotResumeAKernelThatCarriesOtherValues() throws IOException {
    NormScaledOptimizer saved = normScaled();
    saved.step();
    Path file = dir.resolve("v3.ckpt");
    saved.save(file);
    Files.write(file, OlderCheckpoints.asVersion3(Files.readAllBytes(file), 1.0));
    NormScaledOptimizer target = normScaled();
    target.step();
    assertRefused(target, file, Problem.SHAPE_MISMATCH, "tensor 0's kernel carries [lr_max, weight_sum] from step"
        + " to step, but a version-3 checkpoint holds only NAdam's momentum product");
  }

  @Test
  void aVersion3FileOfAKernelThatCarriesNothingHoldsOnlyPiOne() throws IOException {
    Supplier<TestOptimizer> build = () -> {
      TestOptimizer optimizer = TestOptimizer.withBits16(); // Bits16Kernel carries nothing
      optimizer.add(TestOptimizer.floats(6, 1), TestOptimizer.floats(6, 2));
      return optimizer;
    };
    TestOptimizer saved = build.get();
    saved.step();
    Path v4 = dir.resolve("v4.ckpt");
    saved.save(v4);
    Path v3 = dir.resolve("v3.ckpt");
    Files.write(v3, OlderCheckpoints.asVersion3(Files.readAllBytes(v4), 0.5));
    assertRefused(build.get(), v3, Problem.CORRUPTED, "tensor 0 momentum product 0.5 is not what this spec keeps");
    Files.write(v3, OlderCheckpoints.asVersion3(Files.readAllBytes(v4), 1.0));
    TestOptimizer target = build.get();
    target.load(v3);
    assertEquals(1, target.stepCount(target.tensors().get(0).param));
  }

  /** The test kernel with its carried value under another name. */
  private static final class Renamed extends KernelOptimizer {
    Renamed() {
      super(TestOptimizer.SPEC, TestOptimizer.H);
    }

    @Override
    protected StepKernel newKernel(Class<?> bufferType) {
      EmaKernel ema = new EmaKernel();
      return new StepKernel() {
        @Override
        public List<String> stateNames() {
          return ema.stateNames();
        }

        @Override
        public Class<?> bufferType() {
          return ema.bufferType();
        }

        @Override
        public List<Class<?>> stateTypes() {
          return ema.stateTypes();
        }

        @Override
        public List<String> carriedNames() {
          return List.of("product");
        }

        @Override
        public double[] carriedInitial() {
          return ema.carriedInitial();
        }

        @Override
        public void prepare(long step, double[] carried, HyperparameterValues h) {
          ema.prepare(step, carried, h);
        }

        @Override
        public StepPhase phase() {
          return ema.phase();
        }

        @Override
        public void carriedAfter(double[] out) {
          ema.carriedAfter(out);
        }

        @Override
        public void update(Object param, Object grad, Object[] state, int from, int to) {
          ema.update(param, grad, state, from, to);
        }
      };
    }
  }

  @Test
  void aFileWhoseCarriedNamesDifferFromTheKernelsIsRefusedNamingTheTensor() throws IOException {
    TestOptimizer saved = new TestOptimizer();
    saved.add(TestOptimizer.floats(4, 1), TestOptimizer.floats(4, 2));
    saved.step();
    Path file = dir.resolve("pi.ckpt");
    saved.save(file);
    Renamed target = new Renamed();
    target.add(TestOptimizer.floats(4, 1), TestOptimizer.floats(4, 2));
    target.step();
    target.step();
    assertRefused(target, file, Problem.SHAPE_MISMATCH,
        "tensor 0 carries momentum_product from step to step in the checkpoint, which its kernel here does not"
            + " (it carries [product])");
    Path other = dir.resolve("product.ckpt");
    target.save(other);
    TestOptimizer back = new TestOptimizer();
    back.add(TestOptimizer.floats(4, 1), TestOptimizer.floats(4, 2));
    assertRefused(back, other, Problem.SHAPE_MISMATCH, "tensor 0 carries product from step to step");
  }

  @Test
  void aKernelMustDeclareOneFiniteInitialValuePerNamedCarriedValue() {
    Object[][] cases = {
        {List.of("a", "b"), new double[] {1}, "declares carried values [a, b] but 1 initial values"},
        {List.of("a", "a"), new double[] {1, 1}, "each needs a non-empty name of its own"},
        {List.of(""), new double[] {1}, "each needs a non-empty name of its own"},
        {List.of("a"), new double[] {Double.NaN}, "initial a is NaN"},
    };
    for (Object[] c : cases) {
      @SuppressWarnings("unchecked")
      List<String> names = (List<String>) c[0];
      double[] initial = (double[]) c[1];
      KernelOptimizer optimizer = new KernelOptimizer(TestOptimizer.SPEC, TestOptimizer.H) {
        @Override
        protected StepKernel newKernel(Class<?> bufferType) {
          return new CountingKernel() {
            @Override
            public List<String> carriedNames() {
              return names;
            }

            @Override
            public double[] carriedInitial() {
              return initial;
            }
          };
        }
      };
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> optimizer.add(new double[3], new double[3]));
      assertTrue(e.getMessage().contains((String) c[2]), e.getMessage());
      assertEquals(0, optimizer.tensorCount());
    }
  }

  @Test
  void tensorsShareAPreparedStepOnlyWithBitwiseEqualCarriedValues() {
    TestOptimizer optimizer = new TestOptimizer();
    float[] a = TestOptimizer.floats(4, 1);
    float[] b = TestOptimizer.floats(4, 2);
    optimizer.add(a, new float[4]);
    optimizer.add(b, new float[4]);
    optimizer.step();
    assertEquals(1, optimizer.prepares()); // one group, one step count, equal Π: one prepare
    optimizer.restoreClock(b, 1, new double[] {0.5});
    optimizer.step();
    assertEquals(3, optimizer.prepares()); // Π differs: one each
    assertArrayEquals(new double[] {0.5 * 0.9}, optimizer.carriedValues(b));
    assertArrayEquals(new double[] {0.9 * 0.9}, optimizer.carriedValues(a));
    optimizer.restoreClock(b, 2, optimizer.carriedValues(a));
    optimizer.step();
    assertEquals(4, optimizer.prepares());
  }
}
