package io.github.optkernels.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.github.optkernels.runtime.GradientScan;
import io.github.optkernels.runtime.Hyperparameters;
import io.github.optkernels.runtime.StepKernel;
import io.github.optkernels.runtime.StepSums;
import java.io.IOException;
import java.lang.reflect.Array;

/**
 * One shard of one tensor, the value of an entry of the optimizer's {@code IMap}: elements
 * {@code [offset, offset + length)} of tensor {@code tensor}, their parameters and state, their
 * clock (step count and the kernel's carried values, e.g. NAdam's Π), and the gradients of the step in progress, one slot per
 * worker rank. Lives on the member that owns its partition (and, with backups, on as many others),
 * where {@link ContributeGradient} steps it in place with the spec's kernel.
 *
 * <p>A shard is changed only by entry processors, which Hazelcast runs one at a time per key and
 * repeats on the backups. Every change is decided by the shard's data and the processor's
 * arguments alone, so the backups end up with the same bits as the owner, and a processor that
 * refuses throws before it changes anything.
 */
final class Shard implements IdentifiedDataSerializable {
  // what the shard is (fixed at registration)
  String spec;
  String optimizerClass;
  String kernelClass;
  int tensor;
  int index;
  int group;
  int offset;
  int tensorLength;
  int workers;
  /** CRC32C of the initial parameters' bits: every worker must register the same tensors. */
  int initialCrc;
  /** The load that installed this state (0 if registered): {@link InstallShard} is idempotent. */
  long loadId;

  // the clock and the data
  long step;
  /** The kernel's carried values ({@link StepKernel#carriedNames()}), as the single-process optimizer keeps them. */
  double[] carried;
  Object param;
  Object[] state;

  // the step in progress (step + 1): the gradients of ranks [0, folded) added up in rank order,
  // and those of later ranks that arrived before an earlier one, waiting for their turn
  double[] pendingHyperparameters;
  Object sum;
  int folded;
  Object[] contributions;
  /** The last step refused because the reduced gradient was not finite, and where; −1 if none. */
  long refusedStep = -1;
  int refusedIndex;
  double refusedValue;

  private transient StepKernel kernel;
  private transient double[] preparedFields;
  private transient Hyperparameters prepared;

  Shard() {}

  int length() {
    return Array.getLength(param);
  }

  String where() {
    return "tensor " + tensor + " shard " + index + " (elements [" + offset + ", " + (offset + length())
        + ") of " + tensorLength + ")";
  }

  int contributionCount() {
    int n = folded;
    if (contributions != null) {
      for (Object c : contributions) {
        n += c == null ? 0 : 1;
      }
    }
    return n;
  }

  /** The ranks whose gradient for the step in progress has not arrived, e.g. {@code [1, 2]}. */
  String missingRanks() {
    StringBuilder s = new StringBuilder("[");
    for (int r = folded; r < workers; r++) {
      if (contributions == null || contributions[r] == null) {
        s.append(s.length() > 1 ? ", " : "").append(r);
      }
    }
    return s.append(']').toString();
  }

