package io.github.optkernels.runtime;

import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Base of every generated optimizer: owns the registered tensors, their state arrays and step
 * counts in {@linkplain ParamGroup parameter groups}, and steps them all on {@link #step()}, on
 * the calling thread and a {@link java.util.concurrent.ForkJoinPool} ({@link StepOptions}).
 *
 * <p>A generated subclass adds the typed API ({@code add(float[] param, float[] grad)},
 * {@code expAvg(float[] param)}, ...) and a builder seeded with the spec's defaults. Parameters
 * and gradients stay the caller's arrays: fill the gradient buffers, call {@link #step()}, and the
 * parameter buffers are updated in place.
 *
 * <p>One thread at a time steps or changes an optimizer; a second thread that tries while a step,
 * registration, change, save or load runs gets a {@link ConcurrentStepException} and changes
 * nothing. Results do not depend on threads or chunk sizes: every element is updated by the same
 * code, so parameters and state are bit-identical for any {@link StepOptions}.
 */
public abstract class KernelOptimizer {
  private final SpecInfo spec;
  private final List<Tensor> tensors = new ArrayList<>();
  private final Map<Object, Tensor> byParam = new IdentityHashMap<>();
  /** Every array this optimizer knows (parameters, gradients, its own state), and what it is. */
  private final Map<Object, String> buffers = new IdentityHashMap<>();
  private long steps;
  private long skippedSteps;
  private long roundingSeed;
  private final List<ParamGroup> groups = new ArrayList<>();
  private final ParamGroup defaultGroup;
  private final AtomicBoolean busy = new AtomicBoolean();
  private final StepEngine engine = new StepEngine();
  private StepOptions options = StepOptions.defaults();
  /** While the parameters hold the evaluation point: their training point, to put back. */
  private EvaluationSwap evaluation;

  /** One registered parameter tensor: its buffers, its kernel (holding the prepared scalars) and its clock. */
  static final class Tensor {
    /**
     * The buffers the step reads and writes: the caller's arrays, or an off-heap tensor's
     * {@link DirectBuffer}s, which {@link #rebindDirect} replaces between steps.
     */
    Object param;
    Object grad;
    /**
     * The caller's buffer objects the optimizer knows this tensor by (the arrays, or the direct
     * buffers an off-heap tensor was registered or last rebound with); set by {@code addTensor}.
     */
    Object callerParam;
    Object callerGrad;
    final Object[] state;
    final StepKernel kernel;
    final int length;
    long step;
    /**
     * The scalars the kernel carries from step to step ({@link StepKernel#carriedNames()}; NAdam's
     * Π), advanced after each of this tensor's steps.
     */
    final double[] carried;
    /** This tensor's totals of the step in progress ({@link StepKernel#sumCount()} of them), reused. */
    final double[] sums;
    /** The group, and the position in registration order; set by {@code register}. */
    ParamGroup group;
    int index;
    /** The kernel prepared for this tensor's step: its own, or that of an equal tensor of its group. */
    StepKernel prepared;
    /** This tensor as a list, for stepping it alone without allocating. */
    final List<Tensor> alone = List.of(this);
    /**
     * The view small steps scan a heap gradient through ({@link GradientScan#inCacheView}), or
     * null; a heap tensor's gradient array never changes, so the view stays its view.
     */
    final Object scanView;

    Tensor(Object param, Object grad, Object[] state, StepKernel kernel, int length) {
      this.param = param;
      this.grad = grad;
      this.state = state;
      this.kernel = kernel;
      this.length = length;
      this.carried = CarriedValues.initial(kernel);
      this.sums = new double[kernel.sumCount()];
      this.scanView = GradientScan.inCacheView(grad, kernel);
    }
  }

  /**
   * @param spec what the subclass computes
   * @param hyperparameters initial hyperparameters, checked against the spec
   */
  // The default group keeps a reference to its optimizer; its constructor only reads the spec,
  // which is set by then, so no subclass state is seen half-built (JDK 21+ lint: this-escape).
  @SuppressWarnings("this-escape")
  protected KernelOptimizer(SpecInfo spec, Hyperparameters hyperparameters) {
    this(spec, hyperparameters, 0);
  }

  /**
   * @param spec what the subclass computes
   * @param hyperparameters initial hyperparameters, checked against the spec
   * @param roundingSeed the seed of stochastic rounding: tensor {@code k} rounds with
   *     {@code RoundingNoise.tensorSeed(roundingSeed, k)} ({@link #roundingSeed()})
   */
  @SuppressWarnings("this-escape") // as above
  protected KernelOptimizer(SpecInfo spec, Hyperparameters hyperparameters, long roundingSeed) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.roundingSeed = roundingSeed;
    this.defaultGroup = new ParamGroup(this, 0, hyperparameters, LrSchedule.constant());
    groups.add(defaultGroup);
  }

  /**
   * A new kernel for parameter buffers of type {@code bufferType} ({@code float[].class}, ...),
   * or null if the spec does not generate that precision.
   *
   * @throws IllegalArgumentException if the type alone does not say which kernel: bf16 and fp16
   *     both store {@code short[]}, so a spec with both precisions must be told which one
   *     ({@code addBf16}/{@code addFp16})
   */
  protected abstract StepKernel newKernel(Class<?> bufferType);

  /**
   * A new kernel for 16-bit buffers holding {@code format}, or null if the spec does not generate
   * that precision. Generated optimizers with a 16-bit precision override it; this default asks
   * {@link #newKernel} for {@code short[]} and keeps its kernel if it holds {@code format}.
   *
   * @throws IllegalArgumentException from {@link #newKernel} if it cannot tell bf16 from fp16
   */
  protected StepKernel newHalfKernel(HalfFormat format) {
    StepKernel kernel = newKernel(short[].class);
    return kernel != null && kernel.halfFormat() == format ? kernel : null;
  }

  /**
   * Registers a parameter tensor of any precision this optimizer was generated for, with fresh,
   * zeroed state. Generated subclasses add typed overloads ({@code add(float[], float[])}).
   *
   * <p>{@code short[]} buffers hold bf16 or fp16 bits; the type cannot tell which. They are
   * accepted here when the spec generates exactly one of the two, and refused when it generates
   * both (use the generated {@code addBf16}/{@code addFp16} then).
   *
   * @param param the parameter buffer, updated in place by {@link #step()}
   * @param grad the gradient buffer of the same type and length, read by {@link #step()}
   * @return this optimizer
   * @throws IllegalArgumentException if the buffers are not arrays of a generated precision, their
   *     types or lengths differ, {@code short[]} is ambiguous, or either buffer is already
   *     registered or is one of this optimizer's state arrays; nothing is registered then
   */
  public KernelOptimizer add(Object param, Object grad) {
    add(defaultGroup, param, grad);
    return this;
  }

  /** Registers a tensor in {@code group} with a new kernel for its buffer type ({@link ParamGroup#add}). */
  final void add(ParamGroup group, Object param, Object grad) {
    Objects.requireNonNull(param, "param");
    Objects.requireNonNull(grad, "grad");
    if (param.getClass() != grad.getClass()) {
      throw new IllegalArgumentException("param is " + param.getClass().getSimpleName()
          + " but grad is " + grad.getClass().getSimpleName());
    }
    if (param instanceof ByteBuffer) {
      throw new IllegalArgumentException("a ByteBuffer does not say what its elements are: register off-heap"
          + " memory with addDirect(BufferFormat, param, grad)");
    }
    StepKernel kernel = newKernel(param.getClass());
    if (kernel == null) {
      throw new IllegalArgumentException(spec.name() + " has no kernel for "
          + param.getClass().getSimpleName() + " buffers (spec " + spec.specClass() + ")");
    }
    register(group, param, grad, kernel);
  }

  /**
   * Registers a 16-bit heap tensor in the default group, naming what its {@code short[]} bits
   * hold: the generated {@code addBf16}/{@code addFp16} for a caller that holds the optimizer as a
   * {@code KernelOptimizer} (an adapter registering a framework's tensors).
   *
   * @throws IllegalArgumentException if the spec has no {@code format} kernel, the lengths differ,
   *     or either array is already registered or is this optimizer's state; nothing is registered then
   */
  public final KernelOptimizer addHalf(HalfFormat format, short[] param, short[] grad) {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(param, "param");
    Objects.requireNonNull(grad, "grad");
    StepKernel kernel = newHalfKernel(format);
    if (kernel == null) {
      throw new IllegalArgumentException(spec.name() + " has no " + format + " kernel (spec " + spec.specClass() + ")");
    }
    register(defaultGroup, param, grad, kernel);
    return this;
  }

  /**
   * Registers a parameter tensor whose memory is off the Java heap, in the default group: the
   * parameter and gradient are the elements of two direct buffers from their position to their
   * limit (as they are now; later changes of position or limit do not matter), in
   * {@code format}; the optimizer allocates the tensor's state off-heap too (direct, 64-byte
   * aligned, zeroed; {@link #state(Object, String)} returns it). Every step then updates the
   * parameter's memory in place, bit for bit as the same optimizer updates heap arrays holding
   * the same values, in the same groups, with the same schedules, NaN/Inf policy, threads and
   * checkpoints: a checkpoint saved with off-heap tensors loads into heap tensors of the same
   * precisions and lengths, and back. How the step reaches the memory: {@link OffHeap}.
   *
   * <p>The buffers must be writable, in the platform's byte order, a whole number of elements,
   * with the first element's address a multiple of the element size. The optimizer identifies a
   * tensor by the {@code param} buffer object ({@link #stepTensor}, {@link #state}); two buffer
   * objects over the same memory cannot be told apart, so registering one memory twice is the
   * caller's mistake. Stochastic rounding is not supported off-heap (its noise depends on the
   * element's index in the array that is stepped).
   *
   * @param format what the elements are; the spec must generate that precision
   * @param param the parameter's memory, updated in place by {@link #step()}
   * @param grad the gradient's memory, the same number of elements, read by {@link #step()}
   * @return this optimizer
   * @throws IllegalArgumentException if a buffer is a heap buffer, read-only, in the other byte
   *     order, not a whole number of elements or misaligned, the lengths differ, either buffer
   *     object is already registered (or is this optimizer's state), the spec has no kernel for
   *     {@code format}, or the spec rounds stochastically; nothing is registered then
   */
  public final KernelOptimizer addDirect(BufferFormat format, ByteBuffer param, ByteBuffer grad) {
    addDirect(defaultGroup, format, param, grad);
    return this;
  }

  /** Registers an off-heap tensor in {@code group} ({@link ParamGroup#addDirect}). */
  final void addDirect(ParamGroup group, BufferFormat format, ByteBuffer param, ByteBuffer grad) {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(param, "param");
    Objects.requireNonNull(grad, "grad");
    if (group.optimizer() != this) {
      throw new IllegalArgumentException(group + " belongs to another optimizer");
    }
    if (param == grad) {
      throw new IllegalArgumentException("param and grad must be different buffers");
    }
    DirectBuffer p = DirectBuffer.of("param", param, format);
    DirectBuffer g = DirectBuffer.of("grad", grad, format);
    if (p.length != g.length) {
      throw new IllegalArgumentException("param has " + p.length + " " + format + " elements but grad has "
          + g.length);
    }
    StepKernel kernel = format.halfFormat() == null ? newKernel(format.arrayType()) : newHalfKernel(format.halfFormat());
    if (kernel == null) {
      throw new IllegalArgumentException(spec.name() + " has no " + format + " kernel (spec " + spec.specClass() + ")");
    }
    DirectBufferKernel direct = DirectBufferKernel.wrap(kernel, spec.name());
    enter("addDirect");
    try {
      checkUnregistered(param, grad);
      Object[] state = new Object[direct.stateNames().size()];
      for (int s = 0; s < state.length; s++) {
        // at the parameter's offset from a cache line: the loops over native memory align the
        // parameter, and then its state's lines too
        state[s] = DirectBuffer.allocate(direct.stateFormat(s), p.length, p.lineOffset());
      }
      addTensor(group, new Tensor(p, g, state, direct, p.length), param, grad);
    } finally {
      exit();
    }
  }

  /**
   * Gives the off-heap tensor known by {@code param} new memory for its parameter and gradient,
   * keeping everything else: its state (the same off-heap buffers, values untouched), step count,
   * carried values, group and place in registration order (so checkpoints still match it). For a
   * framework whose tensors move: an engine that gives a tensor new memory when the user sets it,
   * or hands a new gradient buffer to every step. Nothing is copied: from now on the parameter's
   * values are whatever {@code newParam} holds, and the next step reads {@code newGrad}.
   *
   * <p>From then on the optimizer knows the tensor by {@code newParam} ({@link #stepTensor},
   * {@link #state}, {@link #group}, {@link #stepCount(Object)}, and another rebind); the previous
   * {@code param} and gradient buffer objects are no longer registered, and the optimizer never
   * touches their memory again (it may have been freed). {@code newParam} may be {@code param}
   * itself (only the gradient moves) and {@code newGrad} the tensor's current gradient buffer.
   * The buffers are checked as {@link #addDirect} checks them: the elements from position to
   * limit, writable, in the platform's byte order, aligned to the element size.
   *
   * @param format the tensor's format, as registered
   * @param param the buffer object the optimizer knows the tensor by now
   * @param newParam the parameter's memory from now on, the tensor's number of elements
   * @param newGrad the gradient's memory from now on, the same number of elements
   * @throws IllegalArgumentException if {@code param} is not a registered off-heap tensor (a heap
   *     tensor's memory is its arrays, which cannot move), {@code format} is not the tensor's, a
   *     new buffer is a heap buffer, read-only, in the other byte order, misaligned or not the
   *     tensor's number of elements, the two are one object, or either is registered as another
   *     buffer (another tensor's, or this optimizer's state); nothing changes then
   * @throws ConcurrentStepException if another thread is stepping or changing this optimizer
   */
  public final void rebindDirect(BufferFormat format, ByteBuffer param, ByteBuffer newParam, ByteBuffer newGrad) {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(param, "param");
    Objects.requireNonNull(newParam, "newParam");
    Objects.requireNonNull(newGrad, "newGrad");
    enter("rebindDirect");
    try {
      // a ByteBuffer finds only an off-heap tensor: heap tensors are known by their arrays
      Tensor tensor = tensor(param);
      BufferFormat registered = ((DirectBuffer) tensor.param).format;
      if (format != registered) {
        throw new IllegalArgumentException("tensor " + tensor.index + " of " + spec.name() + " is " + registered
            + ", not " + format + "; its new memory must hold the same format");
      }
      if (newParam == newGrad) {
        throw new IllegalArgumentException("newParam and newGrad must be different buffers");
      }
      DirectBuffer p = DirectBuffer.of("newParam", newParam, format);
      DirectBuffer g = DirectBuffer.of("newGrad", newGrad, format);
      if (p.length != tensor.length || g.length != tensor.length) {
        throw new IllegalArgumentException("tensor " + tensor.index + " of " + spec.name() + " has " + tensor.length
            + " " + format + " elements but newParam has " + p.length + " and newGrad " + g.length);
      }
      checkOwnOrUnregistered(newParam, tensor.callerParam, "newParam");
      checkOwnOrUnregistered(newGrad, tensor.callerGrad, "newGrad");
      // checked: from here nothing can fail
      byParam.remove(tensor.callerParam);
      buffers.remove(tensor.callerParam);
      buffers.remove(tensor.callerGrad);
      tensor.param = p;
      tensor.grad = g;
      tensor.callerParam = newParam;
      tensor.callerGrad = newGrad;
      byParam.put(newParam, tensor);
      buffers.put(newParam, "a parameter of tensor " + tensor.index);
      buffers.put(newGrad, "a gradient of tensor " + tensor.index);
    } finally {
      exit();
    }
  }

  /** Refuses {@code buffer} if it is registered as anything but {@code own} (the tensor's current buffer of that role). */
  private void checkOwnOrUnregistered(Object buffer, Object own, String what) {
    String known = buffers.get(buffer);
    if (known != null && buffer != own) {
      throw new IllegalArgumentException(what + " is already registered (as " + known + "); a tensor's new"
          + " memory may be its own current buffer of that role, or an unregistered one");
    }
  }

  /**
   * Registers a parameter tensor in the default group with fresh, zeroed state.
   *
   * @param param the parameter buffer, updated in place by {@link #step()}
   * @param grad the gradient buffer, read by {@link #step()}
   * @param kernel a new kernel instance for this tensor's precision
   * @throws IllegalArgumentException if the lengths differ or either buffer is already registered
   */
  protected final void register(Object param, Object grad, StepKernel kernel) {
    register(defaultGroup, param, grad, kernel);
  }

  /**
   * Registers a parameter tensor in {@code group} with fresh, zeroed state.
   *
   * @param group a group of this optimizer
   * @param param the parameter buffer, updated in place by {@link #step()}
   * @param grad the gradient buffer, read by {@link #step()}
   * @param kernel a new kernel instance for this tensor's precision
   * @throws IllegalArgumentException if the group belongs to another optimizer, the lengths differ,
   *     either buffer is already registered (in any group) or is one of this optimizer's own state
   *     arrays, or the kernel has {@code short[]} arrays but does not say whether they hold bf16 or
   *     fp16 ({@link StepKernel#halfFormat()}); nothing is registered then
   */
  protected final void register(ParamGroup group, Object param, Object grad, StepKernel kernel) {
    Objects.requireNonNull(group, "group");
    if (group.optimizer() != this) {
      throw new IllegalArgumentException(group + " belongs to another optimizer");
    }
    enter("register");
    try {
      registerTensor(group, param, grad, kernel);
    } finally {
      exit();
    }
  }

  private void registerTensor(ParamGroup group, Object param, Object grad, StepKernel kernel) {
    Objects.requireNonNull(param, "param");
    Objects.requireNonNull(grad, "grad");
    Objects.requireNonNull(kernel, "kernel");
    if (param == grad) {
      throw new IllegalArgumentException("param and grad must be different buffers");
    }
    int length = Array.getLength(param);
    if (Array.getLength(grad) != length) {
      throw new IllegalArgumentException("param has " + length + " elements but grad has "
          + Array.getLength(grad));
    }
    checkUnregistered(param, grad);
    List<Class<?>> types = kernel.stateTypes();
    if ((kernel.bufferType() == short[].class || types.contains(short[].class)) && kernel.halfFormat() == null) {
      throw new IllegalArgumentException(kernel.getClass().getName() + " has short[] arrays but does not say"
          + " whether they hold bf16 or fp16 (StepKernel.halfFormat()); a checkpoint could not tell them apart");
    }
    Object[] state = new Object[kernel.stateNames().size()];
    for (int s = 0; s < state.length; s++) {
      state[s] = Array.newInstance(types.get(s).getComponentType(), length);
    }
    addTensor(group, new Tensor(param, grad, state, kernel, length), param, grad);
  }

  private void checkUnregistered(Object param, Object grad) {
    for (Object buffer : new Object[] {param, grad}) {
      String known = buffers.get(buffer);
      if (known != null) {
        // a state array as a parameter or gradient would be written by the step that reads it
        throw new IllegalArgumentException("buffer already registered (as " + known
            + "); each buffer may be added once, and the optimizer's own state arrays not at all");
      }
    }
  }

  /**
   * Adds a checked tensor; {@code param} and {@code grad} are the caller's buffer objects (the
   * arrays, or the direct buffers an off-heap tensor's {@link DirectBuffer}s view).
   */
  private void addTensor(ParamGroup group, Tensor tensor, Object param, Object grad) {
    tensors.add(tensor);
    tensor.index = tensors.size() - 1;
    tensor.callerParam = param;
    tensor.callerGrad = grad;
    byParam.put(param, tensor);
    buffers.put(param, "a parameter of tensor " + tensor.index);
    buffers.put(grad, "a gradient of tensor " + tensor.index);
    List<String> names = tensor.kernel.stateNames();
    for (int s = 0; s < tensor.state.length; s++) {
      buffers.put(userView(tensor.state[s]), "the optimizer's state array '" + names.get(s) + "' of tensor "
          + tensor.index);
    }
    tensor.group = group;
    group.addTensor(tensor);
  }

  /** A state buffer as callers see it: the array, or an off-heap slot's direct buffer. */
  private static Object userView(Object state) {
    return state instanceof DirectBuffer ? ((DirectBuffer) state).bytes : state;
  }

  /**
   * Takes one optimizer step over every registered tensor of every group: reads the gradients,
   * updates the parameters and the state in place, then advances every group's schedule
   * ({@link #finishStep()}). The gradients are scanned for NaN/Inf first
   * ({@link StepOptions#nonFiniteGradients()}). Allocates nothing in steady state.
   *
   * <p>Bit for bit the same as {@link #stepTensor} on every tensor, in any order, followed by
   * {@link #finishStep()}.
   *
   * @throws NonFiniteGradientException if a gradient holds NaN or Inf and the policy is
   *     {@link NonFiniteGradients#REFUSE}; nothing changed then
   * @throws StorageOverflowException if the step stored NaN or Infinity in a 16-bit parameter or
   *     moment; the step was taken in full
   * @throws IllegalArgumentException if a group's learning rate for this step (its schedule's),
   *     or a step size derived from it, is not finite in the arithmetic of its tensors' kernels
   *     (docs/SEMANTICS.md, "Hyperparameter domains"); nothing changed then
   * @throws ConcurrentStepException if another thread is stepping or changing this optimizer
   */
  public final void step() {
    enterAtTrainingPoint("step()");
    try {
      beginGroups();
      if (engine.step(tensors, options)) {
        finishGroups();
        engine.reportStorageOverflow(); // the step is complete; only now may it throw
      } else {
        skippedSteps++;
      }
    } finally {
      exit();
    }
  }

  /**
   * Steps one tensor now, as soon as its gradient is ready (gradient release: the gradient buffer
   * can be reused as soon as this returns). Uses its group's current hyperparameters and the
   * schedule's learning rate for the group's next step; does not advance the schedule: call
   * {@link #finishStep()} once after the last tensor of a training step.
   *
   * <p>Each tensor has its own step count (as in PyTorch). Stepping every tensor once and then
   * calling {@link #finishStep()} is bit-identical to {@link #step()}. Stepping some tensors more
   * often than others is allowed: their counts diverge, and a group then prepares its kernels
   * once per distinct step count.
   *
   * @throws IllegalArgumentException if {@code param} is not a registered parameter buffer
   * @throws NonFiniteGradientException if its gradient holds NaN or Inf under
   *     {@link NonFiniteGradients#REFUSE}; nothing changed then
   * @throws StorageOverflowException if the step stored NaN or Infinity in a 16-bit buffer; it
   *     was taken
   * @throws ConcurrentStepException if another thread is stepping or changing this optimizer
   */
  public final void stepTensor(Object param) {
    enterAtTrainingPoint("stepTensor");
    try {
      Tensor tensor = tensor(param);
      tensor.group.beginStep();
      if (!engine.step(tensor.alone, options)) {
        skippedSteps++;
      }
      engine.reportStorageOverflow();
    } finally {
      exit();
    }
  }

  /**
   * Steps every tensor of one group now (see {@link #stepTensor}); does not advance the schedule.
   *
   * @throws IllegalArgumentException if {@code group} belongs to another optimizer
   * @throws NonFiniteGradientException if a gradient of the group holds NaN or Inf under
   *     {@link NonFiniteGradients#REFUSE}; nothing changed then
   * @throws StorageOverflowException if the step stored NaN or Infinity in a 16-bit buffer; it
   *     was taken
   * @throws ConcurrentStepException if another thread is stepping or changing this optimizer
   */
  public final void stepGroup(ParamGroup group) {
    Objects.requireNonNull(group, "group");
    if (group.optimizer() != this) {
      throw new IllegalArgumentException(group + " belongs to another optimizer");
    }
    enterAtTrainingPoint("stepGroup");
    try {
      group.beginStep();
      if (!engine.step(group.tensors, options)) {
        skippedSteps++;
      }
      engine.reportStorageOverflow();
    } finally {
      exit();
    }
  }

  /**
   * Ends a training step taken tensor by tensor ({@link #stepTensor}, {@link #stepGroup}):
   * advances every group's schedule position and {@link #stepCount()}, as {@link #step()} does
   * after its tensors. Touches no tensor.
   *
   * @throws ConcurrentStepException if another thread is stepping or changing this optimizer
   */
  public final void finishStep() {
    enter("finishStep");
    try {
      finishGroups();
    } finally {
      exit();
    }
  }

  private void beginGroups() {
    for (int g = 0, n = groups.size(); g < n; g++) {
      groups.get(g).beginStep();
    }
  }

  private void finishGroups() {
    for (int g = 0, n = groups.size(); g < n; g++) {
      groups.get(g).finishStep();
    }
    steps++;
  }

  /** The number of finished steps: {@link #step()} calls that were not skipped, plus {@link #finishStep()} calls. */
  public final long stepCount() {
    return steps;
  }

  /** The number of steps skipped because of a NaN or Inf gradient ({@link NonFiniteGradients#SKIP}). */
  public final long skippedSteps() {
    return skippedSteps;
  }

  /** The number of registered tensors. */
  public final int tensorCount() {
    return tensors.size();
  }

  /** What this optimizer computes. */
  public final SpecInfo spec() {
    return spec;
  }

  /**
   * The seed of stochastic rounding: the builder's {@code seed}, or the seed of the checkpoint
   * last loaded (a resumed run continues the saved run's noise). Tensor {@code k} rounds with
   * {@code RoundingNoise.tensorSeed(roundingSeed(), k)}. Meaningless, and 0 unless loaded, for an
   * optimizer that rounds to nearest.
   */
  public final long roundingSeed() {
    return roundingSeed;
  }

  /** The default group's hyperparameters, which the next step uses ({@link ParamGroup#hyperparameters()}). */
  public final Hyperparameters hyperparameters() {
    return defaultGroup.hyperparameters();
  }

  /**
   * Replaces the default group's hyperparameters for the following steps.
   *
   * @throws IllegalArgumentException if the spec cannot use them (see {@link SpecInfo#check}), if
   *     they do not fit the kernels' arithmetic (ε that leaves a zero denominator, a learning
   *     rate or step size that is not finite in float32 for a group with float, bf16 or fp16
   *     tensors; docs/SEMANTICS.md, "Hyperparameter domains"), or if they change the Adam-2k
   *     warm-up length after the first step (the warm-up is the start of training; moving it
   *     later would restart a first moment that is already running); nothing changes then
   */
  public final void setHyperparameters(Hyperparameters h) {
    defaultGroup.setHyperparameters(h);
  }

  /**
   * Sets the default group's learning rate for the following steps. Allocates; a learning rate
   * that changes every step is a schedule ({@link #setSchedule}), which does not.
   *
   * @throws IllegalArgumentException if {@code lr} is negative or not finite, or too large for the
   *     arithmetic of the group's kernels (float32: {@code lr = 1e40}); nothing changes then
   */
  public final void setLr(double lr) {
    defaultGroup.setLr(lr);
  }

  /** Sets the default group's learning-rate schedule ({@link ParamGroup#setSchedule}). */
  public final void setSchedule(LrSchedule schedule) {
    defaultGroup.setSchedule(schedule);
  }

  /** The default group: index 0, where {@code add(param, grad)} registers. */
  public final ParamGroup defaultGroup() {
    return defaultGroup;
  }

  /** Every group, in creation order (the default group first). */
  public final List<ParamGroup> groups() {
    return Collections.unmodifiableList(groups);
  }

  /**
   * A new, empty parameter group with its own hyperparameters (and the constant schedule).
   *
   * @throws IllegalArgumentException if the spec cannot use them; no group is added then
   */
  public final ParamGroup addGroup(Hyperparameters h) {
    enter("addGroup");
    try {
      ParamGroup group = new ParamGroup(this, groups.size(), h, LrSchedule.constant());
      groups.add(group);
      return group;
    } finally {
      exit();
    }
  }

  /** The group of the tensor whose parameter buffer is {@code param}. */
  public final ParamGroup group(Object param) {
    return tensor(param).group;
  }

  /** How steps run: threads, chunks, the NaN/Inf policy. */
  public final StepOptions stepOptions() {
    return options;
  }

  /**
   * Sets how the following steps run. Results are bit-identical for every setting.
   *
   * @throws ConcurrentStepException if another thread is stepping or changing this optimizer
   */
  public final void setStepOptions(StepOptions options) {
    Objects.requireNonNull(options, "options");
    enter("setStepOptions");
    try {
      this.options = options;
    } finally {
      exit();
    }
  }

  /**
   * Saves the complete optimizer state (see docs/CHECKPOINT_FORMAT.md) to {@code file},
   * atomically: written to a temporary file in the same directory, forced to disk, then renamed
   * over {@code file}. A crash or an error mid-save leaves an existing {@code file} as it was.
   * The temporary files of saves to {@code file} that were killed ({@code .<name>.<random>.tmp},
   * not locked by a save in progress) are removed first; nothing else in the directory is touched.
   * Parameters are not included: they are the caller's arrays, saved with the model.
   *
   * @throws IOException if writing fails; {@code file} is then unchanged
   * @throws ConcurrentStepException if another thread is stepping or changing this optimizer
   */
  public final void save(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    enter("save");
    try {
      Checkpoint.save(this, file);
    } finally {
      exit();
    }
  }

  /**
   * Loads state saved by {@link #save}: step counts, moments and every other state array, group
   * hyperparameters, schedules and positions. The optimizer must have the same spec and the same
   * tensors (count, order, groups, precisions, lengths) registered, with their parameters restored
   * by the caller. Everything is read and checked (checksums included) into new arrays before
   * anything is copied in, so a failure leaves the optimizer exactly as it was.
   *
   * <p>The stochastic-rounding seed is part of the state: after a load, {@link #roundingSeed()} is
   * the saved optimizer's, whatever this one was built with.
   *
   * @throws CheckpointException if the file is truncated, corrupted (checksums, and every value
   *     checked against its domain), of another format version, from another spec, or its tensors
   *     do not match (bf16 and fp16 included); its {@link CheckpointException#problem()} says which
   * @throws IOException if reading fails
   * @throws ConcurrentStepException if another thread is stepping or changing this optimizer
   */
  public final void load(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    enterAtTrainingPoint("load");
    try {
      Checkpoint.load(this, file);
    } finally {
      exit();
    }
  }

  /**
   * Whether the parameters hold the evaluation point (after {@link #swapInEvaluationPoint}), in
   * which case steps and loads are refused until {@link #restoreTrainingPoint}.
   */
  public final boolean atEvaluationPoint() {
    return evaluation != null;
  }

  /**
   * Copies state slot {@code slot} of every tensor into its parameter, keeping the training point
   * (for an optimizer whose spec names an evaluation point, e.g. schedule-free AdamW's {@code x};
   * its generated class calls it from {@code useEvaluationPoint()}). Does nothing if already there.
   *
   * @throws UnsupportedOperationException for off-heap tensors, before changing anything
   * @throws ConcurrentStepException if another thread is stepping or changing this optimizer
   */
  protected final void swapInEvaluationPoint(String slot) {
    enter("useEvaluationPoint");
    try {
      if (evaluation == null) {
        evaluation = EvaluationSwap.swapIn(tensors, slot);
      }
    } finally {
      exit();
    }
  }

  /** Puts the training point back into every parameter, bit for bit; does nothing if it is there. */
  protected final void restoreTrainingPoint() {
    enter("useTrainingPoint");
    try {
      if (evaluation != null) {
        evaluation.restore();
        evaluation = null;
      }
    } finally {
      exit();
    }
  }

  /** {@link #enter}, refusing while the parameters hold the evaluation point (nothing changed). */
  private void enterAtTrainingPoint(String operation) {
    enter(operation);
    if (evaluation != null) {
      exit();
      throw new IllegalStateException(operation + " while the parameters hold the evaluation point;"
          + " call useTrainingPoint() first");
    }
  }

  /** Takes the one-thread-at-a-time guard, or refuses. */
  final void enter(String operation) {
    if (!busy.compareAndSet(false, true)) {
      throw new ConcurrentStepException(operation);
    }
  }

  final void exit() {
    busy.set(false);
  }

  final List<Tensor> tensors() {
    return tensors;
  }

  final void restoreCounters(long finishedSteps, long skipped) {
    this.steps = finishedSteps;
    this.skippedSteps = skipped;
  }

  /** Installs a loaded seed: from now on every tensor (and every tensor added later) rounds with it. */
  final void restoreRoundingSeed(long seed) {
    this.roundingSeed = seed;
    for (Tensor tensor : tensors) {
      tensor.kernel.setRoundingSeed(RoundingNoise.tensorSeed(seed, tensor.index));
    }
  }

  /** The step count of the tensor whose parameter buffer is {@code param}. */
  public final long stepCount(Object param) {
    return tensor(param).step;
  }

  /**
   * The names of the state arrays of the tensor whose parameter buffer is {@code param}: the
   * spec's {@link SpecInfo#stateNames()}, plus {@code kahan_comp} for a Kahan-compensated 16-bit
   * tensor.
   *
   * @throws IllegalArgumentException if {@code param} is not registered
   */
  public final List<String> stateNames(Object param) {
    return tensor(param).kernel.stateNames();
  }

  /**
   * The live state array {@code name} (e.g. {@code exp_avg}) of the tensor whose parameter buffer
   * is {@code param}; generated subclasses add typed accessors ({@code expAvg(float[])}). For an
   * off-heap tensor ({@link #addDirect}) the live direct {@link ByteBuffer} of the state, in the
   * platform's byte order.
   *
   * @throws IllegalArgumentException if {@code param} is not registered or the spec has no such state
   */
  public final Object state(Object param, String name) {
    Tensor tensor = tensor(param);
    int slot = tensor.kernel.stateNames().indexOf(name);
    if (slot < 0) {
      throw new IllegalArgumentException(spec.name() + " has no state '" + name + "'; it has "
          + tensor.kernel.stateNames());
    }
    return userView(tensor.state[slot]);
  }

  /**
   * The kernel class this optimizer steps buffers of {@code bufferType} with: for running the same
   * kernel elsewhere (the member of a cluster that owns a shard of a tensor builds it there with
   * its public no-argument constructor).
   *
   * @throws IllegalArgumentException if the spec has no kernel for that buffer type, or the type
   *     alone does not say which ({@code short[]} with both bf16 and fp16 generated)
   */
  public final Class<? extends StepKernel> kernelClass(Class<?> bufferType) {
    Objects.requireNonNull(bufferType, "bufferType");
    StepKernel kernel = newKernel(bufferType);
    if (kernel == null) {
      throw new IllegalArgumentException(spec.name() + " has no kernel for " + bufferType.getSimpleName()
          + " buffers (spec " + spec.specClass() + ")");
    }
    return kernel.getClass();
  }

  /**
   * The names of the scalars the kernel of the tensor whose parameter buffer is {@code param}
   * carries from step to step ({@link StepKernel#carriedNames()}: NAdam's
   * {@code momentum_product}; empty for most specs).
   *
   * @throws IllegalArgumentException if {@code param} is not registered
   */
  public final List<String> carriedNames(Object param) {
    return tensor(param).kernel.carriedNames();
  }

  /**
   * A copy of the carried values of the tensor whose parameter buffer is {@code param}, in
   * {@link #carriedNames(Object)} order (NAdam's Π: 1 before the first momentum step): with
   * {@link #stepCount(Object)}, the tensor's clock.
   *
   * @throws IllegalArgumentException if {@code param} is not registered
   */
  public final double[] carriedValues(Object param) {
    return tensor(param).carried.clone();
  }

  /**
   * Sets the clock of the tensor whose parameter buffer is {@code param} (its step count and its
   * carried values, e.g. NAdam's Π), for state computed elsewhere (a sharded optimizer's shards,
   * gathered into this optimizer to be saved, or the other way round): the state arrays themselves
   * are the live arrays of {@link #state(Object, String)}. Checked as a checkpoint's values are.
   *
   * @param carried one value per {@link #carriedNames(Object)} name, in that order; copied
   * @throws IllegalArgumentException if {@code param} is not registered, {@code step} is negative
   *     or beyond 2^53, or {@code carried} is not one finite value per name (NAdam's Π: 1 before
   *     the first momentum step, else in [0, 1]); nothing changes then
   * @throws ConcurrentStepException if another thread is stepping or changing this optimizer
   */
  public final void restoreClock(Object param, long step, double[] carried) {
    enter("restoreClock");
    try {
      Tensor tensor = tensor(param);
      if (step < 0 || step > Checkpoint.MAX_COUNT) {
        throw new IllegalArgumentException("step count " + step + " is outside [0, 2^53]");
      }
      String invalid = CarriedValues.invalid(tensor.kernel.carriedNames(), carried, step,
          tensor.group.hyperparameters().varianceWarmupSteps(), spec);
      if (invalid != null) {
        throw new IllegalArgumentException("tensor " + tensor.index + " of " + spec.name() + " at step count "
            + step + ": " + invalid);
      }
      tensor.step = step;
      System.arraycopy(carried, 0, tensor.carried, 0, carried.length);
      tensor.group.stepped |= step > 0;
    } finally {
      exit();
    }
  }

  /**
   * Sets the counters ({@link #stepCount()}, {@link #skippedSteps()}) and each group's schedule
   * position, as loading a checkpoint does; see {@link #restoreClock}.
   *
   * @param groupPositions one position per group, in {@link #groups()} order, each at most
   *     {@code finishedSteps}
   * @throws IllegalArgumentException if a count is negative or beyond 2^53, a position is ahead
   *     of {@code finishedSteps}, or there is not one position per group; nothing changes then
   * @throws ConcurrentStepException if another thread is stepping or changing this optimizer
   */
  public final void restoreProgress(long finishedSteps, long skippedSteps, long[] groupPositions) {
    Objects.requireNonNull(groupPositions, "groupPositions");
    enter("restoreProgress");
    try {
      if (finishedSteps < 0 || finishedSteps > Checkpoint.MAX_COUNT || skippedSteps < 0
          || skippedSteps > Checkpoint.MAX_COUNT) {
        throw new IllegalArgumentException("counts must be in [0, 2^53]: " + finishedSteps + " finished, "
            + skippedSteps + " skipped");
      }
      if (groupPositions.length != groups.size()) {
        throw new IllegalArgumentException(groupPositions.length + " schedule positions for "
            + groups.size() + " groups");
      }
      for (int g = 0; g < groupPositions.length; g++) {
        if (groupPositions[g] < 0 || groupPositions[g] > finishedSteps) {
          throw new IllegalArgumentException("group " + g + "'s schedule position " + groupPositions[g]
              + " is outside [0, " + finishedSteps + " finished steps]");
        }
      }
      for (int g = 0; g < groupPositions.length; g++) {
        ParamGroup group = groups.get(g);
        group.restore(group.hyperparameters(), group.schedule(), group.view(), groupPositions[g], group.stepped);
      }
      restoreCounters(finishedSteps, skippedSteps);
    } finally {
      exit();
    }
  }

  private Tensor tensor(Object param) {
    Tensor tensor = byParam.get(param);
    if (tensor == null) {
      throw new IllegalArgumentException("this buffer is not a registered parameter of " + spec.name());
    }
    return tensor;
  }
}
