package io.github.optkernels.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import io.github.optkernels.runtime.BufferFormat;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.OffHeap;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A DJL {@link Optimizer} that steps with a generated optimizer: pass it to
 * {@code DefaultTrainingConfig.optOptimizer(...)}, and DJL's trainer and parameter server call
 * {@link #update} for every parameter as they call DJL's own optimizers.
 *
 * <pre>{@code
 * AdamW adamw = AdamW.builder().lr(1e-3).weightDecay(0.01).build();      // any generated spec
 * TrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
 *     .optOptimizer(OptkernelsOptimizer.of(adamw));
 * }</pre>
 *
 * <p>Each parameter is registered with the generated optimizer the first time it is updated,
 * keyed by parameter id and device. A weight with a direct view of its memory that writes reach
 * (a contiguous CPU tensor on the PyTorch engine) is registered off-heap over that memory
 * ({@code InPlaceParameter}): its state lives off-heap, and every update steps the engine's memory
 * in place, reading the gradient where it is, then zeroes the weight's own gradient, as DJL's
 * optimizers leave it. The memory may move between updates (a new gradient array, a weight the
 * user set): each update steps the memory the weight and the gradient have now, with the
 * parameter's state. A weight without such a view (a non-contiguous tensor, another device) is
 * stepped as heap copies ({@code CopiedParameter}), written back by an indexed assignment, with a
 * one-line notice. Either way no update is lost. The hyperparameters, groups and schedules are the
 * generated optimizer's; DJL's own learning-rate trackers, weight decay, gradient rescaling and
 * clipping are not used.
 *
 * <p>Steps: every parameter has its own step count (the generated optimizer's
 * {@code stepTensor}); a training step ends, and the groups' schedules advance, when a parameter
 * is updated again ({@link KernelOptimizer#finishStep()}).
 *
 * <p>Checkpoints are the runtime's ({@link #save}, {@link #load}): they hold the state of the
 * parameters registered so far, in the order they were first updated, which for a DJL trainer is
 * the model's parameter order.
 */
public final class OptkernelsOptimizer extends Optimizer {
  private static final System.Logger LOG = System.getLogger("io.github.optkernels");

  private final KernelOptimizer optimizer;
  private final ParameterMemory memory;
  private final Map<String, RegisteredParameter> parameters = new HashMap<>();
  private final Set<String> steppedThisStep = new HashSet<>();
  /** The parameters already named in the notice that they are written by assignment. */
  private final Set<String> noticed = new HashSet<>();

  private OptkernelsOptimizer(KernelOptimizer optimizer, ParameterMemory memory) {
    super(new Builder());
    this.optimizer = optimizer;
    this.memory = memory;
  }

  /**
   * A DJL optimizer stepping with {@code optimizer}, a generated optimizer with no tensors
   * registered yet (this optimizer registers DJL's parameters in it), reaching each parameter's
   * memory the fastest way this JVM has ({@link ParameterMemory#FASTEST}).
   *
   * @throws IllegalArgumentException if {@code optimizer} already has tensors
   */
  public static OptkernelsOptimizer of(KernelOptimizer optimizer) {
    return of(optimizer, ParameterMemory.FASTEST);
  }

  /**
   * A DJL optimizer stepping with {@code optimizer} (with no tensors registered yet), reaching
   * each parameter's memory as {@code memory} says.
   *
   * @throws IllegalArgumentException if {@code optimizer} already has tensors
   */
  public static OptkernelsOptimizer of(KernelOptimizer optimizer, ParameterMemory memory) {
    Objects.requireNonNull(optimizer, "optimizer");
    Objects.requireNonNull(memory, "memory");
    if (optimizer.tensorCount() != 0) {
      throw new IllegalArgumentException("the optimizer already has " + optimizer.tensorCount() + " tensors;"
          + " DJL's parameters are registered as they are first updated");
    }
    return new OptkernelsOptimizer(optimizer, memory);
  }

  /** The generated optimizer: hyperparameters, groups, schedules, step options, state. */
  public KernelOptimizer optimizer() {
    return optimizer;
  }

  /**
   * Steps parameter {@code parameterId}'s {@code weight} with {@code grad}: its new values land in the weight's memory.
   *
   * @throws IllegalArgumentException if the weight is not float32 or float64, the gradient does
   *     not match it, or another array is passed for a registered parameter; nothing is changed then
   * @throws IllegalStateException if a weight stepped in place no longer has a writable view of
   *     its memory; nothing is changed then
   * @throws io.github.optkernels.runtime.NonFiniteGradientException if the gradient holds NaN or
   *     Inf under the optimizer's refusing policy; nothing is changed then (the gradient included)
   */
  @Override
  public synchronized void update(String parameterId, NDArray weight, NDArray grad) {
    String key = key(parameterId, weight);
    // before anything changes: nothing registered, no step finished, for a gradient that does not fit
    EngineMemory.checkGradient(key, weight, grad);
    RegisteredParameter parameter = parameters.get(key);
    if (parameter == null) {
      parameter = add(key, weight);
    } else if (parameter.weight() != weight) {
      throw new IllegalArgumentException("parameter " + key + " was registered with another array; one"
          + " parameter is one array (an array set to new values stays the same array)");
    }
    parameter.bind(grad);
    if (!steppedThisStep.add(key)) {
      // the parameter comes round again: the previous training step is complete
      optimizer.finishStep();
      steppedThisStep.clear();
      steppedThisStep.add(key);
    }
    parameter.step(grad);
    if (!parameter.writesThroughView() && noticed.add(key)) {
      LOG.log(Level.INFO, "optkernels: parameter {0} has no writable view of its memory (non-contiguous, or"
          + " not on the CPU); it is stepped as heap copies and its new values are written by an indexed"
          + " assignment", key);
    }
  }

  /**
   * Registers parameter {@code parameterId}'s {@code weight} now rather than at its first update:
   * to {@link #load} a checkpoint before training resumes, register the model's parameters in
   * the order they were first updated (the model's parameter order), then load.
   *
   * @throws IllegalArgumentException if it is registered already, or is not float32 or float64
   */
  public synchronized void register(String parameterId, NDArray weight) {
    String key = key(parameterId, weight);
    if (parameters.containsKey(key)) {
      throw new IllegalArgumentException("parameter " + key + " is registered already");
    }
    add(key, weight);
  }

  private static String key(String parameterId, NDArray weight) {
    return parameterId + " on " + weight.getDevice();
  }

  private RegisteredParameter add(String key, NDArray weight) {
    BufferFormat format = EngineMemory.format(key, weight.getDataType());
    if (memory == ParameterMemory.BF16_COPIES) {
      if (format != BufferFormat.FLOAT32) {
        throw new IllegalArgumentException("parameter " + key + " is " + weight.getDataType() + "; bf16 copies"
            + " hold float32 weights as bf16");
      }
      RegisteredParameter parameter = CopiedParameter.register(optimizer, key, weight, BufferFormat.BF16);
      parameters.put(key, parameter);
      return parameter;
    }
    boolean inPlace = memory == ParameterMemory.IN_PLACE
        || memory == ParameterMemory.FASTEST && OffHeap.stepsInPlace(optimizer, format);
    RegisteredParameter parameter = inPlace ? InPlaceParameter.register(optimizer, key, weight, format) : null;
    if (parameter == null) {
      parameter = CopiedParameter.register(optimizer, key, weight, format);
    }
    parameters.put(key, parameter);
    return parameter;
  }

  /** The registered parameter {@code parameterId} on {@code device}, or a refusal naming it. */
  private RegisteredParameter registered(String parameterId, Device device) {
    RegisteredParameter parameter = parameters.get(parameterId + " on " + device);
    if (parameter == null) {
      throw new IllegalArgumentException("parameter " + parameterId + " on " + device + " has not been updated yet");
    }
    return parameter;
  }

  /**
   * The buffer the generated optimizer knows parameter {@code parameterId} on {@code device} by,
   * to ask it for the parameter's state, step count or group ({@code optimizer().state(...)}):
   * for a weight stepped in place, a direct view of its memory whose state is off-heap (each
   * update binds a new view: ask again after an update); else the heap array holding its copy.
   *
   * @throws IllegalArgumentException if the parameter has not been registered
   */
  public synchronized Object optimizerParam(String parameterId, Device device) {
    return registered(parameterId, device).optimizerParam();
  }

  /**
   * Whether parameter {@code parameterId} on {@code device} is stepped in place in the engine's
   * memory (else as heap copies written back by an indexed assignment).
   *
   * @throws IllegalArgumentException if the parameter has not been registered
   */
  public synchronized boolean steppedInPlace(String parameterId, Device device) {
    return registered(parameterId, device) instanceof InPlaceParameter;
  }

  /**
   * Whether parameter {@code parameterId} on its device had its last update written through a
   * direct view of the engine's memory (else by an indexed assignment).
   */
  public synchronized boolean writesThroughView(String parameterId, Device device) {
    return registered(parameterId, device).writesThroughView();
  }

  /** How many registered parameters had their last update written by an indexed assignment (no writable view). */
  public synchronized int parametersWrittenByAssignment() {
    int assigned = 0;
    for (RegisteredParameter parameter : parameters.values()) {
      assigned += parameter.writesThroughView() ? 0 : 1;
    }
    return assigned;
  }

  /** Saves the generated optimizer's state ({@link KernelOptimizer#save}). */
  public synchronized void save(Path file) throws IOException {
    optimizer.save(file);
  }

  /**
   * Loads state saved by {@link #save} into the parameters registered so far, which must be the
   * saved ones in the same order ({@link KernelOptimizer#load}).
   */
  public synchronized void load(Path file) throws IOException {
    optimizer.load(file);
  }

  /** DJL's builder, only for the base class: rescaling, clipping and weight decay stay at "none". */
  private static final class Builder extends OptimizerBuilder<Builder> {
    @Override
    protected Builder self() {
      return this;
    }
  }
}
