package io.github.optkernels.processor.generation.ir;

import static com.google.common.truth.Truth.assertThat;
import static io.github.optkernels.processor.generation.ir.Expr.add;
import static io.github.optkernels.processor.generation.ir.Expr.compare;
import static io.github.optkernels.processor.generation.ir.Expr.constant;
import static io.github.optkernels.processor.generation.ir.Expr.div;
import static io.github.optkernels.processor.generation.ir.Expr.max;
import static io.github.optkernels.processor.generation.ir.Expr.min;
import static io.github.optkernels.processor.generation.ir.Expr.mul;
import static io.github.optkernels.processor.generation.ir.Expr.neg;
import static io.github.optkernels.processor.generation.ir.Expr.select;
import static io.github.optkernels.processor.generation.ir.Expr.sqrt;
import static io.github.optkernels.processor.generation.ir.Expr.sub;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import io.github.optkernels.processor.generation.vector.LaneType;
import io.github.optkernels.processor.model.Phase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Every node kind of the kernel IR, and every operation of each, through the three printers: one
 * element loop that uses all of them is printed as a scalar Java loop and as a fused Vector API
 * loop, both are compiled (javac, with {@code jdk.incubator.vector}) and run on the same inputs,
 * special values included, and must store the same bits; the doc printer states each operation.
 * A node kind or operation added to the IR without a case here fails {@link #theLoopUsesEveryKind}.
 */
class IrPrintersTest {
  private static final Buffer A = Buffer.PARAM;
  private static final Buffer B = Buffer.GRAD;
  private static final Buffer C = Buffer.state("exp_avg");
  private static final StepScalar S = new StepScalar("s", "a per-step scalar");

  /** One loop using every node kind and operation that an element loop may hold. */
  private static ElementLoop everyKind() {
    ElementLoop loop = new ElementLoop(Phase.ADAPTIVE);
    Var x = loop.let("x", new Expr.Load(B));
    Var y = loop.let("y", new Expr.Load(A));
    Var sum = loop.let("sum", add(mul(x, constant(0.5)), S.ref()));
    Var difference = loop.let("difference", sub(sum, div(x, S.ref())));
    Var scalarOnly = loop.let("scalarOnly", sub(constant(1), mul(S.ref(), S.ref())));
    Var leftScalar = loop.let("leftScalar", div(scalarOnly, y));
    Var root = loop.let("root", sqrt(new Expr.Unary(Expr.Unary.Op.ABS, neg(difference))));
    Var sign = loop.let("sign", new Expr.Unary(Expr.Unary.Op.SIGN, x));
    Var low = loop.let("low", min(x, S.ref()));
    Var high = loop.let("high", max(S.ref(), y));
    Var fused = loop.let("fused", new Expr.Fma(x, S.ref(), difference));
    Var fusedScalars = loop.let("fusedScalars", new Expr.Fma(S.ref(), S.ref(), y));
    Var fusedSwapped = loop.let("fusedSwapped", new Expr.Fma(S.ref(), y, S.ref()));
    List<Var> flags = new ArrayList<>();
    for (Expr.Compare.Op op : Expr.Compare.Op.values()) {
      flags.add(loop.let("vs" + op, compare(op, x, y)));
      flags.add(loop.let("sv" + op, compare(op, S.ref(), x)));
    }
    Expr chosen = constant(0);
    for (Var flag : flags) {
      // each comparison decides a lane: the stored value shows every mask
      chosen = add(mul(chosen, constant(2)), select(flag, constant(1), constant(0)));
    }
    Var scalarFlag = loop.let("scalarFlag", compare(Expr.Compare.Op.GT, S.ref(), constant(0)));
    loop.store(C, add(chosen, select(scalarFlag, low, high)));
    loop.store(A, add(add(add(root, sign), add(fused, fusedScalars)), add(fusedSwapped, leftScalar)));
    loop.store(B, select(flags.get(4), x, S.ref()));
    return loop;
  }

  @Test
  void theLoopUsesEveryKind() {
    Set<Class<?>> kinds = new HashSet<>();
    Set<Enum<?>> operations = new HashSet<>();
    for (Statement statement : everyKind().statements()) {
      Expr value = statement instanceof Statement.Let let ? let.value() : ((Statement.Store) statement).value();
      Exprs.visit(value, node -> {
        kinds.add(node.getClass());
        if (node instanceof Expr.Unary unary) {
          operations.add(unary.op());
        } else if (node instanceof Expr.Binary binary) {
          operations.add(binary.op());
        } else if (node instanceof Expr.Compare compare) {
          operations.add(compare.op());
        }
      });
    }
    Set<Class<?>> elementKinds = new HashSet<>(List.of(Expr.class.getPermittedSubclasses()));
    elementKinds.remove(Expr.Hyper.class); // per-step only: ElementLoop refuses it
    assertThat(kinds).containsExactlyElementsIn(elementKinds);
    Set<Enum<?>> all = new HashSet<>();
    all.addAll(EnumSet.allOf(Expr.Unary.Op.class));
    all.addAll(EnumSet.complementOf(EnumSet.of(Expr.Binary.Op.POW))); // per-step only
    all.addAll(EnumSet.allOf(Expr.Compare.Op.class));
    assertThat(operations).containsExactlyElementsIn(all);
  }

  @Test
  void scalarAndVectorLoopsStoreTheSameBits() throws Exception {
    ElementLoop loop = everyKind();
    LocalNames scalarNames = names();
    JavaPrinter java = new JavaPrinter(TypeName.FLOAT, scalarNames::of);
    CodeBlock.Builder scalarBody = CodeBlock.builder();
    for (Statement statement : loop.statements()) {
      scalarBody.add(java.statement(statement));
    }
    LocalNames vectorNames = names();
    VectorPrinter vector = new VectorPrinter(LaneType.FLOAT, vectorNames::of, vectorNames::fresh);
    CodeBlock.Builder vectorBody = CodeBlock.builder();
    for (Buffer buffer : loop.reads()) {
      vectorBody.addStatement("FloatVector $N = FloatVector.fromArray(F, $NStored, i)", buffer.name(), buffer.name());
    }
    for (Statement statement : loop.statements()) {
      vectorBody.add(vector.statement(statement));
    }
    for (Map.Entry<Buffer, String> store : vector.stores().entrySet()) {
      vectorBody.addStatement("$N.intoArray($NStored, i)", store.getValue(), store.getKey().name());
    }
    String source = "package ir;\n"
        + "import jdk.incubator.vector.*;\n"
        + "public final class Loops {\n"
        + "  static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;\n"
        + "  public static void scalar(float[] param, float[] grad, float[] expAvg, float s, int n) {\n"
        + "    for (int i = 0; i < n; i++) {\n" + scalarBody.build() + "    }\n  }\n"
        + "  public static void vector(float[] paramStored, float[] gradStored, float[] expAvgStored, float s, int n) {\n"
        + "    for (int i = 0; i < n; i += F.length()) {\n" + vectorBody.build() + "    }\n  }\n"
        + "}\n";
    Compilation compilation = Compiler.javac()
        .withOptions("--add-modules", "jdk.incubator.vector")
        .compile(JavaFileObjects.forSourceString("ir.Loops", source));
    assertThat(compilation.errors()).isEmpty();
    Class<?> loops = load(compilation).loadClass("ir.Loops");
    Method scalar = loops.getMethod("scalar", float[].class, float[].class, float[].class, float.class, int.class);
    Method vectorized = loops.getMethod("vector", float[].class, float[].class, float[].class, float.class, int.class);

    float[] specials = {0f, -0f, 1f, -1f, 0.5f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, 3e-39f, 2f, -2f, 1e-20f, 7f};
    int n = 64 * 16;
    Random random = new Random(12);
    for (float s : new float[] {0.75f, -1.5f, 0f, Float.NaN}) {
      float[][] inputs = new float[3][n];
      for (int k = 0; k < n; k++) {
        inputs[0][k] = k < 256 ? specials[k % 16] : (float) random.nextGaussian() * 4;
        inputs[1][k] = k < 256 ? specials[(k / 16) % 16] : (float) random.nextGaussian() * 4;
        inputs[2][k] = (float) random.nextGaussian();
      }
      float[][] a = {inputs[0].clone(), inputs[1].clone(), inputs[2].clone()};
      float[][] b = {inputs[0].clone(), inputs[1].clone(), inputs[2].clone()};
      scalar.invoke(null, a[0], a[1], a[2], s, n);
      vectorized.invoke(null, b[0], b[1], b[2], s, n);
      for (int buffer = 0; buffer < 3; buffer++) {
        for (int k = 0; k < n; k++) {
          int expected = Float.floatToRawIntBits(a[buffer][k]);
          int actual = Float.floatToRawIntBits(b[buffer][k]);
          if (expected != actual && !(Float.isNaN(a[buffer][k]) && Float.isNaN(b[buffer][k]))) {
            throw new AssertionError("buffer " + buffer + ", element " + k + " (s = " + s + "): scalar "
                + a[buffer][k] + ", vector " + b[buffer][k] + "\n" + source);
          }
        }
      }
    }
  }

  @Test
  void theDocPrinterStatesEveryOperation() {
    List<String> lines = new MathPrinter(Var::hint).loop(everyKind());
    String doc = String.join("\n", lines);
    assertThat(lines).contains("sum = x·0.5 + s");
    assertThat(lines).contains("difference = sum − x/s");
    assertThat(lines).contains("root = sqrt(|−difference|)");
    assertThat(lines).contains("sign = sign(x)");
    assertThat(lines).contains("low = min(x, s)");
    assertThat(lines).contains("fused = fma(x, s, difference)");
    assertThat(lines).contains("vsLE = x ≤ y");
    assertThat(lines).contains("svGT = s &gt; x");
    assertThat(doc).contains("exp_avg ← ");
    assertThat(doc).contains("grad ← vsGT ? x : s");
    assertThat(new MathPrinter(Var::hint).expression(Expr.pow(constant(0.96), new Var("tau", Var.Kind.STEP_COUNT))))
        .isEqualTo("0.96^tau");
  }

  @Test
  void javaPrinterParenthesisesByPrecedenceOnly() {
    JavaPrinter java = new JavaPrinter(TypeName.DOUBLE, Var::hint);
    Var a = new Var("a", Var.Kind.STEP);
    Var b = new Var("b", Var.Kind.STEP);
    assertThat(java.stepExpression(sub(a, sub(b, a))).toString()).isEqualTo("a - (b - a)");
    assertThat(java.stepExpression(sub(sub(a, b), a)).toString()).isEqualTo("a - b - a");
    assertThat(java.stepExpression(div(mul(a, b), mul(a, b))).toString()).isEqualTo("a * b / (a * b)");
    assertThat(java.stepExpression(neg(neg(a))).toString()).isEqualTo("-(-a)");
    assertThat(java.stepExpression(neg(constant(-2))).toString()).isEqualTo("-(-2)");
    assertThat(java.stepExpression(neg(constant(-0.0))).toString()).isEqualTo("-(-0.0)");
    assertThat(java.stepExpression(neg(mul(neg(a), b))).toString()).isEqualTo("-(-a * b)");
    assertThat(java.stepExpression(mul(neg(a), add(a, b))).toString()).isEqualTo("-a * (a + b)");
    assertThat(java.stepStatement(new StepStatement.SetScalar(S, sub(constant(1), a))).toString())
        .isEqualTo("this.s = 1 - a;\n");
    JavaPrinter inFloat = new JavaPrinter(TypeName.FLOAT, Var::hint);
    assertThat(inFloat.stepStatement(new StepStatement.SetScalar(S, sub(constant(1), a))).toString())
        .isEqualTo("this.s = (float) (1 - a);\n");
    assertThat(inFloat.stepStatement(new StepStatement.SetScalar(S, a)).toString()).isEqualTo("this.s = (float) a;\n");
  }

  @Test
  void aFloatLoopRefusesAConstantFloatCannotHold() {
    JavaPrinter inFloat = new JavaPrinter(TypeName.FLOAT, Var::hint);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> inFloat.elementExpression(mul(S.ref(), constant(0.1))));
    assertThat(e).hasMessageThat().contains("0.1 is not exactly a float");
    assertThat(inFloat.elementExpression(mul(S.ref(), constant(0.5))).toString()).isEqualTo("s * 0.5f");
  }

  @Test
  void anElementLoopRefusesWhatOnlyPrepareMayHold() {
    ElementLoop loop = new ElementLoop(Phase.ADAPTIVE);
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> loop.let("x", Expr.pow(new Expr.Load(B), constant(2))))).hasMessageThat().contains("pow");
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> loop.let("x", new Expr.Hyper("beta1", "β1", null)))).hasMessageThat().contains("beta1");
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> loop.let("x", new Var("bc2", Var.Kind.STEP)))).hasMessageThat().contains("bc2");
    loop.store(C, new Expr.Load(B));
    assertThat(assertThrows(IllegalStateException.class, () -> loop.store(C, new Expr.Load(A))))
        .hasMessageThat().contains("second store to expAvg");
  }

  @Test
  void readsAndWritesComeFromLoadsAndStores() {
    ElementLoop loop = everyKind();
    assertThat(loop.reads()).containsExactly(B, A).inOrder();
    assertThat(loop.writes()).containsExactly(C, A, B).inOrder();
    assertThat(loop.reads(S)).isTrue();
    assertThat(loop.reads(new StepScalar("s", "another scalar of the same name"))).isFalse();
  }

  private static LocalNames names() {
    return new LocalNames(List.of("i", "n", "s", "F", "param", "grad", "expAvg", "paramStored", "gradStored",
        "expAvgStored"));
  }

  /** A class loader over the classes javac wrote. */
  private static ClassLoader load(Compilation compilation) throws IOException {
    Map<String, byte[]> classes = new HashMap<>();
    for (JavaFileObject file : compilation.generatedFiles()) {
      if (file.getKind() == JavaFileObject.Kind.CLASS) {
        String path = file.toUri().getPath();
        String name = path.substring(path.indexOf("ir/")).replace(".class", "").replace('/', '.');
        try (InputStream in = file.openInputStream()) {
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          in.transferTo(bytes);
          classes.put(name, bytes.toByteArray());
        }
      }
    }
    return new ClassLoader(IrPrintersTest.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) {
          throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
      }
    };
  }
}
