package io.github.optkernels.cluster;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;

/**
 * Asks a shard, without changing it, whether step {@code step} has been taken: the workers whose
 * gradient was not the last one poll with it until it has, and get the updated parameters.
 */
final class AwaitStep implements EntryProcessor<Long, Shard, StepReply>, ReadOnly, IdentifiedDataSerializable {
  // EntryProcessor is Serializable; Hazelcast uses the IdentifiedDataSerializable form, never this.
  private static final long serialVersionUID = 1L;

  long step;

  AwaitStep() {}

  AwaitStep(long step) {
    this.step = step;
  }

  @Override
  public StepReply process(Map.Entry<Long, Shard> entry) {
    Shard shard = entry.getValue();
    if (shard == null) {
      throw new IllegalStateException("the cluster holds no shard " + ShardKeys.describe(entry.getKey())
          + ": more members failed at once than the backup count");
    }
    if (shard.step == step) {
      return StepReply.stepped(step, shard.param);
    }
    if (shard.step > step) {
      throw new IllegalStateException(shard.where() + " is at step " + shard.step + ", past step " + step
          + " that this worker waits for: another worker runs with this worker's rank");
    }
    if (shard.refusedStep == step && shard.contributionCount() == 0) {
      return shard.refusedReply();
    }
    return StepReply.pending(shard.step, shard.missingRanks());
  }

  @Override
  public EntryProcessor<Long, Shard, StepReply> getBackupProcessor() {
    return null;
  }

  @Override
  public int getFactoryId() {
    return ClusterSetup.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return ClusterSetup.AWAIT_STEP;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLong(step);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    step = in.readLong();
  }
}