  /**
   * Checks a contribution before anything is written; returns the reply of a step already taken
   * (exactly once: the step count says it was), or null if the contribution is to be recorded.
   *
   * @throws IllegalArgumentException if the gradient or the worker does not fit this shard
   * @throws IllegalStateException if the step is out of order
   */
  StepReply check(ContributeGradient c) {
    if (c.workers != workers) {
      throw new IllegalArgumentException(where() + " was registered for " + workers
          + " workers, but a worker runs with " + c.workers);
    }
    if (c.rank < 0 || c.rank >= workers) {
      throw new IllegalArgumentException("worker rank " + c.rank + " is outside [0, " + workers + ")");
    }
    if (c.grad == null || c.grad.getClass() != param.getClass()) {
      throw new IllegalArgumentException("the gradient for " + where() + " from worker " + c.rank + " is "
          + (c.grad == null ? "missing" : c.grad.getClass().getSimpleName()) + " but the shard holds "
          + param.getClass().getSimpleName() + "; nothing changed");
    }
    if (Array.getLength(c.grad) != length()) {
      throw new IllegalArgumentException("the gradient for " + where() + " from worker " + c.rank + " has "
          + Array.getLength(c.grad) + " elements but the shard has " + length() + "; nothing changed");
    }
    if (c.step == step) {
      return StepReply.stepped(step, param); // a retry or a duplicate: already applied
    }
    if (c.step < step) {
      throw new IllegalStateException("worker " + c.rank + " sent step " + c.step + " for " + where()
          + ", which is already at step " + step + "; the worker is behind the cluster, nothing changed");
    }
    if (c.step > step + 1) {
      throw new IllegalStateException("worker " + c.rank + " sent step " + c.step + " for " + where()
          + ", which is at step " + step + " and takes step " + (step + 1) + " next; nothing changed");
    }
    if (c.hyperparameters.length < HyperparameterFields.COUNT) {
      throw new IllegalArgumentException("a step needs at least the " + HyperparameterFields.COUNT
          + " built-in hyperparameters, got " + c.hyperparameters.length);
    }
    if (contributionCount() > 0 && !HyperparameterFields.same(pendingHyperparameters, c.hyperparameters)) {
      throw new IllegalArgumentException("worker " + c.rank + " steps " + where() + " with "
          + HyperparameterFields.toString(c.hyperparameters) + " but other workers sent "
          + HyperparameterFields.toString(pendingHyperparameters)
          + " for the same step; every worker must configure the optimizer alike; nothing changed");
    }
    return null;
  }

  /**
   * Records a checked contribution and adds every gradient that is now next in rank order to the
   * running sum, so that an owner holds one sum and only the gradients that arrived early (in the
   * usual case, when workers finish their backward passes at about the same time, few); steps the
   * shard when all W are in.
   */
  StepReply contribute(ContributeGradient c) {
    if (contributionCount() == 0) {
      contributions = new Object[workers];
      pendingHyperparameters = HyperparameterFields.copy(c.hyperparameters);
    }
    if (c.rank >= folded) { // a repeat of a gradient already added changes nothing
      contributions[c.rank] = c.grad; // a repeat of one still waiting writes the same bits again
    }
    while (folded < workers && contributions[folded] != null) {
      fold(contributions[folded]);
      contributions[folded] = null;
      folded++;
    }
    if (folded < workers) {
      return StepReply.pending(step, missingRanks());
    }
    Object g = sum;
    if (c.reduction == GradientReduction.MEAN) {
      divide(g, workers);
    }
    if (c.refuseNonFinite) {
      int bad = g instanceof float[] ? GradientScan.firstNonFinite((float[]) g, 0, length())
          : GradientScan.firstNonFinite((double[]) g, 0, length());
      if (bad >= 0) {
        refusedStep = step + 1;
        refusedIndex = offset + bad;
        refusedValue = Array.getDouble(g, bad);
        clearPending();
        return refusedReply();
      }
    }
    StepKernel k = kernel();
    long t = step + 1;
    k.prepare(t, carried, hyperparameters(pendingHyperparameters));
    if (k.sumCount() > 0) {
      // the whole tensor is this one shard (ShardedOptimizer), so these are the tensor's totals,
      // the same bits as the single-process optimizer's
      double[] totals = new double[k.sumCount()];
      StepSums.total(k, param, g, state, length(), new double[totals.length], totals);
      k.setSums(totals);
    }
    k.update(param, g, state, 0, length());
    step = t;
    k.carriedAfter(carried); // prepare has read them
    clearPending();
    return StepReply.stepped(step, param);
  }

  StepReply refusedReply() {
    return StepReply.refused(refusedStep, refusedIndex, refusedValue);
  }

  private void clearPending() {
    contributions = null;
    pendingHyperparameters = null;
    sum = null;
    folded = 0;
  }

