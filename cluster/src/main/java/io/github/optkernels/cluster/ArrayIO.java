package io.github.optkernels.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;

/**
 * Writes and reads the arrays a shard holds ({@code float[]}, {@code double[]} or none) with
 * Hazelcast's own array encoding: one length and the elements, never an element boxed.
 */
final class ArrayIO {
  private static final byte NONE = 0;
  private static final byte FLOAT32 = 1;
  private static final byte FLOAT64 = 2;

  private ArrayIO() {}

  static void write(ObjectDataOutput out, Object array) throws IOException {
    if (array == null) {
      out.writeByte(NONE);
    } else if (array instanceof float[]) {
      out.writeByte(FLOAT32);
      out.writeFloatArray((float[]) array);
    } else if (array instanceof double[]) {
      out.writeByte(FLOAT64);
      out.writeDoubleArray((double[]) array);
    } else {
      throw new IllegalArgumentException("a shard holds float[] or double[] arrays, not "
          + array.getClass().getSimpleName());
    }
  }

  static Object read(ObjectDataInput in) throws IOException {
    byte type = in.readByte();
    switch (type) {
      case NONE:
        return null;
      case FLOAT32:
        return in.readFloatArray();
      case FLOAT64:
        return in.readDoubleArray();
      default:
        throw new IOException("unknown array type " + type + " in a shard");
    }
  }

  static void writeAll(ObjectDataOutput out, Object[] arrays) throws IOException {
    out.writeInt(arrays.length);
    for (Object array : arrays) {
      write(out, array);
    }
  }

  static Object[] readAll(ObjectDataInput in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 1 << 16) {
      throw new IOException("a shard claims " + n + " arrays");
    }
    Object[] arrays = new Object[n];
    for (int i = 0; i < n; i++) {
      arrays[i] = read(in);
    }
    return arrays;
  }
}
