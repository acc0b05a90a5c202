package io.github.optkernels.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;

/**
 * One worker's gradient for one shard and step, run on the shard's owner next to its data: checks
 * it (nothing is written if it does not fit), records it in the worker's rank slot, and when it is
 * the last of the step's W gradients, reduces them in rank order and steps the shard with the
 * spec's kernel ({@link Shard#contribute}).
 *
 * <p>Exactly once: a gradient for the step the shard has already taken (a retry after a member
 * failed, a duplicate) changes nothing and returns the parameters of that step. The same
 * processor runs on the backups ({@link #getBackupProcessor()} is this one), so a backup holds the
 * recorded gradients and the stepped state bit for bit and can take over at any moment.
 *
 * <p>Not {@code Offloadable}: offloading hands the processor a serialized copy of the entry and
 * writes a serialized copy back, i.e. copies the parameters and every state array twice per step,
 * while the update itself reads and writes them once; the memory-bound step is cheaper in place
 * on the partition thread, with the map's in-memory format {@code OBJECT} (docs/CLUSTER.md).
 */
final class ContributeGradient implements EntryProcessor<Long, Shard, StepReply>, IdentifiedDataSerializable {
  // EntryProcessor is Serializable; Hazelcast uses the IdentifiedDataSerializable form, never this.
  private static final long serialVersionUID = 1L;

  long step;
  int rank;
  int workers;
  GradientReduction reduction;
  boolean refuseNonFinite;
  double[] hyperparameters;
  /** transient: never Java-serialized (the class is written by {@link #writeData}). */
  transient Object grad;

  ContributeGradient() {}

  ContributeGradient(long step, int rank, int workers, GradientReduction reduction, boolean refuseNonFinite,
      double[] hyperparameters, Object grad) {
    this.step = step;
    this.rank = rank;
    this.workers = workers;
    this.reduction = reduction;
    this.refuseNonFinite = refuseNonFinite;
    this.hyperparameters = hyperparameters;
    this.grad = grad;
  }

  @Override
  public StepReply process(Map.Entry<Long, Shard> entry) {
    Shard shard = entry.getValue();
    if (shard == null) {
      throw new IllegalStateException("the cluster holds no shard " + ShardKeys.describe(entry.getKey())
          + ": it was never registered, or more members failed at once than the backup count");
    }
    StepReply done = shard.check(this);
    if (done != null) {
      return done;
    }
    StepReply reply = shard.contribute(this);
    entry.setValue(shard);
    return reply;
  }

  @Override
  public int getFactoryId() {
    return ClusterSetup.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return ClusterSetup.CONTRIBUTE_GRADIENT;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLong(step);
    out.writeInt(rank);
    out.writeInt(workers);
    out.writeByte(reduction.ordinal());
    out.writeBoolean(refuseNonFinite);
    out.writeDoubleArray(hyperparameters);
    ArrayIO.write(out, grad);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    step = in.readLong();
    rank = in.readInt();
    workers = in.readInt();
    int r = in.readByte();
    if (r < 0 || r >= GradientReduction.values().length) {
      throw new IOException("unknown gradient reduction " + r);
    }
    reduction = GradientReduction.values()[r];
    refuseNonFinite = in.readBoolean();
    hyperparameters = in.readDoubleArray();
    grad = ArrayIO.read(in);
  }
}
