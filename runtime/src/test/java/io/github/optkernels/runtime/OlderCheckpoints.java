package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Checkpoints as older writers wrote them, made from a current (version-4) file, for the tests
 * that older files still load.
 */
final class OlderCheckpoints {
  private OlderCheckpoints() {}

  /**
   * {@code v4} as a version-3 writer wrote it: each tensor's carried values (a count and
   * (name, value) pairs) replaced by the one float64 version 3 had, NAdam's Π:
   * {@code momentumProduct} if the tensor carries {@code momentum_product}, else
   * {@code otherwise} (1 is what a version-3 writer wrote for a spec without Π).
   */
  static byte[] asVersion3(byte[] v4, double otherwise) {
    ByteBuffer file = ByteBuffer.wrap(v4).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(4, file.getInt(8));
    int headerLength = file.getInt(12);
    ByteBuffer in = ByteBuffer.wrap(v4, 16, headerLength).slice().order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer out = ByteBuffer.allocate(headerLength + 1024).order(ByteOrder.LITTLE_ENDIAN);
    for (int s = 0; s < 3; s++) { // name, class, structure
      copy(in, out, 4 + in.getInt(in.position()));
    }
    copy(in, out, 24); // finished and skipped steps, seed
    int groups = in.getInt(in.position());
    copy(in, out, 4);
    for (int g = 0; g < groups; g++) {
      int count = in.getInt(in.position());
      copy(in, out, 4);
      for (int k = 0; k < count; k++) {
        copy(in, out, 4 + in.getInt(in.position()) + 8);
      }
      copy(in, out, 1 + 8 + 8 + 8); // schedule kind, warmupSteps, totalSteps, minFactor
      copy(in, out, 4 + 8 * in.getInt(in.position())); // the explicit table
      copy(in, out, 8); // schedule position
    }
    int tensors = in.getInt(in.position());
    copy(in, out, 4);
    for (int t = 0; t < tensors; t++) {
      copy(in, out, 4 + 1 + 4 + 8); // group, parameter type, length, step count
      int carried = in.getInt();
      double product = otherwise;
      for (int c = 0; c < carried; c++) {
        byte[] name = new byte[in.getInt()];
        in.get(name);
        double value = in.getDouble();
        if (new String(name, StandardCharsets.UTF_8).equals("momentum_product")) {
          product = value;
        }
      }
      out.putDouble(product);
      int slots = in.getInt(in.position());
      copy(in, out, 4);
      for (int s = 0; s < slots; s++) {
        copy(in, out, 4 + in.getInt(in.position()) + 1);
      }
    }
    assertEquals(0, in.remaining());
    byte[] h = java.util.Arrays.copyOf(out.array(), out.position());
    CRC32C crc = new CRC32C();
    crc.update(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(3).array());
    crc.update(h);
    int data = v4.length - (16 + headerLength + 4);
    ByteBuffer result = ByteBuffer.allocate(16 + h.length + 4 + data).order(ByteOrder.LITTLE_ENDIAN);
    result.put(v4, 0, 8).putInt(3).putInt(h.length).put(h).putInt((int) crc.getValue());
    result.put(v4, 16 + headerLength + 4, data);
    return result.array();
  }

  private static void copy(ByteBuffer in, ByteBuffer out, int n) {
    ByteBuffer part = in.slice();
    part.limit(n);
    out.put(part);
    in.position(in.position() + n);
  }
}
