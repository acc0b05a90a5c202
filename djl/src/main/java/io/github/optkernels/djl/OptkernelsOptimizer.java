package io.github.optkernels.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.optimizer.Optimizer;
import io.github.optkernels.runtime.KernelOptimizer;
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
 * <p>Each parameter is registered with the generated optimizer the first time it is updated, off
 * the Java heap ({@link KernelOptimizer#addDirect}), keyed by parameter id and device: the
 * parameter is the engine tensor's own memory where the engine gives a writable direct view of
 * it (a contiguous CPU tensor on the PyTorch engine), and a copy that is written back after every
 * update where it does not (a non-contiguous tensor, another device), with a one-line notice;
 * either way no update is lost. The gradient is copied into a buffer of the optimizer's before
 * each update, since DJL hands a new gradient array to every call, and the weight's own gradient
 * is zeroed after it, as DJL's optimizers leave it. The hyperparameters, groups
 * and schedules are the generated optimizer's; DJL's own learning-rate trackers, weight decay,
 * gradient rescaling and clipping are not used.
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
  private final Map<String, EngineTensor> tensors = new HashMap<>();
  private final Set<String> steppedThisStep = new HashSet<>();

  private OptkernelsOptimizer(KernelOptimizer optimizer) {
    super(new Builder());
    this.optimizer = optimizer;
  }

  /**
   * A DJL optimizer stepping with {@code optimizer}, a generated optimizer with no tensors
   * registered yet (this optimizer registers DJL's parameters in it).
   *
   * @throws IllegalArgumentException if {@code optimizer} already has tensors
   */
  public static OptkernelsOptimizer of(KernelOptimizer optimizer) {
    Objects.requireNonNull(optimizer, "optimizer");
    if (optimizer.tensorCount() != 0) {
      throw new IllegalArgumentException("the optimizer already has " + optimizer.tensorCount() + " tensors;"
          + " DJL's parameters are registered as they are first updated");
    }
    return new OptkernelsOptimizer(optimizer);
  }

  /** The generated optimizer: hyperparameters, groups, schedules, step options, state. */
  public KernelOptimizer optimizer() {
    return optimizer;
  }

  /**
   * Steps parameter {@code parameterId}'s {@code weight} in place with {@code grad}.
   *
   * @throws IllegalArgumentException if the weight is not float32 or float64, the gradient does
   *     not match it, or the parameter's weight array was replaced by another since it was
   *     registered
   */
  @Override
  public synchronized void update(String parameterId, NDArray weight, NDArray grad) {
    String key = key(parameterId, weight);
    EngineTensor tensor = tensors.get(key);
    if (tensor == null) {
      tensor = add(key, weight);
    } else if (tensor.weight != weight) {
      throw new IllegalArgumentException("parameter " + key + " was registered with another array; the"
          + " optimizer steps the memory it registered, so a replaced array would not be updated");
    }
    if (!steppedThisStep.add(key)) {
      // the parameter comes round again: the previous training step is complete
      optimizer.finishStep();
      steppedThisStep.clear();
      steppedThisStep.add(key);
    }
    tensor.copyIn(grad);
    try {
      optimizer.stepTensor(tensor.param);
    } finally {
      tensor.copyOut();
      // DJL's optimizers consume the weight's gradient: the engine accumulates into it, and the
      // next backward pass must start from zero (PyTorch's adamUpdate zeroes it the same way)
      if (weight.hasGradient()) {
        weight.getGradient().set(new NDIndex("..."), 0);
      }
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
    if (tensors.containsKey(key)) {
      throw new IllegalArgumentException("parameter " + key + " is registered already");
    }
    add(key, weight);
  }

  private static String key(String parameterId, NDArray weight) {
    return parameterId + " on " + weight.getDevice();
  }

  private EngineTensor add(String key, NDArray weight) {
    EngineTensor tensor = EngineTensor.of(key, weight);
    optimizer.addDirect(tensor.format, tensor.param, tensor.grad);
    tensors.put(key, tensor);
    if (!tensor.zeroCopy) {
      LOG.log(Level.INFO, "optkernels: parameter {0} has no writable view of its memory (non-contiguous, or"
          + " not on the CPU); it is copied in and out on every update", key);
    }
    return tensor;
  }

  /** Whether parameter {@code parameterId} on its device is stepped in the engine's memory (no copy). */
  public synchronized boolean steppedInPlace(String parameterId, ai.djl.Device device) {
    EngineTensor tensor = tensors.get(parameterId + " on " + device);
    if (tensor == null) {
      throw new IllegalArgumentException("parameter " + parameterId + " on " + device + " has not been updated yet");
    }
    return tensor.zeroCopy;
  }

  /** How many registered parameters are stepped through a copy (no writable view of their memory). */
  public synchronized int copiedParameters() {
    int copied = 0;
    for (EngineTensor tensor : tensors.values()) {
      copied += tensor.zeroCopy ? 0 : 1;
    }
    return copied;
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
