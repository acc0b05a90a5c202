package io.github.optkernels.runtime;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Base of every generated optimizer: owns the registered tensors, their state arrays and step
 * counts, and runs one {@link StepKernel} per tensor on {@link #step()}.
 *
 * <p>A generated subclass adds the typed API ({@code add(float[] param, float[] grad)},
 * {@code expAvg(float[] param)}, ...) and a builder seeded with the spec's defaults. Parameters
 * and gradients stay the caller's arrays: fill the gradient buffers, call {@link #step()}, and the
 * parameter buffers are updated in place.
 *
 * <p>Not thread-safe: one thread steps an optimizer at a time.
 */
public abstract class KernelOptimizer {
  private final SpecInfo spec;
  private Hyperparameters hyperparameters;
  private final List<Tensor> tensors = new ArrayList<>();
  private final Map<Object, Tensor> byParam = new IdentityHashMap<>();
  private final Map<Object, Object> buffers = new IdentityHashMap<>();
  private long steps;

  /** One registered parameter tensor: its buffers, its kernel (holding the prepared scalars) and its clock. */
  private static final class Tensor {
    final Object param;
    final Object grad;
    final Object[] state;
    final StepKernel kernel;
    final int length;
    long step;
    double momentumProduct = 1.0;

    Tensor(Object param, Object grad, Object[] state, StepKernel kernel, int length) {
      this.param = param;
      this.grad = grad;
      this.state = state;
      this.kernel = kernel;
      this.length = length;
    }
  }

  /**
   * @param spec what the subclass computes
   * @param hyperparameters initial hyperparameters, checked against the spec
   */
  protected KernelOptimizer(SpecInfo spec, Hyperparameters hyperparameters) {
    this.spec = Objects.requireNonNull(spec, "spec");
    spec.check(Objects.requireNonNull(hyperparameters, "hyperparameters"));
    this.hyperparameters = hyperparameters;
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
   * Registers a parameter tensor of any precision this optimizer was generated for, with fresh,
   * zeroed state. Generated subclasses add typed overloads ({@code add(float[], float[])}).
   *
   * @param param the parameter buffer, updated in place by {@link #step()}
   * @param grad the gradient buffer of the same type and length, read by {@link #step()}
   * @return this optimizer
   * <p>{@code short[]} buffers hold bf16 or fp16 bits; the type cannot tell which. They are
   * accepted here when the spec generates exactly one of the two, and refused when it generates
   * both (use the generated {@code addBf16}/{@code addFp16} then).
   *
   * @throws IllegalArgumentException if the buffers are not arrays of a generated precision, their
   *     types or lengths differ, {@code short[]} is ambiguous, or either buffer is already
   *     registered; nothing is registered then
   */
  public KernelOptimizer add(Object param, Object grad) {
    Objects.requireNonNull(param, "param");
    Objects.requireNonNull(grad, "grad");
    if (param.getClass() != grad.getClass()) {
      throw new IllegalArgumentException("param is " + param.getClass().getSimpleName()
          + " but grad is " + grad.getClass().getSimpleName());
    }
    StepKernel kernel = newKernel(param.getClass());
    if (kernel == null) {
      throw new IllegalArgumentException(spec.name() + " has no kernel for "
          + param.getClass().getSimpleName() + " buffers (spec " + spec.specClass() + ")");
    }
    register(param, grad, kernel);
    return this;
  }

  /**
   * Registers a parameter tensor with fresh, zeroed state.
   *
   * @param param the parameter buffer, updated in place by {@link #step()}
   * @param grad the gradient buffer, read by {@link #step()}
   * @param kernel a new kernel instance for this tensor's precision
   * @throws IllegalArgumentException if the lengths differ or either buffer is already registered
   */
  protected final void register(Object param, Object grad, StepKernel kernel) {
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
    for (Object buffer : new Object[] {param, grad}) {
      Object owner = buffers.get(buffer);
      if (owner != null) {
        throw new IllegalArgumentException("buffer already registered (as "
            + (owner == buffer ? "a parameter" : "a gradient") + "); each buffer may be added once");
      }
    }
    List<Class<?>> types = kernel.stateTypes();
    Object[] state = new Object[kernel.stateNames().size()];
    for (int s = 0; s < state.length; s++) {
      state[s] = Array.newInstance(types.get(s).getComponentType(), length);
    }
    Tensor tensor = new Tensor(param, grad, state, kernel, length);
    tensors.add(tensor);
    byParam.put(param, tensor);
    buffers.put(param, param);
    buffers.put(grad, param);
  }

  /**
   * Takes one optimizer step over every registered tensor: reads the gradients, updates the
   * parameters and the state in place. Allocates nothing.
   */
  public final void step() {
    Hyperparameters h = hyperparameters;
    for (int k = 0, n = tensors.size(); k < n; k++) {
      Tensor tensor = tensors.get(k);
      long next = tensor.step + 1;
      StepKernel kernel = tensor.kernel;
      kernel.prepare(next, tensor.momentumProduct, h);
      kernel.update(tensor.param, tensor.grad, tensor.state, 0, tensor.length);
      tensor.step = next;
      tensor.momentumProduct = kernel.momentumProductAfter();
    }
    steps++;
  }

  /** The number of {@link #step()} calls so far. */
  public final long stepCount() {
    return steps;
  }

  /** The number of registered tensors. */
  public final int tensorCount() {
    return tensors.size();
  }

  /** What this optimizer computes. */
  public final SpecInfo spec() {
    return spec;
  }

  /** The hyperparameters the next step uses. */
  public final Hyperparameters hyperparameters() {
    return hyperparameters;
  }

  /**
   * Replaces the hyperparameters for the following steps.
   *
   * @throws IllegalArgumentException if the spec cannot use them (see {@link SpecInfo#check}), or
   *     if they change the Adam-2k warm-up length after the first step (the warm-up is the start
   *     of training; moving it later would restart a first moment that is already running);
   *     nothing changes then
   */
  public final void setHyperparameters(Hyperparameters h) {
    spec.check(Objects.requireNonNull(h, "hyperparameters"));
    if (steps > 0 && h.varianceWarmupSteps() != hyperparameters.varianceWarmupSteps()) {
      throw new IllegalArgumentException("varianceWarmupSteps cannot change after the first step (was "
          + hyperparameters.varianceWarmupSteps() + ", asked " + h.varianceWarmupSteps() + ")");
    }
    hyperparameters = h;
  }

  /**
   * Sets the learning rate for the following steps (a schedule calls this between steps).
   *
   * @throws IllegalArgumentException if {@code lr} is negative or not finite; nothing changes then
   */
  public final void setLr(double lr) {
    hyperparameters = hyperparameters.withLr(lr);
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
   * is {@code param}; generated subclasses add typed accessors ({@code expAvg(float[])}).
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
    return tensor.state[slot];
  }

  private Tensor tensor(Object param) {
    Tensor tensor = byParam.get(param);
    if (tensor == null) {
      throw new IllegalArgumentException("this buffer is not a registered parameter of " + spec.name());
    }
    return tensor;
  }
}
