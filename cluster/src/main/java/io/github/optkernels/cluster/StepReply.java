package io.github.optkernels.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;

/**
 * What the owner of a shard answers a worker: the step was taken (with the updated parameters),
 * is waiting for other workers' gradients, or was refused because the reduced gradient was not
 * finite.
 */
final class StepReply implements IdentifiedDataSerializable {
  static final byte STEPPED = 1;
  static final byte PENDING = 2;
  static final byte REFUSED = 3;

  byte status;
  long step;
  /**
   * The shard's parameters after the step (STEPPED). On the owner this is the shard's live array:
   * it is only written by the next step, which needs this worker's next gradient, and the worker
   * copies it out before it sends one; off the owner it is a deserialized copy.
   */
  Object param;
  /** PENDING: the ranks still missing. */
  String missing;
  /** REFUSED: the element (in the whole tensor) and its reduced gradient. */
  int index;
  double value;

  StepReply() {}

  static StepReply stepped(long step, Object param) {
    StepReply r = new StepReply();
    r.status = STEPPED;
    r.step = step;
    r.param = param;
    return r;
  }

  static StepReply pending(long step, String missing) {
    StepReply r = new StepReply();
    r.status = PENDING;
    r.step = step;
    r.missing = missing;
    return r;
  }

  static StepReply refused(long step, int index, double value) {
    StepReply r = new StepReply();
    r.status = REFUSED;
    r.step = step;
    r.index = index;
    r.value = value;
    return r;
  }

  @Override
  public int getFactoryId() {
    return ClusterSetup.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return ClusterSetup.STEP_REPLY;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeByte(status);
    out.writeLong(step);
    ArrayIO.write(out, param);
    out.writeString(missing);
    out.writeInt(index);
    out.writeDouble(value);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    status = in.readByte();
    step = in.readLong();
    param = ArrayIO.read(in);
    missing = in.readString();
    index = in.readInt();
    value = in.readDouble();
  }
}
