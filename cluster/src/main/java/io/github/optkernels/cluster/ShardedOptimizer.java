package io.github.optkernels.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.github.optkernels.runtime.GradientScan;
import io.github.optkernels.runtime.Hyperparameters;
import io.github.optkernels.runtime.KernelOptimizer;
import io.github.optkernels.runtime.LrSchedule;
import io.github.optkernels.runtime.NonFiniteGradientException;
import io.github.optkernels.runtime.NonFiniteGradients;
import io.github.optkernels.runtime.ParamGroup;
import io.github.optkernels.runtime.SpecInfo;
import io.github.optkernels.runtime.StepKernel;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.zip.CRC32C;

/**
 * A worker's handle on an optimizer whose state is sharded across a Hazelcast cluster
 * (data-parallel training; DeepSpeed's ZeRO stage 1). Each of the W workers builds one with its
 * rank, registers the same tensors in the same order, fills its gradient buffers from its part of
 * the batch and calls {@link #step()}: the gradients of every shard go to the member that owns it,
 * which adds them in rank order ({@link GradientReduction}), steps the shard with the spec's
 * generated kernel next to its data and returns the updated parameters, which {@code step()}
 * writes into the worker's parameter buffers. Every worker ends each step with the same
 * parameters, bit for bit those of the single-process optimizer fed the reduced gradient, for any
 * member count, shard size and worker count.
 *
 * <pre>{@code
 * ShardedOptimizer optimizer = ShardedOptimizer.builder(hazelcast, "mlp", () -> AdamW.builder().lr(3e-3).build())
 *     .workers(2).rank(rank).build();
 * optimizer.add(weights, weightGrads);
 * ...
 * model.backward(myPartOfTheBatch);   // fills weightGrads
 * optimizer.step();                   // weights now hold the step's parameters
 * }</pre>
 *
 * <p>The optimizer the factory builds (groups, hyperparameters, schedules) is this worker's view of
 * the configuration: it computes each step's learning rate and hyperparameters, which travel with
 * the gradients; the owner of a shard refuses a step on which workers disagree. The state itself
 * (parameters, moments, step counts, the values a kernel carries from step to step such as
 * NAdam's Π) lives only in the cluster. A tensor whose kernel sums over the whole tensor before
 * it updates ({@link StepKernel#sumCount()}, e.g. LAMB's norms) is one shard, whatever the
 * shard size, so one member takes its sums exactly as the single-process optimizer does. Exactly once: a shard
 * carries its step count and ignores a gradient for a step it has taken, so a request that
 * Hazelcast retries after a member failed, or a {@code step()} called again after a failure,
 * never steps a shard twice.
 *
 * <p>Float32 and float64 tensors. 16-bit tensors are refused: the reduced gradient has no exact
 * 16-bit form, and a kernel's stochastic rounding hashes the element index, which a shard's kernel
 * would see relative to the shard; a model trained in 16 bits keeps float32 master weights in the
 * cluster and rounds them itself.
 *
 * <p>One thread at a time uses an instance.
 */
public final class ShardedOptimizer {
  private static final long INITIAL_POLL_NANOS = 20_000;
  private static final long MAX_POLL_NANOS = 1_000_000;

  private final IMap<Long, Shard> map;
  private final IMap<Long, double[]> steps;
  private final String name;
  private final Supplier<? extends KernelOptimizer> factory;
  private final KernelOptimizer configuration;
  private final int workers;
  private final int rank;
  private final int shardSize;
  private final GradientReduction reduction;
  private final NonFiniteGradients nonFiniteGradients;
  private final Duration stepTimeout;
  private final List<Tensor> tensors = new ArrayList<>();
  private final Map<Object, Tensor> buffers = new IdentityHashMap<>();
  private final AtomicBoolean busy = new AtomicBoolean();
  private long loads;
  private long gradientBytesSent;
  private long parameterBytesReceived;

  /** One registered tensor: the worker's buffers, its shards' keys and their step count. */
  private static final class Tensor {
    final int index;
    final Object param;
    final Object grad;
    final int group;
    final int length;
    final String kernelClass;
    final int[] from;
    final long[] keys;
    long step;

