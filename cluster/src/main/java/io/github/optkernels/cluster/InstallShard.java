package io.github.optkernels.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.Map;

/**
 * Installs a shard loaded from a checkpoint, once: every worker loads the same file and sends the
 * same shard with the same load id, and only the first replaces the entry. A later one must not,
 * since a faster worker may already have sent its gradient for the next step.
 */
final class InstallShard implements EntryProcessor<Long, Shard, Boolean>, IdentifiedDataSerializable {
  // EntryProcessor is Serializable; Hazelcast uses the IdentifiedDataSerializable form, never this.
  private static final long serialVersionUID = 1L;

  /** transient: never Java-serialized (the class is written by {@link #writeData}). */
  transient Shard shard;

  InstallShard() {}

  InstallShard(Shard shard) {
    this.shard = shard;
  }

  @Override
  public Boolean process(Map.Entry<Long, Shard> entry) {
    Shard existing = entry.getValue();
    if (existing != null && existing.loadId == shard.loadId) {
      return false;
    }
    entry.setValue(shard);
    return true;
  }

  @Override
  public int getFactoryId() {
    return ClusterSetup.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return ClusterSetup.INSTALL_SHARD;
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
