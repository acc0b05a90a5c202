package io.github.optkernels.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

/**
 * A worker announces the hyperparameters of every group for step {@code step} before it sends a
 * gradient. The first worker to announce a step fixes them; a worker that announces other ones is
 * refused here, before any of its gradients reaches a shard, so no shard can step with gradients
 * of workers that disagree (each shard also checks, but shards of other groups could otherwise take
 * the step). The value is the step and the fields, group after group.
 */
final class AnnounceStep implements EntryProcessor<Long, double[], Void>, IdentifiedDataSerializable {
  // EntryProcessor is Serializable; Hazelcast uses the IdentifiedDataSerializable form, never this.
  private static final long serialVersionUID = 1L;

  long step;
  int rank;
  /** {@link #perGroup} fields per group, group after group. */
  double[] fields;
  /** Fields per group: the optimizer's hyperparameters, its spec's declared ones included. */
  int perGroup;

  AnnounceStep() {}

  AnnounceStep(long step, int rank, double[] fields, int perGroup) {
    this.perGroup = perGroup;
    this.step = step;
    this.rank = rank;
    this.fields = fields;
  }

  @Override
  public Void process(Map.Entry<Long, double[]> entry) {
    double[] header = entry.getValue();
    if (header != null) {
      long announced = (long) header[0];
      if (announced == step) {
        double[] agreed = Arrays.copyOfRange(header, 1, header.length);
        if (!HyperparameterFields.same(agreed, fields)) {
          throw new IllegalArgumentException(disagreement(agreed));
        }
        return null;
      }
      if (announced > step) {
        return null; // a worker repeating an earlier step; its shards answer it (exactly once)
      }
    }
    double[] value = new double[1 + fields.length];
    value[0] = step;
    System.arraycopy(fields, 0, value, 1, fields.length);
    entry.setValue(value);
    return null;
  }

  private String disagreement(double[] agreed) {
    int n = perGroup;
    if (agreed.length != fields.length) {
      return "worker " + rank + " steps " + fields.length / n + " groups in step " + step + " but other workers "
          + agreed.length / n + "; every worker must configure the optimizer alike; nothing changed";
    }
    for (int g = 0; g * n < fields.length; g++) {
      double[] mine = Arrays.copyOfRange(fields, g * n, (g + 1) * n);
      double[] theirs = Arrays.copyOfRange(agreed, g * n, (g + 1) * n);
      if (!HyperparameterFields.same(mine, theirs)) {
        return "worker " + rank + " takes step " + step + " of group " + g + " with " + HyperparameterFields.toString(mine)
            + " but the workers that started it use " + HyperparameterFields.toString(theirs)
            + "; every worker must configure the optimizer alike; nothing changed";
      }
    }
    throw new AssertionError("fields differ but no group does");
  }

  @Override
  public int getFactoryId() {
    return ClusterSetup.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return ClusterSetup.ANNOUNCE_STEP;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLong(step);
    out.writeInt(rank);
    out.writeDoubleArray(fields);
    out.writeInt(perGroup);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    step = in.readLong();
    rank = in.readInt();
    fields = in.readDoubleArray();
    perGroup = in.readInt();
  }
}