    Tensor(int index, Object param, Object grad, int group, int length, String kernelClass, int shardSize) {
      this.index = index;
      this.param = param;
      this.grad = grad;
      this.group = group;
      this.length = length;
      this.kernelClass = kernelClass;
      int shards = Math.max(1, (int) ((length + (long) shardSize - 1) / shardSize));
      this.from = new int[shards + 1];
      this.keys = new long[shards];
      for (int s = 0; s < shards; s++) {
        from[s] = (int) Math.min(length, (long) s * shardSize);
        keys[s] = ShardKeys.of(index, s);
      }
      from[shards] = length;
    }

    int shards() {
      return keys.length;
    }
  }

  private ShardedOptimizer(Builder b) {
    this.map = b.hazelcast.getMap(ClusterSetup.MAP_PREFIX + b.name);
    this.steps = b.hazelcast.getMap(ClusterSetup.MAP_PREFIX + b.name + ClusterSetup.STEPS_SUFFIX);
    this.name = b.name;
    this.factory = b.factory;
    this.configuration = emptyOptimizer(b.factory, null);
    this.workers = b.workers;
    this.rank = b.rank;
    this.shardSize = b.shardSize;
    this.reduction = b.reduction;
    this.nonFiniteGradients = b.nonFiniteGradients;
    this.stepTimeout = b.stepTimeout;
  }

  /**
   * A builder for the sharded optimizer {@code name} (its map in the cluster is
   * {@code "optkernels." + name}).
   *
   * @param hazelcast a member of the cluster, or a client of it
   * @param factory builds the generated optimizer, with no tensors, e.g.
   *     {@code () -> AdamW.builder().lr(1e-3).build()}: its groups, hyperparameters and schedule
   *     are this worker's configuration, and {@link #save}/{@link #load} use another instance to
   *     write and read the checkpoint format
   */
  public static Builder builder(HazelcastInstance hazelcast, String name, Supplier<? extends KernelOptimizer> factory) {
    return new Builder(hazelcast, name, factory);
  }

  /** How a sharded optimizer runs; everything but the worker count and rank has a default. */
  public static final class Builder {
    private final HazelcastInstance hazelcast;
    private final String name;
    private final Supplier<? extends KernelOptimizer> factory;
    private int workers = 1;
    private int rank = 0;
    private int shardSize = 1 << 20;
    private GradientReduction reduction = GradientReduction.SUM;
    private NonFiniteGradients nonFiniteGradients = NonFiniteGradients.REFUSE;
    private Duration stepTimeout = Duration.ofMinutes(2);

    private Builder(HazelcastInstance hazelcast, String name, Supplier<? extends KernelOptimizer> factory) {
      this.hazelcast = Objects.requireNonNull(hazelcast, "hazelcast");
      this.name = Objects.requireNonNull(name, "name");
      this.factory = Objects.requireNonNull(factory, "factory");
      if (name.isEmpty()) {
        throw new IllegalArgumentException("name must not be empty");
      }
    }

    /** The number of workers whose gradients make one step (default 1). */
    public Builder workers(int workers) {
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be >= 1, got " + workers);
      }
      this.workers = workers;
      return this;
    }

    /** This worker's rank, in [0, workers): the place of its gradient in the sum (default 0). */
    public Builder rank(int rank) {
      if (rank < 0) {
        throw new IllegalArgumentException("rank must be >= 0, got " + rank);
      }
      this.rank = rank;
      return this;
    }

    /**
     * Elements per shard (default 2^20, 4 MiB of float32 parameters): a tensor of {@code n}
     * elements becomes {@code ceil(n / shardSize)} shards, spread over the partitions and so over
     * the members. Every worker must use the same size. Results do not depend on it. A tensor
     * whose kernel takes per-tensor sums ({@link StepKernel#sumCount()}) is always one shard.
     */
    public Builder shardSize(int elements) {
      if (elements < 1) {
        throw new IllegalArgumentException("shardSize must be >= 1, got " + elements);
      }
      this.shardSize = elements;
      return this;
    }

    /** Sum (the default) or mean of the workers' gradients. */
    public Builder reduction(GradientReduction reduction) {
      this.reduction = Objects.requireNonNull(reduction, "reduction");
      return this;
    }

    /**
     * {@link NonFiniteGradients#REFUSE} (the default: this worker's gradients are scanned before
     * anything is sent, and the owner scans the reduced gradient before it steps) or
     * {@link NonFiniteGradients#UNCHECKED}. {@link NonFiniteGradients#SKIP} is not offered: every
     * worker would have to learn of every other worker's bad gradient before any shard steps.
     */
    public Builder nonFiniteGradients(NonFiniteGradients policy) {
      Objects.requireNonNull(policy, "policy");
      if (policy == NonFiniteGradients.SKIP) {
        throw new IllegalArgumentException("a sharded optimizer cannot skip steps (SKIP): use REFUSE and skip"
            + " the step in the training loop when step() throws NonFiniteGradientException");
      }
      this.nonFiniteGradients = policy;
      return this;
    }

