package io.github.optkernels.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A parameter group: tensors that share hyperparameters and a learning-rate schedule (PyTorch's
 * {@code param_groups}), e.g. the weights that decay and the biases and norms that do not.
 * Every optimizer has a default group (index 0, what {@code add(param, grad)} registers into);
 * {@link KernelOptimizer#addGroup} makes more.
 *
 * <p>Per step, the group computes its learning rate once ({@link #nextLr()}), and the kernel
 * scalars are prepared once per distinct step count among its tensors (tensors of one group
 * normally share one; see {@link KernelOptimizer#stepTensor}). Hyperparameters and the schedule
 * may be changed between steps; each change is validated against the spec and refused, changing
 * nothing, if invalid. A change made while another thread steps the optimizer is refused with
 * {@link ConcurrentStepException}.
 */
public final class ParamGroup {
  private final KernelOptimizer optimizer;
  private final int index;
  final List<KernelOptimizer.Tensor> tensors = new ArrayList<>();
  private Hyperparameters hyperparameters;
  private LrSchedule schedule;
  private long position;
  private StepHyperparameters view;
  /** Some tensor of this group has stepped: the Adam-2k warm-up length is fixed from then on. */
  boolean stepped;
  /** Some tensor of this group computes in float32 (float, bf16, fp16), whose range is smaller. */
  private boolean float32;
  private final StepScalars limits;

  ParamGroup(KernelOptimizer optimizer, int index, Hyperparameters hyperparameters, LrSchedule schedule) {
    this.optimizer = optimizer;
    this.index = index;
    this.limits = new StepScalars(optimizer.spec());
    this.view = resolve(optimizer.spec(), hyperparameters, schedule, false);
    this.hyperparameters = hyperparameters;
    this.schedule = schedule;
  }

  /**
   * Checks {@code h} and {@code schedule} against the spec and builds the per-step view, with
   * {@code max_lr} resolved: the one set, or else the schedule's peak learning rate. The peak is
   * also checked against the kernels' arithmetic ({@link StepScalars}): float64 always, float32
   * if {@code float32} (the group has such tensors; one that joins later is checked at the step).
   */
  static StepHyperparameters resolve(SpecInfo spec, Hyperparameters h, LrSchedule schedule, boolean float32) {
    Objects.requireNonNull(h, "hyperparameters");
    Objects.requireNonNull(schedule, "schedule");
    spec.check(h);
    double maxLr = Double.NaN;
    if (spec.usedHyperparameters().contains(Hyperparameter.MAX_LR)) {
      maxLr = Double.isNaN(h.maxLr()) ? schedule.peak(h.lr()) : h.maxLr();
      if (!(maxLr > 0) && h.weightDecay() != 0) {
        throw new IllegalArgumentException(spec.name() + " uses fully decoupled weight decay and maxLr"
            + " is not set, so max_lr is the schedule's peak learning rate, which is 0 (" + schedule
            + ", lr = " + h.lr() + "); set maxLr(...) or a positive learning rate");
      }
    }
    // every schedule stays at or below its peak, so the peak bounds each step's scalars
    StepScalars limits = new StepScalars(spec);
    double peak = schedule.peak(h.lr());
    String problem = limits.problem(h, peak, maxLr, false);
    if (problem == null && float32) {
      problem = limits.problem(h, peak, maxLr, true);
    }
    if (problem != null) {
      throw new IllegalArgumentException(spec.name() + ": " + problem
          + (peak != h.lr() ? " (the peak of the schedule " + schedule + ")" : ""));
    }
    return new StepHyperparameters(h, maxLr);
  }

  /** The group's position among its optimizer's groups (0 is the default group). */
  public int index() {
    return index;
  }

  /** The number of tensors registered in this group. */
  public int tensorCount() {
    return tensors.size();
  }

  /** The group's hyperparameters; with a schedule, {@code lr} is the base the schedule scales. */
  public Hyperparameters hyperparameters() {
    return hyperparameters;
  }

  /** The group's learning-rate schedule ({@link LrSchedule#constant()} unless set). */
  public LrSchedule schedule() {
    return schedule;
  }

  /** The schedule position: how many steps of this group have been finished. */
  public long schedulePosition() {
    return position;
  }

  /** The learning rate the next step of this group uses: the schedule at {@code position + 1}. */
  public double nextLr() {
    return schedule.lr(position + 1, hyperparameters.lr());
  }

  /**
   * The {@code max_lr} fully decoupled decay uses: {@code maxLr} if set, else the schedule's
   * peak; NaN for specs without fully decoupled decay.
   */
  public double maxLr() {
    return view.maxLr();
  }

  /**
   * Registers a parameter tensor in this group (see {@link KernelOptimizer#add(Object, Object)}).
   *
   * @return this group
   * @throws IllegalArgumentException if the buffers are not arrays of a generated precision,
   *     their types or lengths differ, or either buffer is already registered in any group
   */
  public ParamGroup add(Object param, Object grad) {
    optimizer.add(this, param, grad);
    return this;
  }

  /**
   * Registers an off-heap parameter tensor in this group (see
   * {@link KernelOptimizer#addDirect(BufferFormat, java.nio.ByteBuffer, java.nio.ByteBuffer)}).
   *
   * @return this group
   * @throws IllegalArgumentException as {@code addDirect} does; nothing is registered then
   */
  public ParamGroup addDirect(BufferFormat format, java.nio.ByteBuffer param, java.nio.ByteBuffer grad) {
    optimizer.addDirect(this, format, param, grad);
    return this;
  }

  /**
   * Replaces the group's hyperparameters for the following steps.
   *
   * @throws IllegalArgumentException if the spec cannot use them ({@link SpecInfo#check}), if
   *     fully decoupled decay would have no {@code max_lr}, if they do not fit the kernels'
   *     arithmetic (docs/SEMANTICS.md, "Hyperparameter domains": ε that leaves a zero
   *     denominator, a learning rate or step size not finite in the arithmetic of the group's
   *     tensors), or if they change the Adam-2k warm-up length after a tensor of this group has
   *     stepped (the warm-up is the start of training); nothing changes then
   */
  public void setHyperparameters(Hyperparameters h) {
    Objects.requireNonNull(h, "hyperparameters");
    optimizer.enter("setHyperparameters");
    try {
      if (stepped && h.varianceWarmupSteps() != hyperparameters.varianceWarmupSteps()) {
        throw new IllegalArgumentException("varianceWarmupSteps cannot change after the first step (was "
            + hyperparameters.varianceWarmupSteps() + ", asked " + h.varianceWarmupSteps() + ")");
      }
      view = resolve(optimizer.spec(), h, schedule, float32);
      hyperparameters = h;
    } finally {
      optimizer.exit();
    }
  }

  /**
   * Sets the group's base learning rate. Allocates (a new {@link Hyperparameters}); a learning
   * rate that changes every step is a {@link LrSchedule}, which does not.
   *
   * @throws IllegalArgumentException if {@code lr} is negative or not finite, or too large for the
   *     arithmetic of the group's kernels; nothing changes then
   */
  public void setLr(double lr) {
    setHyperparameters(hyperparameters.withLr(lr));
  }

  /**
   * Sets the group's learning-rate schedule; the position is kept, so the new schedule continues
   * from the step the group is at.
   *
   * @throws IllegalArgumentException if fully decoupled decay would have no {@code max_lr} (the
   *     schedule's peak is 0), or the schedule's peak is too large for the arithmetic of the
   *     group's kernels; nothing changes then
   */
  public void setSchedule(LrSchedule schedule) {
    Objects.requireNonNull(schedule, "schedule");
    optimizer.enter("setSchedule");
    try {
      view = resolve(optimizer.spec(), hyperparameters, schedule, float32);
      this.schedule = schedule;
    } finally {
      optimizer.exit();
    }
  }

  KernelOptimizer optimizer() {
    return optimizer;
  }

  /** Whether some tensor of this group computes in float32. */
  boolean float32() {
    return float32;
  }

  void addTensor(KernelOptimizer.Tensor tensor) {
    tensors.add(tensor);
    float32 |= StepScalars.float32(tensor.kernel);
  }

  /**
   * Sets this step's learning rate into the view the kernels are prepared with, after checking
   * it (and what the kernels derive from it) against the arithmetic of the group's tensors.
   * Allocates nothing unless it refuses.
   *
   * @throws IllegalArgumentException if a per-step scalar would not be finite in a kernel's
   *     arithmetic; nothing has been written then
   */
  StepHyperparameters beginStep() {
    long step = position + 1;
    double lr = schedule.lr(step, hyperparameters.lr());
    String problem = limits.problem(hyperparameters, lr, view.maxLr(), false);
    if (problem == null && float32) {
      problem = limits.problem(hyperparameters, lr, view.maxLr(), true);
    }
    if (problem != null) {
      throw new IllegalArgumentException(optimizer.spec().name() + ", group " + index + ", step " + step
          + " (schedule " + schedule + "): " + problem + "; the step was refused and nothing changed");
    }
    view.setLr(lr);
    return view;
  }

  /** The view of the step being prepared (after {@link #beginStep()}). */
  StepHyperparameters view() {
    return view;
  }

  void finishStep() {
    position++;
  }

  /** Installs state read from a checkpoint; the caller has validated it with {@link #resolve}. */
  void restore(Hyperparameters h, LrSchedule s, StepHyperparameters resolved, long schedulePosition,
      boolean hasStepped) {
    this.hyperparameters = h;
    this.schedule = s;
    this.view = resolved;
    this.position = schedulePosition;
    this.stepped = hasStepped;
  }

  @Override
  public String toString() {
    return "ParamGroup " + index + " (" + tensors.size() + " tensors, " + schedule + " at "
        + position + ", " + hyperparameters + ")";
  }
}
