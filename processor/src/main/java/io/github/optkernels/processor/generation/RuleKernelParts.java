package io.github.optkernels.processor.generation;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import io.github.optkernels.processor.generation.ir.Buffer;
import io.github.optkernels.processor.generation.ir.ElementLoop;
import io.github.optkernels.processor.generation.ir.Expr;
import io.github.optkernels.processor.generation.ir.Exprs;
import io.github.optkernels.processor.generation.ir.JavaPrinter;
import io.github.optkernels.processor.generation.ir.LocalNames;
import io.github.optkernels.processor.generation.ir.Statement;
import io.github.optkernels.processor.generation.ir.StepScalar;
import io.github.optkernels.processor.generation.ir.Var;
import io.github.optkernels.processor.generation.kernel.KernelStorage;
import io.github.optkernels.processor.model.RuleModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.lang.model.element.Modifier;

/**
 * What a kernel of a user's rule has beyond the skeleton: the values it carries from step to step
 * ({@code @Carried}: fields set at the end of {@code prepare}, handed to the runtime by
 * {@code carriedAfter}) and the per-tensor norms ({@code Tensor.norm}: a summing pass over the
 * statements the norms need, without stores, and {@code setSums}, which sets each norm before the
 * update pass).
 */
final class RuleKernelParts {
  private final RuleModel rule;
  private final KernelStorage storage;
  private final ElementLoop loop;
  private final List<RuleModel.Norm> norms;

  RuleKernelParts(RuleModel rule, KernelStorage storage, ElementLoop loop, List<RuleModel.Norm> norms) {
    this.rule = rule;
    this.storage = storage;
    this.loop = loop;
    this.norms = norms;
  }

  boolean carries() {
    return !rule.carried().isEmpty();
  }

  boolean sums() {
    return !norms.isEmpty();
  }

  // ---- carried values ----

  private static String afterField(RuleModel.CarriedValue value) {
    return Buffer.javaName(value.name()) + "After";
  }

  /** The fields holding each carried value after the prepared step. */
  List<FieldSpec> carriedFields() {
    List<FieldSpec> fields = new ArrayList<>();
    for (RuleModel.CarriedValue value : rule.carried()) {
      fields.add(FieldSpec.builder(TypeName.DOUBLE, afterField(value), Modifier.PRIVATE)
          .addJavadoc("{@code $L} after the prepared step.\n", value.name()).build());
    }
    return fields;
  }

  /** The carried values' locals, first in {@code prepare}: {@code double lrMaxBefore = carried[0];}. */
  CodeBlock readCarried(LocalNames names) {
    CodeBlock.Builder code = CodeBlock.builder()
        .addStatement("$T.checkCarried(carried, $L)", RuntimeTypes.KERNEL_CHECKS, Literals.ofInt(rule.carried().size()));
    for (int k = 0; k < rule.carried().size(); k++) {
      Var before = rule.carried().get(k).before();
      names.fixed(before);
      code.addStatement("double $N = carried[$L]", before.hint(), k);
    }
    return code.build();
  }

  /** Last in {@code prepare}: {@code this.lrMaxAfter = lrMax;}. */
  CodeBlock keepCarried(Function<Var, String> names) {
    CodeBlock.Builder code = CodeBlock.builder();
    for (RuleModel.CarriedValue value : rule.carried()) {
      code.addStatement("this.$N = $N", afterField(value), names.apply(value.after()));
    }
    return code.build();
  }