    /** How long {@link ShardedOptimizer#step()} waits for the other workers' gradients (default 2 minutes). */
    public Builder stepTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("stepTimeout must be positive, got " + timeout);
      }
      this.stepTimeout = timeout;
      return this;
    }

    /**
     * @throws IllegalArgumentException if the rank is not below the worker count, or the factory
     *     builds an optimizer that already has tensors
     */
    public ShardedOptimizer build() {
      if (rank >= workers) {
        throw new IllegalArgumentException("rank " + rank + " is outside [0, " + workers + ")");
      }
      return new ShardedOptimizer(this);
    }
  }

  // ---------------------------------------------------------------------------- configuration

  /** What this optimizer computes. */
  public SpecInfo spec() {
    return configuration.spec();
  }

  /** The number of workers, and this worker's rank. */
  public int workers() {
    return workers;
  }

  public int rank() {
    return rank;
  }

  /**
   * Adds a parameter group with its own hyperparameters (e.g. no weight decay for biases) and
   * returns its index. Every worker adds the same groups in the same order.
   */
  public int addGroup(Hyperparameters h) {
    enter();
    try {
      return configuration.addGroup(h).index();
    } finally {
      exit();
    }
  }

  /** The number of groups (the default group 0 included). */
  public int groupCount() {
    return configuration.groups().size();
  }

  /** Group {@code group}'s hyperparameters. */
  public Hyperparameters hyperparameters(int group) {
    return group(group).hyperparameters();
  }

  /** Replaces group {@code group}'s hyperparameters from the next step on (every worker must do the same). */
  public void setHyperparameters(int group, Hyperparameters h) {
    enter();
    try {
      group(group).setHyperparameters(h);
    } finally {
      exit();
    }
  }

  /** Sets group {@code group}'s learning-rate schedule (every worker must do the same). */
  public void setSchedule(int group, LrSchedule schedule) {
    enter();
    try {
      group(group).setSchedule(schedule);
    } finally {
      exit();
    }
  }

  /** Group {@code group}'s schedule. */
  public LrSchedule schedule(int group) {
    return group(group).schedule();
  }

  private ParamGroup group(int group) {
    List<ParamGroup> groups = configuration.groups();
    if (group < 0 || group >= groups.size()) {
      throw new IllegalArgumentException("no group " + group + "; there are " + groups.size());
    }
    return groups.get(group);
  }

  // ------------------------------------------------------------------------------ registration

  /** Registers a float32 tensor in the default group ({@link #add(int, Object, Object)}). */
  public ShardedOptimizer add(float[] param, float[] grad) {
    return add(0, param, grad);
  }

  /** Registers a float64 tensor in the default group ({@link #add(int, Object, Object)}). */
  public ShardedOptimizer add(double[] param, double[] grad) {
    return add(0, param, grad);
  }

  /**
   * Registers a tensor in group {@code group}: its shards are created in the cluster with these
   * initial parameters and zeroed state (by the first worker; the others check that theirs are
   * the same). Every worker registers the same tensors, with the same initial parameters, in the
   * same order.
   *
   * @param param the parameter buffer ({@code float[]} or {@code double[]}), overwritten with the
   *     updated parameters by every {@link #step()}
   * @param grad this worker's gradient buffer, same type and length, read by {@link #step()}
   * @throws IllegalArgumentException if the buffers are not float32 or float64 arrays of one type
   *     and length, are registered already, the group does not exist, the spec has no kernel for
   *     them, or the cluster holds another tensor under this index (another length, group, spec,
   *     shard size or worker count, other initial parameters, or a tensor at a later step that no
   *     checkpoint load put there: an earlier run under the same name, see {@link #destroy});
   *     this worker registers nothing then
   */
  public ShardedOptimizer add(int group, Object param, Object grad) {
    Objects.requireNonNull(param, "param");
    Objects.requireNonNull(grad, "grad");
    enter();
    try {
      group(group);
      if (param.getClass() != grad.getClass()) {
        throw new IllegalArgumentException("param is " + param.getClass().getSimpleName() + " but grad is "
            + grad.getClass().getSimpleName());
      }
      if (param.getClass() == short[].class) {
        throw new IllegalArgumentException("a sharded optimizer steps float32 and float64 tensors: the sum of"
            + " 16-bit gradients has no exact 16-bit form, and stochastic rounding hashes the element index,"
            + " which a shard's kernel sees relative to its shard; keep float32 master weights in the cluster");
      }
      if (param.getClass() != float[].class && param.getClass() != double[].class) {
        throw new IllegalArgumentException("param must be float[] or double[], got " + param.getClass().getSimpleName());
      }
      if (param == grad) {
        throw new IllegalArgumentException("param and grad must be different buffers");
      }
      int length = Array.getLength(param);
      if (Array.getLength(grad) != length) {
        throw new IllegalArgumentException("param has " + length + " elements but grad has " + Array.getLength(grad));
      }
      if (buffers.containsKey(param) || buffers.containsKey(grad)) {
        throw new IllegalArgumentException("buffer already registered; each buffer may be added once");
      }
      Class<? extends StepKernel> kernelClass = configuration.kernelClass(param.getClass());
      StepKernel kernel = newKernel(kernelClass);
      // a kernel that sums over the whole tensor before it updates (LAMB's norms) steps the
      // tensor on one member: its sums then need nothing from other members
      int size = kernel.sumCount() > 0 ? Integer.MAX_VALUE : shardSize;
      Tensor tensor = new Tensor(tensors.size(), param, grad, group, length, kernelClass.getName(), size);
      register(tensor, kernel);
      tensors.add(tensor);
      buffers.put(param, tensor);
      buffers.put(grad, tensor);
      return this;
    } finally {
      exit();
    }
  }

  private static StepKernel newKernel(Class<? extends StepKernel> kernelClass) {
    try {
      return kernelClass.getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException(kernelClass.getName() + " has no public no-argument constructor,"
          + " so members cannot build it: " + e, e);
    }
  }

  /** Puts the tensor's shards into the cluster, or checks the ones another worker put there. */
  private void register(Tensor tensor, StepKernel kernel) {
    List<CompletableFuture<String>> puts = new ArrayList<>(tensor.shards());
    for (int s = 0; s < tensor.shards(); s++) {
      Shard shard = newShard(tensor, s, kernel);
      shard.param = slice(tensor.param, tensor.from[s], tensor.from[s + 1]);
      shard.initialCrc = crc(shard.param);
      puts.add(map.submitToKey(tensor.keys[s], new RegisterShard(shard)).toCompletableFuture());
    }
    String problem = null;
    int where = -1;
    for (int s = 0; s < puts.size(); s++) {
      String difference = await(puts.get(s), "registering " + ShardKeys.describe(tensor.keys[s]));
      if (difference != null && problem == null) {
        problem = difference;
        where = s;
      }
    }
    if (problem != null) {
      throw new IllegalArgumentException("the cluster holds tensor " + tensor.index + " shard " + where
          + " of optimizer '" + name + "', but " + problem + "; this worker did not register the tensor");
    }
  }

  private Shard newShard(Tensor tensor, int s, StepKernel kernel) {
    Shard shard = new Shard();
    shard.spec = spec().name() + " (" + spec().structure() + ")";
    shard.optimizerClass = configuration.getClass().getName();
    shard.kernelClass = tensor.kernelClass;
    shard.tensor = tensor.index;
    shard.index = s;
    shard.group = tensor.group;
    shard.offset = tensor.from[s];
    shard.tensorLength = tensor.length;
    shard.workers = workers;
    shard.carried = kernel.carriedInitial();
    int n = tensor.from[s + 1] - tensor.from[s];
    List<Class<?>> types = kernel.stateTypes();
    shard.state = new Object[types.size()];
    for (int k = 0; k < types.size(); k++) {
      shard.state[k] = Array.newInstance(types.get(k).getComponentType(), n);
    }
    return shard;
  }

  /** The number of registered tensors. */
  public int tensorCount() {
    return tensors.size();
  }

  /** The number of shards of all registered tensors. */
  public int shardCount() {
    int n = 0;
    for (Tensor tensor : tensors) {
      n += tensor.shards();
    }
    return n;
  }

  // ------------------------------------------------------------------------------------- step

  /**
   * Takes one step: sends this worker's gradient of every shard to its owner, waits until every
   * shard has been stepped with the gradients of all workers, and writes the updated parameters
   * into this worker's parameter buffers. Then advances the configuration's schedules.
   *
   * @throws NonFiniteGradientException under {@link NonFiniteGradients#REFUSE}, if one of this
   *     worker's gradients holds NaN or Inf; nothing was sent, the cluster is unchanged
   * @throws ShardedStepException if the other workers' gradients did not all arrive within the
   *     step timeout, or an owner refused to step a shard because the reduced gradient was not
   *     finite (the sum of finite gradients can overflow); shards are stepped independently, so
   *     others may have stepped; calling {@code step()} again resends this step's gradients,
   *     which the stepped shards ignore
   * @throws IllegalArgumentException if this worker's hyperparameters for the step differ from those
   *     of the workers that started it (nothing was sent then), or an owner refuses a gradient that
   *     does not fit its shard (the shard is unchanged)
   * @throws IllegalStateException if this worker's step is out of order with the cluster's (a
   *     worker behind or ahead of the others); the shard is unchanged
   */
  public void step() {
    enter();
    try {
      long deadline = System.nanoTime() + stepTimeout.toNanos();
      if (nonFiniteGradients == NonFiniteGradients.REFUSE) {
        scanGradients();
      }
      int groups = configuration.groups().size();
      double[][] fields = new double[groups][];
      for (ParamGroup group : configuration.groups()) {
        fields[group.index()] = HyperparameterFields.nextStep(spec(), group);
      }
      // every group has the optimizer's layout: built-in hyperparameters, then the spec's own
      int perGroup = fields[0].length;
      double[] announced = new double[groups * perGroup];
      for (int g = 0; g < groups; g++) {
        System.arraycopy(fields[g], 0, announced, g * perGroup, perGroup);
      }
      await(steps.submitToKey(0L, new AnnounceStep(configuration.stepCount() + 1, rank, announced, perGroup))
          .toCompletableFuture(), "announcing step " + (configuration.stepCount() + 1), deadline);
      List<Pending> pending = new ArrayList<>();
      List<CompletableFuture<StepReply>> sent = new ArrayList<>();
      for (Tensor tensor : tensors) {
        for (int s = 0; s < tensor.shards(); s++) {
          Object slice = slice(tensor.grad, tensor.from[s], tensor.from[s + 1]);
          gradientBytesSent += bytes(slice);
          ContributeGradient c = new ContributeGradient(tensor.step + 1, rank, workers, reduction,
              nonFiniteGradients == NonFiniteGradients.REFUSE, fields[tensor.group], slice);
          sent.add(map.submitToKey(tensor.keys[s], c).toCompletableFuture());
          pending.add(new Pending(tensor, s));
        }
      }
      List<Pending> waiting = collect(pending, sent, deadline);
      long pause = INITIAL_POLL_NANOS;
      while (!waiting.isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw timeout(waiting);
        }
        LockSupport.parkNanos(pause);
        pause = Math.min(MAX_POLL_NANOS, pause * 2);
        waiting = collect(waiting, poll(waiting), deadline);
      }
      for (Tensor tensor : tensors) {
        tensor.step++;
      }
      configuration.finishStep();
    } finally {
      exit();
    }
  }

  /**
   * Asks the owners of the waiting shards whether their step was taken: one request per distinct
   * step (normally one), which Hazelcast splits by partition, rather than one per shard.
   */
  private List<CompletableFuture<StepReply>> poll(List<Pending> waiting) {
    Map<Long, CompletableFuture<Map<Long, StepReply>>> bySteps = new HashMap<>();
    for (Pending p : waiting) {
      long step = p.tensor.step + 1;
      if (!bySteps.containsKey(step)) {
        Set<Long> keys = new HashSet<>();
        for (Pending q : waiting) {
          if (q.tensor.step + 1 == step) {
            keys.add(q.tensor.keys[q.shard]);
          }
        }
        bySteps.put(step, map.submitToKeys(keys, new AwaitStep(step)).toCompletableFuture());
      }
    }
    List<CompletableFuture<StepReply>> replies = new ArrayList<>(waiting.size());
    for (Pending p : waiting) {
      long key = p.tensor.keys[p.shard];
      replies.add(bySteps.get(p.tensor.step + 1).thenApply(all -> all.get(key)));
    }
    return replies;
  }

  /** A shard whose step this worker waits for, and the last thing its owner said. */
  private static final class Pending {
    final Tensor tensor;
    final int shard;
    String missing = "?";

    Pending(Tensor tensor, int shard) {
      this.tensor = tensor;
      this.shard = shard;
    }
  }

  /**
   * Waits for every reply; copies the parameters of stepped shards into the worker's buffers and
   * returns the shards still waiting. Throws the first failure once every request has settled, so
   * none is still in flight.
   */
  private List<Pending> collect(List<Pending> shards, List<CompletableFuture<StepReply>> replies, long deadline) {
    List<Pending> waiting = new ArrayList<>();
    RuntimeException failure = null;
    for (int i = 0; i < replies.size(); i++) {
      Pending p = shards.get(i);
      StepReply reply;
      try {
        reply = await(replies.get(i), "stepping " + ShardKeys.describe(p.tensor.keys[p.shard]), deadline);
      } catch (RuntimeException e) {
        failure = failure == null ? e : failure;
        continue;
      }
      long step = p.tensor.step + 1;
      switch (reply.status) {
        case StepReply.STEPPED:
          Object param = reply.param;
          System.arraycopy(param, 0, p.tensor.param, p.tensor.from[p.shard], Array.getLength(param));
          parameterBytesReceived += bytes(param);
          break;
        case StepReply.PENDING:
          p.missing = reply.missing;
          waiting.add(p);
          break;
        case StepReply.REFUSED:
          if (failure == null) {
            failure = new ShardedStepException("step " + step + " of tensor " + p.tensor.index + " (group "
                + p.tensor.group + ") was refused by the owner of shard " + p.shard + ": the reduced gradient of"
                + " all workers is " + reply.value + " at index " + reply.index + " (each worker's own gradient"
                + " was finite; their " + (reduction == GradientReduction.SUM ? "sum" : "mean") + " is not); that"
                + " shard is unchanged, shards with a finite reduced gradient took the step");
          }
          break;
        default:
          throw new IllegalStateException("unknown reply status " + reply.status);
      }
    }
    if (failure != null) {
      throw failure;
    }
    return waiting;
  }

  private ShardedStepException timeout(List<Pending> waiting) {
    Pending first = waiting.get(0);
    return new ShardedStepException("step " + (first.tensor.step + 1) + " did not complete within " + stepTimeout
        + ": " + waiting.size() + " shard(s) still wait for gradients, e.g. tensor " + first.tensor.index + " shard "
        + first.shard + " for worker ranks " + first.missing + " (of " + workers + "); every worker must call"
        + " step() for each step");
  }

  /** This worker's gradients, scanned before anything is sent (REFUSE). */
  private void scanGradients() {
    for (Tensor tensor : tensors) {
      int bad = tensor.grad instanceof float[]
          ? GradientScan.firstNonFinite((float[]) tensor.grad, 0, tensor.length)
          : GradientScan.firstNonFinite((double[]) tensor.grad, 0, tensor.length);
      if (bad >= 0) {
        throw new NonFiniteGradientException(tensor.index, tensor.group, tensor.length, bad,
            Array.getDouble(tensor.grad, bad));
      }
    }
  }

  /** The number of finished steps. */
  public long stepCount() {
    return configuration.stepCount();
  }

  /** The step count of the tensor whose parameter buffer is {@code param}. */
  public long stepCount(Object param) {
    return tensor(param).step;
  }

  /** Bytes of gradients this worker has sent to the cluster, in total. */
  public long gradientBytesSent() {
    return gradientBytesSent;
  }

  /** Bytes of updated parameters this worker has received from the cluster, in total. */
  public long parameterBytesReceived() {
    return parameterBytesReceived;
  }

  private Tensor tensor(Object param) {
    Tensor tensor = buffers.get(param);
    if (tensor == null || tensor.param != param) {
      throw new IllegalArgumentException("this buffer is not a registered parameter of this optimizer");
    }
    return tensor;
  }

  // ------------------------------------------------------------------------------- checkpoints

  /**
   * Saves the whole optimizer state in the checkpoint format of the single-process optimizer
   * (docs/CHECKPOINT_FORMAT.md), atomically, as {@link KernelOptimizer#save} does: the file loads
   * into this spec's single-process optimizer or into a sharded one of any member count and
   * shard size. Call it between steps, from one worker. Gathers the state of every tensor into
   * this worker (the format is one file), so it needs heap for the whole state. Parameters are
   * not included; they are the worker's buffers, the same on every worker after a step.
   *
   * @throws IOException if writing fails; {@code file} is then unchanged
   */
  public void save(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    enter();
    try {
      KernelOptimizer assembly = assembly();
      for (Tensor tensor : tensors) {
        Map<Long, Shard> shards = map.getAll(keySet(tensor));
        long step = -1;
        double[] carried = null;
        List<String> names = assembly.stateNames(tensor.param);
        for (int s = 0; s < tensor.shards(); s++) {
          Shard shard = shards.get(tensor.keys[s]);
          if (shard == null) {
            throw new IllegalStateException("the cluster holds no " + ShardKeys.describe(tensor.keys[s])
                + ": more members failed at once than the backup count");
          }
          if (s == 0) {
            step = shard.step;
            carried = shard.carried;
          } else if (shard.step != step || !sameBits(shard.carried, carried)) {
            throw new IllegalStateException("tensor " + tensor.index + "'s shards are at different steps (" + step
                + " and " + shard.step + "): save between steps, after step() returned");
          }
          for (int k = 0; k < names.size(); k++) {
            Object into = assembly.state(tensor.param, names.get(k));
            System.arraycopy(shard.state[k], 0, into, tensor.from[s], shard.length());
          }
        }
        assembly.restoreClock(tensor.param, step, carried);
      }
      assembly.restoreProgress(configuration.stepCount(), configuration.skippedSteps(), positions(configuration));
      assembly.save(file);
    } finally {
      exit();
    }
  }

  /**
   * Loads a checkpoint saved by {@link #save} or by this spec's single-process optimizer into the
   * cluster: every shard's state and clock, and into this worker's configuration the groups'
   * hyperparameters, schedules and positions. The registered tensors must match the checkpoint's
   * (count, order, groups, precisions, lengths), and their parameter buffers must hold the
   * parameters saved with the model: they become the shards' parameters. Every worker calls it,
   * with the same file, before the next step; the first one installs the shards, the others'
   * identical shards leave them as they are.
   *
   * @throws io.github.optkernels.runtime.CheckpointException if the file is damaged or does not
   *     match; nothing changed then
   * @throws IOException if reading fails
   */
  public void load(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    enter();
    try {
      KernelOptimizer assembly = assembly();
      assembly.load(file);
      loads++;
      long loadId = fileCrc(file) ^ (loads << 32) ^ 0x5DEECE66DL;
      if (loadId == 0) {
        loadId = 1;
      }
      List<CompletableFuture<Boolean>> installs = new ArrayList<>();
      List<String> what = new ArrayList<>();
      for (Tensor tensor : tensors) {
        StepKernel kernel = newKernel(configuration.kernelClass(tensor.param.getClass()));
        List<String> names = assembly.stateNames(tensor.param);
        for (int s = 0; s < tensor.shards(); s++) {
          Shard shard = newShard(tensor, s, kernel);
          int from = tensor.from[s];
          int to = tensor.from[s + 1];
          shard.param = slice(tensor.param, from, to);
          shard.initialCrc = crc(shard.param);
          for (int k = 0; k < names.size(); k++) {
            shard.state[k] = slice(assembly.state(tensor.param, names.get(k)), from, to);
          }
          shard.step = assembly.stepCount(tensor.param);
          shard.carried = assembly.carriedValues(tensor.param);
          shard.loadId = loadId;
          installs.add(map.submitToKey(tensor.keys[s], new InstallShard(shard)).toCompletableFuture());
          what.add("installing " + ShardKeys.describe(tensor.keys[s]));
        }
      }
      for (int i = 0; i < installs.size(); i++) {
        await(installs.get(i), what.get(i));
      }
      for (ParamGroup loaded : assembly.groups()) {
        ParamGroup mine = configuration.groups().get(loaded.index());
        mine.setHyperparameters(loaded.hyperparameters());
        mine.setSchedule(loaded.schedule());
      }
      configuration.restoreProgress(assembly.stepCount(), assembly.skippedSteps(), positions(assembly));
      for (Tensor tensor : tensors) {
        tensor.step = assembly.stepCount(tensor.param);
      }
    } finally {
      exit();
    }
  }

  /**
   * Removes this optimizer's state from the cluster (its map), for every worker. The instance is
   * unusable afterwards.
   */
  public void destroy() {
    map.destroy();
    steps.destroy();
  }

  /**
   * A single-process optimizer of the same spec and groups as this worker's configuration, with
   * this worker's tensors registered (its own state arrays receive or hand over the shards').
   */
  private KernelOptimizer assembly() {
    KernelOptimizer assembly = emptyOptimizer(factory, configuration);
    for (ParamGroup group : configuration.groups()) {
      ParamGroup into = group.index() < assembly.groups().size()
          ? assembly.groups().get(group.index()) : assembly.addGroup(group.hyperparameters());
      into.setHyperparameters(group.hyperparameters());
      into.setSchedule(group.schedule());
    }
    for (Tensor tensor : tensors) {
      assembly.groups().get(tensor.group).add(tensor.param, tensor.grad);
    }
    return assembly;
  }

  private static KernelOptimizer emptyOptimizer(Supplier<? extends KernelOptimizer> factory, KernelOptimizer like) {
    KernelOptimizer optimizer = Objects.requireNonNull(factory.get(), "the factory returned null");
    if (optimizer.tensorCount() != 0) {
      throw new IllegalArgumentException("the factory must build an optimizer without tensors; this one has "
          + optimizer.tensorCount() + " (register tensors with ShardedOptimizer.add)");
    }
    if (like != null && (optimizer.getClass() != like.getClass()
        || !optimizer.spec().structure().equals(like.spec().structure()))) {
      throw new IllegalStateException("the factory built " + optimizer.spec() + ", first " + like.spec());
    }
    return optimizer;
  }

  private static long[] positions(KernelOptimizer optimizer) {
    List<ParamGroup> groups = optimizer.groups();
    long[] positions = new long[groups.size()];
    for (int g = 0; g < positions.length; g++) {
      positions[g] = groups.get(g).schedulePosition();
    }
    return positions;
  }

  private static Set<Long> keySet(Tensor tensor) {
    Set<Long> keys = new HashSet<>();
    for (long key : tensor.keys) {
      keys.add(key);
    }
    return keys;
  }

  // ------------------------------------------------------------------------------------ helpers

  /** Whether two shards of a tensor carry the same values, bit for bit (they step alike). */
  private static boolean sameBits(double[] a, double[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) {
        return false;
      }
    }
    return true;
  }

  private static Object slice(Object array, int from, int to) {
    if (array instanceof float[]) {
      return java.util.Arrays.copyOfRange((float[]) array, from, to);
    }
    return java.util.Arrays.copyOfRange((double[]) array, from, to);
  }

  private static long bytes(Object array) {
    return (long) Array.getLength(array) * (array instanceof float[] ? 4 : 8);
  }

  /** CRC32C of an array's bits (little-endian), to compare workers' initial parameters. */
  private static int crc(Object array) {
    CRC32C crc = new CRC32C();
    ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    int length = Array.getLength(array);
    int size = array instanceof float[] ? 4 : 8;
    for (int done = 0; done < length; ) {
      int n = Math.min(length - done, buffer.capacity() / size);
      buffer.clear();
      if (array instanceof float[]) {
        buffer.asFloatBuffer().put((float[]) array, done, n);
      } else {
        buffer.asDoubleBuffer().put((double[]) array, done, n);
      }
      buffer.limit(n * size);
      crc.update(buffer);
      done += n;
    }
    return (int) crc.getValue();
  }

  private static long fileCrc(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
      while (channel.read(buffer) >= 0) {
        buffer.flip();
        crc.update(buffer);
        buffer.clear();
      }
      return crc.getValue() | (channel.size() << 32);
    }
  }

  private <T> T await(CompletableFuture<T> future, String what) {
    return await(future, what, System.nanoTime() + stepTimeout.toNanos());
  }

  /** The result of a cluster request; its failure rethrown as it was thrown on the owner. */
  private <T> T await(CompletableFuture<T> future, String what, long deadline) {
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new ShardedStepException(what + " failed: " + cause, cause);
    } catch (TimeoutException e) {
      throw new ShardedStepException(what + " got no answer within " + stepTimeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShardedStepException(what + " was interrupted", e);
    }
  }

  private void enter() {
    if (!busy.compareAndSet(false, true)) {
      throw new IllegalStateException("another thread is using this sharded optimizer; one thread at a time");
    }
  }

  private void exit() {
    busy.set(false);
  }

  @Override
  public String toString() {
    return "ShardedOptimizer '" + name + "' (" + spec().name() + ", worker " + rank + " of " + workers + ", "
        + tensors.size() + " tensors in " + shardCount() + " shards of up to " + shardSize + " elements, "
        + reduction + ")";
  }
}
