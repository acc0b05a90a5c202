package io.github.optkernels.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;

/**
 * Registers a shard with its initial parameters and zeroed state if the cluster does not hold it
 * yet (the first worker to register a tensor), else checks on the owner that the one it holds is
 * the same tensor: returns null if so, or what differs. Checking there means a worker never
 * downloads a shard to compare it.
 */
final class RegisterShard implements EntryProcessor<Long, Shard, String>, IdentifiedDataSerializable {
  // EntryProcessor is Serializable; Hazelcast uses the IdentifiedDataSerializable form, never this.
  private static final long serialVersionUID = 1L;

  /** transient: never Java-serialized (the class is written by {@link #writeData}). */
  transient Shard shard;

  RegisterShard() {}

  RegisterShard(Shard shard) {
    this.shard = shard;
  }

  @Override
  public String process(Map.Entry<Long, Shard> entry) {
    Shard existing = entry.getValue();
    if (existing == null) {
      entry.setValue(shard);
      return null;
    }
    return difference(existing, shard);
  }

  /** What makes {@code mine} another tensor than {@code existing}, or null. */
  static String difference(Shard existing, Shard mine) {
    if (!existing.spec.equals(mine.spec)) {
      return "it was registered by " + existing.spec + ", this worker is " + mine.spec;
    }
    if (!existing.kernelClass.equals(mine.kernelClass)) {
      return "it is stepped by " + existing.kernelClass + ", this worker's tensor by " + mine.kernelClass;
    }
    if (existing.tensorLength != mine.tensorLength || existing.offset != mine.offset
        || existing.length() != mine.length()) {
      return "it holds elements [" + existing.offset + ", " + (existing.offset + existing.length()) + ") of "
          + existing.tensorLength + " elements, this worker's shard [" + mine.offset + ", "
          + (mine.offset + mine.length()) + ") of " + mine.tensorLength
          + " (every worker registers the same tensors in the same order, with the same shard size)";
    }
    if (existing.group != mine.group) {
      return "it is in group " + existing.group + ", this worker's tensor in group " + mine.group;
    }
    if (existing.workers != mine.workers) {
      return "it was registered for " + existing.workers + " workers, this worker runs with " + mine.workers;
    }
    if (existing.loadId == 0 && existing.step > 0) {
      return "it is at step " + existing.step + " (an earlier run under the same name?): use another name,"
          + " destroy() the old state, or register the tensors and then load() a checkpoint";
    }
    if (existing.loadId == 0 && existing.initialCrc != mine.initialCrc) {
      return "its initial parameters differ from this worker's (every worker starts from the same parameters)";
    }
    return null;
  }

  @Override
  public int getFactoryId() {
    return ClusterSetup.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return ClusterSetup.REGISTER_SHARD;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeObject(shard);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    shard = in.readObject();
  }
}