  List<MethodSpec> carriedMethods() {
    CodeBlock.Builder names = CodeBlock.builder().add("return $T.of(", List.class);
    CodeBlock.Builder initial = CodeBlock.builder().add("return new double[] {");
    CodeBlock.Builder after = CodeBlock.builder();
    for (int k = 0; k < rule.carried().size(); k++) {
      RuleModel.CarriedValue value = rule.carried().get(k);
      names.add(k == 0 ? "$S" : ", $S", value.name());
      initial.add(k == 0 ? "$L" : ", $L", Literals.ofDouble(value.initial()));
      after.addStatement("out[$L] = $N", k, afterField(value));
    }
    return List.of(
        MethodSpec.methodBuilder("carriedNames")
            .addJavadoc("The rule's {@code @Carried} values, kept per tensor from step to step.\n")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(ParameterizedTypeName.get(ClassName.get(List.class), ClassName.get(String.class)))
            .addStatement(names.add(")").build())
            .build(),
        MethodSpec.methodBuilder("carriedInitial")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(ArrayTypeName.of(TypeName.DOUBLE))
            .addStatement(initial.add("}").build())
            .build(),
        MethodSpec.methodBuilder("carriedAfter")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .addParameter(ArrayTypeName.of(TypeName.DOUBLE), "out")
            .addCode(after.build())
            .build());
  }

  // ---- per-tensor norms ----

  /** The let statements the norms' arguments need, in loop order (no stores). */
  private List<Statement.Let> neededLets() {
    Map<Var, Statement.Let> lets = new HashMap<>();
    for (Statement statement : loop.statements()) {
      if (statement instanceof Statement.Let let) {
        lets.put(let.var(), let);
      }
    }
    Set<Var> needed = new HashSet<>();
    List<Expr> pending = new ArrayList<>();
    norms.forEach(norm -> pending.add(norm.argument()));
    while (!pending.isEmpty()) {
      Exprs.visit(pending.remove(pending.size() - 1), node -> {
        if (node instanceof Var var && lets.containsKey(var) && needed.add(var)) {
          pending.add(lets.get(var).value());
        }
      });
    }
    List<Statement.Let> ordered = new ArrayList<>();
    for (Statement statement : loop.statements()) {
      if (statement instanceof Statement.Let let && needed.contains(let.var())) {
        ordered.add(let);
      }
    }
    return ordered;
  }

  private Set<Buffer> reads(List<Statement.Let> lets) {
    Set<Buffer> reads = new LinkedHashSet<>();
    List<Expr> exprs = new ArrayList<>();
    lets.forEach(let -> exprs.add(let.value()));
    norms.forEach(norm -> exprs.add(norm.argument()));
    for (Expr expr : exprs) {
      Exprs.visit(expr, node -> {
        if (node instanceof Expr.Load load) {
          reads.add(load.buffer());
        }
      });
    }
    return reads;
  }

  private Set<StepScalar> scalars(List<Statement.Let> lets) {
    Set<StepScalar> scalars = new LinkedHashSet<>();
    List<Expr> exprs = new ArrayList<>();
    lets.forEach(let -> exprs.add(let.value()));
    norms.forEach(norm -> exprs.add(norm.argument()));
    for (Expr expr : exprs) {
      Exprs.visit(expr, node -> {
        if (node instanceof Expr.ScalarRef ref) {
          scalars.add(ref.scalar());
        }
      });
    }
    return scalars;
  }

  List<MethodSpec> sumMethods(List<ParameterSpec> bufferParameters, String bufferCasts,
      List<Object> castTypes, List<String> takenNames, String storedSuffix) {
    List<MethodSpec> methods = new ArrayList<>();
    methods.add(MethodSpec.methodBuilder("sumCount")
        .addJavadoc("The rule's per-tensor norms: one sum of squares each.\n")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(TypeName.INT)
        .addStatement("return $L", norms.size())
        .build());
    methods.add(MethodSpec.methodBuilder("sum")
        .addJavadoc("Adds the squares of each norm's argument over {@code [from, to)}, in double, in index\n"
            + "order. Stores nothing.\n")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addParameter(Object.class, "param")
        .addParameter(Object.class, "grad")
        .addParameter(Object[].class, "state")
        .addParameter(TypeName.INT, "from")
        .addParameter(TypeName.INT, "to")
        .addParameter(ArrayTypeName.of(TypeName.DOUBLE), "sums")
        .addStatement("sumRange(" + bufferCasts + ", from, to, sums)", castTypes.toArray())
        .build());
    methods.add(sumRange(bufferParameters, takenNames, storedSuffix));
    CodeBlock.Builder set = CodeBlock.builder();
    for (int k = 0; k < norms.size(); k++) {
      if (storage.compute().computeType().equals(TypeName.FLOAT)) {
        set.addStatement("this.$N = (float) $T.sqrt(totals[$L])", norms.get(k).result().name(), Math.class, k);
      } else {
        set.addStatement("this.$N = $T.sqrt(totals[$L])", norms.get(k).result().name(), Math.class, k);
      }
    }
    methods.add(MethodSpec.methodBuilder("setSums")
        .addJavadoc("Each norm: the square root of its tensor's total, rounded once.\n")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .addParameter(ArrayTypeName.of(TypeName.DOUBLE), "totals")
        .addCode(set.build())
        .build());
    methods.add(MethodSpec.methodBuilder("sharesPreparedSteps")
        .addJavadoc("Never: the norms are this tensor's.\n")
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(TypeName.BOOLEAN)
        .addStatement("return false")
        .build());
    return methods;
  }

