package io.github.optkernels.processor.generation.kernel;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import io.github.optkernels.processor.model.Phase;
import io.github.optkernels.processor.model.Structure;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where features meet: what the skeleton will emit for one spec in one precision. Features add
 * to it in {@link KernelFeature#plan}; the skeleton reads it back in a fixed order.
 */
public final class KernelPlan {
  private final Structure structure;
  private final NumericFormat format;
  private final List<Scalar> scalars = new ArrayList<>();
  private final Map<PrepareSection, CodeBlock.Builder> prepare = new EnumMap<>(PrepareSection.class);
  private final List<String> adaptiveFactors = new ArrayList<>();
  private final List<FieldSpec> extraFields = new ArrayList<>();
  private final List<MethodSpec> extraMethods = new ArrayList<>();
  private final List<String> math = new ArrayList<>();

  public KernelPlan(Structure structure, NumericFormat format) {
    this.structure = structure;
    this.format = format;
    for (PrepareSection section : PrepareSection.values()) {
      prepare.put(section, CodeBlock.builder());
    }
  }

  public Structure structure() {
    return structure;
  }

  public NumericFormat format() {
    return format;
  }

  /** Declares a per-step scalar of the compute type, read by the loops of {@code phases}. */
  public void scalar(String name, String doc, Set<Phase> phases) {
    scalars.add(new Scalar(name, doc, phases));
  }

  /** Adds {@code prepare} code to {@code section}. */
  public void prepare(PrepareSection section, CodeBlock code) {
    prepare.get(section).add(code);
  }

  /**
   * Multiplies every adaptive step size by the double local {@code factor} (rectification term,
   * the {@code sqrt(bc2)} moved out of the denominator).
   */
  public void adaptiveFactor(String factor) {
    adaptiveFactors.add(factor);
  }

  /** Adds a field beyond the compute-type scalars (e.g. the rectification term, for inspection). */
  public void field(FieldSpec field) {
    extraFields.add(field);
  }

  /** Adds a method (e.g. an accessor for an inspection field). */
  public void method(MethodSpec method) {
    extraMethods.add(method);
  }

  /** Adds a line to the per-element math in the class Javadoc. */
  public void math(String line) {
    math.add(line);
  }

  public List<Scalar> scalars() {
    return List.copyOf(scalars);
  }

  public CodeBlock prepareCode(PrepareSection section) {
    return prepare.get(section).build();
  }

  /** The adaptive step-size factors, as {@code " * a * b"}, or empty. */
  public String adaptiveFactorProduct() {
    StringBuilder product = new StringBuilder();
    for (String factor : adaptiveFactors) {
      product.append(" * ").append(factor);
    }
    return product.toString();
  }

  public List<FieldSpec> extraFields() {
    return List.copyOf(extraFields);
  }

  public List<MethodSpec> extraMethods() {
    return List.copyOf(extraMethods);
  }

  public List<String> math() {
    return List.copyOf(math);
  }

  /** Local and parameter name of a state array, e.g. {@code exp_avg_sq} → {@code expAvgSq}. */
  public static String arrayName(String stateName) {
    StringBuilder camel = new StringBuilder();
    boolean upper = false;
    for (char c : stateName.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        camel.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return camel.toString();
  }

  /** The local the denominator takes the square root of: the AMSGrad maximum if there is one. */
  public String denominatorOperand() {
    return structure.hasMaximum() ? "vMax" : "v";
  }
}