  /**
   * Adds the next rank's gradient: {@code g = g_0 + g_1 + ... + g_(W-1)}, left to right in the
   * element type. Rank 0's is copied (a −0.0 stays −0.0, as it would in the caller's own buffer,
   * and the sum never aliases a processor's array).
   */
  private void fold(Object grad) {
    if (folded == 0) {
      sum = grad instanceof float[] ? ((float[]) grad).clone() : ((double[]) grad).clone();
      return;
    }
    if (sum instanceof float[]) {
      float[] g = (float[]) sum;
      float[] c = (float[]) grad;
      for (int i = 0; i < g.length; i++) {
        g[i] += c[i];
      }
    } else {
      double[] g = (double[]) sum;
      double[] c = (double[]) grad;
      for (int i = 0; i < g.length; i++) {
        g[i] += c[i];
      }
    }
  }

  /** The mean: one division per element by W, in the element type. */
  private static void divide(Object sum, int workers) {
    if (sum instanceof float[]) {
      float[] g = (float[]) sum;
      float w = workers;
      for (int i = 0; i < g.length; i++) {
        g[i] /= w;
      }
    } else {
      double[] g = (double[]) sum;
      double w = workers;
      for (int i = 0; i < g.length; i++) {
        g[i] /= w;
      }
    }
  }

  private Hyperparameters hyperparameters(double[] fields) {
    if (prepared == null || !HyperparameterFields.same(fields, preparedFields)) {
      prepared = HyperparameterFields.decode(fields, optimizerClass);
      preparedFields = HyperparameterFields.copy(fields);
    }
    return prepared;
  }

  /** The spec's kernel for this shard's precision, built here by its class name. */
  StepKernel kernel() {
    if (kernel == null) {
      try {
        kernel = (StepKernel) loadClass(kernelClass).getConstructor().newInstance();
      } catch (ReflectiveOperationException | ClassCastException e) {
        throw new IllegalStateException("cannot build the kernel " + kernelClass + " on this member (is the"
            + " spec's generated code on its class path?): " + e, e);
      }
    }
    return kernel;
  }

  /** A class of the spec's generated code: from this library's class loader, else the thread's. */
  static Class<?> loadClass(String name) throws ClassNotFoundException {
    try {
      return Class.forName(name, true, Shard.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      ClassLoader context = Thread.currentThread().getContextClassLoader();
      if (context == null) {
        throw e;
      }
      return Class.forName(name, true, context);
    }
  }

  @Override
  public int getFactoryId() {
    return ClusterSetup.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return ClusterSetup.SHARD;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(spec);
    out.writeString(optimizerClass);
    out.writeString(kernelClass);
    out.writeInt(tensor);
    out.writeInt(index);
    out.writeInt(group);
    out.writeInt(offset);
    out.writeInt(tensorLength);
    out.writeInt(workers);
    out.writeInt(initialCrc);
    out.writeLong(loadId);
    out.writeLong(step);
    out.writeDoubleArray(carried);
    ArrayIO.write(out, param);
    ArrayIO.writeAll(out, state);
    out.writeDoubleArray(pendingHyperparameters);
    ArrayIO.write(out, sum);
    out.writeInt(folded);
    out.writeBoolean(contributions != null);
    if (contributions != null) {
      ArrayIO.writeAll(out, contributions);
    }
    out.writeLong(refusedStep);
    out.writeInt(refusedIndex);
    out.writeDouble(refusedValue);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    spec = in.readString();
    optimizerClass = in.readString();
    kernelClass = in.readString();
    tensor = in.readInt();
    index = in.readInt();
    group = in.readInt();
    offset = in.readInt();
    tensorLength = in.readInt();
    workers = in.readInt();
    initialCrc = in.readInt();
    loadId = in.readLong();
    step = in.readLong();
    carried = in.readDoubleArray();
    param = ArrayIO.read(in);
    state = ArrayIO.readAll(in);
    pendingHyperparameters = in.readDoubleArray();
    sum = ArrayIO.read(in);
    folded = in.readInt();
    contributions = in.readBoolean() ? ArrayIO.readAll(in) : null;
    refusedStep = in.readLong();
    refusedIndex = in.readInt();
    refusedValue = in.readDouble();
  }

  @Override
  public String toString() {
    return "Shard{" + where() + ", step " + step + ", " + contributionCount() + "/" + workers + " gradients of step "
        + (step + 1) + "}";
  }
}