  private MethodSpec sumRange(List<ParameterSpec> bufferParameters, List<String> takenNames, String storedSuffix) {
    List<Statement.Let> lets = neededLets();
    List<String> taken = new ArrayList<>(takenNames);
    taken.add("sums");
    for (int k = 0; k < norms.size(); k++) {
      taken.add("sum" + k);
      taken.add("term" + k);
    }
    LocalNames names = new LocalNames(taken);
    JavaPrinter printer = new JavaPrinter(storage.compute().computeType(), names::of);
    CodeBlock.Builder body = CodeBlock.builder();
    for (StepScalar scalar : scalars(lets)) {
      body.addStatement("$T $N = this.$N", storage.compute().computeType(), scalar.name(), scalar.name());
    }
    for (int k = 0; k < norms.size(); k++) {
      body.addStatement("double sum$L = 0", k);
    }
    CodeBlock.Builder elements = CodeBlock.builder();
    for (Statement.Let let : lets) {
      elements.add(printer.statement(let));
    }
    for (int k = 0; k < norms.size(); k++) {
      elements.addStatement("double term$L = $L", k, printer.elementExpression(norms.get(k).argument()))
          .addStatement("sum$L += term$L * term$L", k, k, k);
    }
    Set<Buffer> reads = reads(lets);
    if (storage.blocked()) {
      body.addStatement("$T block = $T.block()", RuntimeTypes.HALF_ARRAYS_BLOCK, RuntimeTypes.HALF_ARRAYS);
      int slot = 0;
      for (Buffer buffer : reads) {
        body.addStatement("float[] $N = block.buffer($L)", buffer.name(), Literals.ofInt(slot++));
      }
      body.beginControlFlow("for (int base = from; base < to; base += $T.BLOCK)", RuntimeTypes.HALF_ARRAYS)
          .addStatement("int n = $T.min($T.BLOCK, to - base)", Math.class, RuntimeTypes.HALF_ARRAYS);
      for (Buffer buffer : reads) {
        body.add(storage.load(buffer.name() + storedSuffix, buffer.name(), buffer.role() == Buffer.Role.STATE));
      }
      body.beginControlFlow("for (int i = 0; i < n; i++)").add(elements.build()).endControlFlow()
          .endControlFlow();
    } else {
      body.beginControlFlow("for (int i = from; i < to; i++)").add(elements.build()).endControlFlow();
    }
    for (int k = 0; k < norms.size(); k++) {
      body.addStatement("sums[$L] += sum$L", k, k);
    }
    return MethodSpec.methodBuilder("sumRange")
        .addJavadoc("The summing pass over {@code [from, to)}: the statements the norms need, no stores.\n")
        .addModifiers(Modifier.PRIVATE)
        .addParameters(bufferParameters)
        .addParameter(TypeName.INT, "from")
        .addParameter(TypeName.INT, "to")
        .addParameter(ArrayTypeName.of(TypeName.DOUBLE), "sums")
        .addCode(body.build())
        .build();
  }
}
