package io.github.optkernels.processor.model;

import io.github.optkernels.processor.generation.ir.Expr;
import io.github.optkernels.processor.generation.ir.Statement;
import io.github.optkernels.processor.generation.ir.StepScalar;
import io.github.optkernels.processor.generation.ir.StepStatement;
import io.github.optkernels.processor.generation.ir.Var;
import io.github.optkernels.runtime.Hyperparameter;
import java.util.List;
import java.util.Set;

/**
 * A rule the user wrote ({@code @Rule} and its {@code @PerStep} methods), read from source into
 * kernel IR. The element program refers to the gradient and the parameter through the two
 * placeholder variables {@link #gradient} and {@link #parameter}, and to the step count through
 * {@link #step}; a kernel binds them to its own loop's values.
 *
 * @param slots the state slots, in declaration order
 * @param declared the hyperparameters the spec declares ({@code @Hyper}), in declaration order
 * @param usedBuiltIns the built-in hyperparameters the rule and its per-step methods read
 * @param prepare the per-step statements, in dependency order (lets in double, scalars rounded once)
 * @param scalars every per-step scalar the element program reads (also set in {@link #prepare})
 * @param carried the values carried from step to step, in declaration order
 * @param norms per-tensor norms, in the order the rule first uses them
 * @param elements the element program: lets, then one store per written slot (in slot order)
 * @param update the additive update the rule returns, or null for a rule that sets the parameter
 * @param newParameter the parameter a {@code void} rule assigns, or null
 * @param gradient placeholder for {@code g}
 * @param parameter placeholder for {@code p} (the parameter before this step)
 * @param step placeholder for {@code t} in per-step statements
 * @param methodSource the rule method's source text, for the generated Javadoc
 */
public record RuleModel(
    List<Slot> slots,
    List<Declared> declared,
    Set<Hyperparameter> usedBuiltIns,
    List<StepStatement> prepare,
    List<StepScalar> scalars,
    List<CarriedValue> carried,
    List<Norm> norms,
    List<Statement> elements,
    Expr update,
    Expr newParameter,
    Var gradient,
    Var parameter,
    Var step,
    String methodSource) {

  /** A per-element state slot: its checkpoint name, and whether it holds the evaluation point. */
  public record Slot(String name, boolean evaluationPoint) {}

  /**
   * A declared hyperparameter.
   *
   * @param hyperparameter its identity (name, domain)
   * @param constant the generated optimizer's constant for it, e.g. {@code BETA3}
   * @param defaultValue the spec's default
   */
  public record Declared(Hyperparameter hyperparameter, String constant, double defaultValue) {}

  /**
   * A value carried from step to step.
   *
   * @param name the method's name, which is also the carried value's name in checkpoints
   * @param initial its value before the first step
   * @param before the prepare local holding the value after the previous step
   * @param after the prepare local holding this step's value
   */
  public record CarriedValue(String name, double initial, Var before, Var after) {}

  /**
   * {@code Tensor.norm(argument)}: the kernel sums {@code argument²} over the tensor (the
   * statements of {@link #elements} it depends on, without stores) and sets {@code result} to the
   * square root, rounded once, before the update pass.
   */
  public record Norm(StepScalar result, Expr argument) {}

  public RuleModel {
    slots = List.copyOf(slots);
    declared = List.copyOf(declared);
    usedBuiltIns = Set.copyOf(usedBuiltIns);
    prepare = List.copyOf(prepare);
    scalars = List.copyOf(scalars);
    carried = List.copyOf(carried);
    norms = List.copyOf(norms);
    elements = List.copyOf(elements);
  }

  /** The state names, in slot order. */
  public List<String> stateNames() {
    return slots.stream().map(Slot::name).toList();
  }

  /** Whether the rule returns an additive update (else it assigns the parameter). */
  public boolean returnsUpdate() {
    return update != null;
  }

  /**
   * A digest of the rule's source (as javac prints it, so layout and comments do not count): part
   * of the spec's identity, so a checkpoint of one rule never loads into another.
   */
  public String sourceDigest() {
    try {
      byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
          .digest(methodSource.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(hash, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The slot holding the evaluation point, or null. */
  public Slot evaluationSlot() {
    return slots.stream().filter(Slot::evaluationPoint).findFirst().orElse(null);
  }
}
