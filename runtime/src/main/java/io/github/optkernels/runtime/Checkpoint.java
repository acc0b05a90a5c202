package io.github.optkernels.runtime;

import io.github.optkernels.runtime.CheckpointException.Problem;
import io.github.optkernels.runtime.KernelOptimizer.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32C;

/**
 * The checkpoint format, version 4 (docs/CHECKPOINT_FORMAT.md): a header with the spec's
 * identity, the counters and the rounding seed, the groups (hyperparameters by name, schedule)
 * and the tensors' shapes and clocks (step count, carried values by name), then the state arrays,
 * each part with a CRC32C. Little-endian throughout. Element types are codes per array, and
 * 16-bit arrays say whether they hold bf16 or fp16. Version 3 (NAdam's Π in a field of its own)
 * and version 2 (also the built-in hyperparameters by position) are still read, and version 1
 * (no seed, one code for both 16-bit formats) when it has no 16-bit arrays.
 */
final class Checkpoint {
  static final byte[] MAGIC = "OPTKCKPT".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 4;
  /** The version that stored NAdam's Π in a field of its own (every tensor, 1 if the spec has none); still read. */
  static final int VERSION_3 = 3;
  /** The version that stored the built-in hyperparameters by position; still read. */
  static final int VERSION_2 = 2;
  /** The first version, read when it holds no 16-bit arrays. */
  static final int VERSION_1 = 1;
  /** magic, version, header length. */
  static final int PREAMBLE = 16;
  /**
   * The largest count (steps, skipped steps, schedule positions) a file may hold: 2^53, the
   * largest a double holds exactly, since every per-step formula converts the count to double.
   */
  static final long MAX_COUNT = 1L << 53;
  private static final int IO_BUFFER = 1 << 20;
  /** No string in a header is longer (spec structures are a few hundred bytes). */
  private static final int MAX_STRING = 1 << 16;

  /** Element type codes: the array class, its element size, and for {@code short[]} the format. */
  enum ElementType {
    FLOAT32(1, "float32", float[].class, 4, null),
    FLOAT64(2, "float64", double[].class, 8, null),
    /** Version 1's code for every {@code short[]}: bf16 or fp16, the file does not say. Never written. */
    BITS16_UNSPECIFIED(3, "16-bit (bf16 or fp16, unrecorded)", short[].class, 2, null),
    BF16(4, "bf16", short[].class, 2, HalfFormat.BF16),
    FP16(5, "fp16", short[].class, 2, HalfFormat.FP16);

    final int code;
    final String label;
    final Class<?> arrayClass;
    final int size;
    final HalfFormat format;

    ElementType(int code, String label, Class<?> arrayClass, int size, HalfFormat format) {
      this.code = code;
      this.label = label;
      this.arrayClass = arrayClass;
      this.size = size;
      this.format = format;
    }

    /**
     * The type of the elements of {@code arrayClass}, the array type the tensor's kernel names for
     * one of its buffers ({@link StepKernel#bufferType()}, {@link StepKernel#stateTypes()}): off-heap
     * buffers hold the same elements as the arrays, so heap and off-heap tensors write one type.
     */
    static ElementType of(Class<?> arrayClass, StepKernel kernel) {
      if (arrayClass == short[].class) {
        HalfFormat format = kernel.halfFormat();
        for (ElementType type : values()) {
          if (type.arrayClass == arrayClass && type.format == format && format != null) {
            return type;
          }
        }
        // registration refuses such kernels, so this is a kernel whose answer changed
        throw new IllegalStateException(kernel.getClass().getName() + " does not say whether its short[]"
            + " arrays hold bf16 or fp16 (StepKernel.halfFormat())");
      }
      for (ElementType type : values()) {
        if (type.arrayClass == arrayClass) {
          return type;
        }
      }
      throw new IllegalStateException("no checkpoint element type for " + arrayClass.getSimpleName()
          + " arrays; add a code to Checkpoint.ElementType and docs/CHECKPOINT_FORMAT.md");
    }

    static ElementType ofCode(int code) {
      for (ElementType type : values()) {
        if (type.code == code) {
          return type;
        }
      }
      return null;
    }
  }

  private Checkpoint() {}

  // ---------------------------------------------------------------------------------- saving

  static void save(KernelOptimizer optimizer, Path file) throws IOException {
    save(optimizer, file, UnaryOperator.identity());
  }

  /**
   * Writes to a temporary file next to {@code file}, forces it to disk, renames it over
   * {@code file} and forces the directory. {@code wrap} is for tests (a channel that fails
   * mid-write, as a crash would).
   */
  static void save(KernelOptimizer optimizer, Path file, UnaryOperator<WritableByteChannel> wrap)
      throws IOException {
    Path target = file.toAbsolutePath();
    Path directory = target.getParent();
    byte[] header = header(optimizer);
    TemporaryFiles.removeStale(directory, target.getFileName().toString());
    TemporaryFiles.Temporary created = TemporaryFiles.create(directory, target.getFileName().toString());
    Path temporary = created.path();
    boolean moved = false;
    try {
      // the file's lock tells another save's cleanup that it is not a leftover; closing the
      // channel, once the file has its final name, releases it
      try (FileChannel channel = created.channel()) {
        WritableByteChannel out = wrap.apply(channel);
        ByteBuffer buffer = ByteBuffer.allocate(IO_BUFFER).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put(MAGIC).putInt(VERSION).putInt(header.length);
        CRC32C crc = new CRC32C();
        // the checksum covers the version too: a flipped bit there would make a reader parse
        // the header in another version's layout
        crc.update(buffer.array(), MAGIC.length, 4);
        crc.update(header);
        flush(out, buffer, null);
        writeFully(out, ByteBuffer.wrap(header));
        buffer.putInt((int) crc.getValue());
        flush(out, buffer, null);
        crc.reset();
        for (Tensor tensor : optimizer.tensors()) {
          for (Object array : tensor.state) {
            writeArray(out, buffer, crc, array);
          }
        }
        flush(out, buffer, crc);
        buffer.putInt((int) crc.getValue());
        flush(out, buffer, null);
        channel.force(true);
        try {
          Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          throw new IOException("cannot replace " + target + " atomically on this file system", e);
        }
        moved = true;
      }
      forceDirectory(directory);
    } finally {
      if (!moved) {
        Files.deleteIfExists(temporary);
      }
    }
  }

  private static byte[] header(KernelOptimizer optimizer) {
    Writer w = new Writer();
    SpecInfo spec = optimizer.spec();
    w.string(spec.name());
    w.string(spec.specClass());
    w.string(spec.structure());
    w.int64(optimizer.stepCount());
    w.int64(optimizer.skippedSteps());
    w.int64(optimizer.roundingSeed());
    List<ParamGroup> groups = optimizer.groups();
    w.int32(groups.size());
    for (ParamGroup group : groups) {
      Hyperparameters h = group.hyperparameters();
      List<Hyperparameter> layout = h.hyperparameters();
      w.int32(layout.size());
      for (Hyperparameter p : layout) {
        w.string(p.name());
        w.float64(h.value(p));
      }
      LrSchedule s = group.schedule();
      w.int8(s.kind().code());
      w.int64(s.warmupSteps());
      w.int64(s.totalSteps());
      w.float64(s.minFactor());
      w.int32(s.tableLength());
      for (int i = 0; i < s.tableLength(); i++) {
        w.float64(s.tableEntry(i));
      }
      w.int64(group.schedulePosition());
    }
    List<Tensor> tensors = optimizer.tensors();
    w.int32(tensors.size());
    for (Tensor tensor : tensors) {
      w.int32(tensor.group.index());
      w.int8(ElementType.of(tensor.kernel.bufferType(), tensor.kernel).code);
      w.int32(tensor.length);
      w.int64(tensor.step);
      List<String> carriedNames = tensor.kernel.carriedNames();
      w.int32(carriedNames.size());
      for (int c = 0; c < carriedNames.size(); c++) {
        w.string(carriedNames.get(c));
        w.float64(tensor.carried[c]);
      }
      List<String> names = tensor.kernel.stateNames();
      w.int32(tensor.state.length);
      for (int s = 0; s < tensor.state.length; s++) {
        w.string(names.get(s));
        w.int8(ElementType.of(tensor.kernel.stateTypes().get(s), tensor.kernel).code);
      }
    }
    return w.bytes();
  }

  private static void writeArray(WritableByteChannel out, ByteBuffer buffer, CRC32C crc, Object array)
      throws IOException {
    DirectBuffer direct = array instanceof DirectBuffer ? (DirectBuffer) array : null;
    int size = direct != null ? direct.format.bytes() : elementSize(array);
    int length = direct != null ? direct.length : Array.getLength(array);
    for (int done = 0; done < length; ) {
      if (buffer.remaining() < size) {
        flush(out, buffer, crc);
      }
      int n = Math.min(length - done, buffer.remaining() / size);
      if (direct != null) {
        direct.putInto(buffer, done, n);
      } else if (array instanceof float[]) {
        buffer.asFloatBuffer().put((float[]) array, done, n);
      } else if (array instanceof double[]) {
        buffer.asDoubleBuffer().put((double[]) array, done, n);
      } else {
        buffer.asShortBuffer().put((short[]) array, done, n);
      }
      buffer.position(buffer.position() + n * size);
      done += n;
    }
  }

  /** Writes what {@code buffer} holds (adding it to {@code crc} if given) and clears it. */
  private static void flush(WritableByteChannel out, ByteBuffer buffer, CRC32C crc) throws IOException {
    buffer.flip();
    if (crc != null) {
      crc.update(buffer.duplicate());
    }
    writeFully(out, buffer);
    buffer.clear();
  }

  private static int elementSize(Object array) {
    return array instanceof float[] ? 4 : array instanceof double[] ? 8 : 2;
  }

  private static void writeFully(WritableByteChannel out, ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      out.write(bytes);
    }
  }

  private static void forceDirectory(Path directory) {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Some platforms cannot open or force a directory; the rename is still atomic there, only
      // its durability across a power cut is then up to the file system.
    }
  }

  // ---------------------------------------------------------------------------------- loading

  /** A group as read from the header, checked but not installed. */
  private record GroupState(Hyperparameters hyperparameters, LrSchedule schedule,
      StepHyperparameters view, long position) {}

  /** A tensor's clock as read from the header. */
  private record TensorState(long step, double[] carried, ElementType[] slotTypes) {}

  static void load(KernelOptimizer optimizer, Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      ByteBuffer preamble = readUpTo(channel, PREAMBLE);
      int version = checkPreamble(preamble, size);
      int headerLength = preamble.getInt(12);
      if (headerLength < 0) {
        throw new CheckpointException(Problem.CORRUPTED, "header length " + headerLength + " is negative");
      }
      long headerEnd = (long) PREAMBLE + headerLength + 4;
      if (size < headerEnd) {
        throw new CheckpointException(Problem.TRUNCATED, "the file has " + size + " bytes but its header"
            + " ends at byte " + headerEnd);
      }
      ByteBuffer header = readExactly(channel, headerLength + 4);
      CRC32C crc = new CRC32C();
      if (version > VERSION_2) {
        crc.update(preamble.array(), MAGIC.length, 4);
      }
      crc.update(header.array(), 0, headerLength);
      int stored = header.getInt(headerLength);
      if (stored != (int) crc.getValue()) {
        throw new CheckpointException(Problem.CORRUPTED, "the header checksum does not match (stored "
            + hex(stored) + ", computed " + hex((int) crc.getValue()) + ")");
      }
      header.limit(headerLength);
      Parsed parsed;
      try {
        parsed = parse(optimizer, header, version);
      } catch (BufferUnderflowException e) {
        throw new CheckpointException(Problem.CORRUPTED, "the header ends in the middle of a field");
      }
      long expected = headerEnd + parsed.dataBytes + 4;
      if (size < expected) {
        throw new CheckpointException(Problem.TRUNCATED, "the file has " + size + " bytes but the checkpoint"
            + " needs " + expected + " (its state arrays end at byte " + (expected - 4) + ")");
      }
      if (size > expected) {
        throw new CheckpointException(Problem.CORRUPTED, "the file has " + (size - expected)
            + " bytes after the end of the checkpoint");
      }
      List<Object[]> states = readState(channel, optimizer.tensors(), parsed.tensors);
      install(optimizer, parsed, states);
    }
  }

  /** Checks the magic, the version and the size; returns the version. */
  private static int checkPreamble(ByteBuffer preamble, long size) throws CheckpointException {
    int n = Math.min(preamble.limit(), MAGIC.length);
    for (int i = 0; i < n; i++) {
      if (preamble.get(i) != MAGIC[i]) {
        throw new CheckpointException(Problem.NOT_A_CHECKPOINT, "the file does not start with \"OPTKCKPT\"");
      }
    }
    if (size < 12) {
      throw new CheckpointException(Problem.TRUNCATED, "the file has " + size + " bytes; a checkpoint's"
          + " magic and format version take 12");
    }
    int version = preamble.getInt(8);
    if (version < VERSION_1 || version > VERSION) {
      throw new CheckpointException(Problem.UNSUPPORTED_VERSION, "format version " + version
          + "; this runtime reads versions " + VERSION_1 + " to " + VERSION);
    }
    if (size < PREAMBLE) {
      throw new CheckpointException(Problem.TRUNCATED, "the file has " + size + " bytes; the preamble takes "
          + PREAMBLE);
    }
    return version;
  }

  /**
   * Versions 1 and 2: the built-in hyperparameters in {@link Hyperparameter#BUILT_IN} order, the
   * last one (the warm-up length) an {@code int32}.
   */
  private static double[] builtInValues(Reader r) {
    double[] values = new double[Hyperparameter.BUILT_IN.size()];
    for (int i = 0; i < values.length - 1; i++) {
      values[i] = r.float64();
    }
    values[values.length - 1] = r.int32();
    return values;
  }

  /**
   * Version 3: a count, then (name, value) pairs; returns the values in {@code layout} order, the
   * layout of this optimizer's group {@code g}, which must have exactly the file's names.
   */
  private static double[] namedValues(Reader r, int g, List<Hyperparameter> layout) throws CheckpointException {
    int count = r.int32();
    if (count < 0 || count > r.remaining() / 12) {
      throw new CheckpointException(Problem.CORRUPTED, "group " + g + " claims " + count + " hyperparameters");
    }
    double[] values = new double[layout.size()];
    boolean[] seen = new boolean[layout.size()];
    for (int k = 0; k < count; k++) {
      String name = r.string();
      double value = r.float64();
      int i = 0;
      while (i < layout.size() && !layout.get(i).name().equals(name)) {
        i++;
      }
      if (i == layout.size()) {
        throw new CheckpointException(Problem.SHAPE_MISMATCH, "group " + g + " has a value for the hyperparameter "
            + name + " in the checkpoint, which this optimizer does not have (it has " + layout + ")");
      }
      if (seen[i]) {
        throw new CheckpointException(Problem.CORRUPTED, "group " + g + " has two values for the hyperparameter "
            + name);
      }
      seen[i] = true;
      values[i] = value;
    }
    for (int i = 0; i < layout.size(); i++) {
      if (!seen[i]) {
        throw new CheckpointException(Problem.SHAPE_MISMATCH, "group " + g + " has no value for the hyperparameter "
            + layout.get(i) + " in the checkpoint, which this optimizer reads");
      }
    }
    return values;
  }

  private static final class Parsed {
    long steps;
    long skipped;
    /** The saved rounding seed; the loading optimizer's own for version 1, which has none. */
    long seed;
    final List<GroupState> groups = new ArrayList<>();
    final List<TensorState> tensors = new ArrayList<>();
    long dataBytes;
  }

  /**
   * Reads the header and checks it against {@code optimizer}, and every value against its domain
   * (what a writer can have written); installs nothing.
   */
  private static Parsed parse(KernelOptimizer optimizer, ByteBuffer in, int version) throws CheckpointException {
    Reader r = new Reader(in);
    SpecInfo spec = optimizer.spec();
    String name = r.string();
    r.string(); // the spec class: informational (a renamed spec computes the same thing)
    String structure = r.string();
    if (!name.equals(spec.name()) || !structure.equals(spec.structure())) {
      throw new CheckpointException(Problem.WRONG_SPEC, "the checkpoint was saved by " + name + " ("
          + structure + ") but this optimizer is " + spec.name() + " (" + spec.structure() + ")");
    }
    Parsed parsed = new Parsed();
    parsed.steps = r.count("step count");
    parsed.skipped = r.count("skipped steps");
    parsed.seed = version == VERSION_1 ? optimizer.roundingSeed() : r.int64();
    int groupCount = r.int32();
    List<ParamGroup> groups = optimizer.groups();
    if (groupCount != groups.size()) {
      throw new CheckpointException(Problem.SHAPE_MISMATCH, "the checkpoint has " + groupCount
          + " parameter groups but this optimizer has " + groups.size());
    }
    for (int g = 0; g < groupCount; g++) {
      Hyperparameters here = groups.get(g).hyperparameters();
      List<Hyperparameter> layout = here.hyperparameters();
      double[] values = version <= VERSION_2 ? builtInValues(r) : namedValues(r, g, layout);
      int kindCode = r.int8();
      long warmupSteps = r.int64();
      long totalSteps = r.int64();
      double minFactor = r.float64();
      int tableLength = r.int32();
      if (tableLength < 0 || tableLength > in.remaining() / 8) {
        throw new CheckpointException(Problem.CORRUPTED, "group " + g + " has a schedule table of "
            + tableLength + " entries");
      }
      double[] table = new double[tableLength];
      for (int i = 0; i < tableLength; i++) {
        table[i] = r.float64();
      }
      long position = r.count("group " + g + " schedule position");
      if (position > parsed.steps) {
        // every finished step advances every group, and a group added later starts at 0
        throw new CheckpointException(Problem.CORRUPTED, "group " + g + "'s schedule position " + position
            + " is ahead of the optimizer's " + parsed.steps + " finished steps");
      }
      try {
        Hyperparameters.Builder builder =
            Hyperparameters.builder(layout.subList(Hyperparameter.BUILT_IN.size(), layout.size()));
        for (int i = 0; i < values.length; i++) {
          builder.set(layout.get(i), values[i]);
        }
        Hyperparameters h = builder.build();
        LrSchedule schedule = LrSchedule.of(LrSchedule.Kind.ofCode(kindCode), warmupSteps, totalSteps,
            minFactor, table);
        if (schedule.warmupSteps() != warmupSteps || schedule.totalSteps() != totalSteps
            || Double.compare(schedule.minFactor(), minFactor) != 0 || schedule.tableLength() != tableLength) {
          throw new IllegalArgumentException("a " + schedule.kind() + " schedule stored with warmupSteps "
              + warmupSteps + ", totalSteps " + totalSteps + ", minFactor " + minFactor + " and " + tableLength
              + " table entries, but its fields are " + schedule.warmupSteps() + ", " + schedule.totalSteps()
              + ", " + schedule.minFactor() + " and " + schedule.tableLength());
        }
        StepHyperparameters view = ParamGroup.resolve(spec, h, schedule, groups.get(g).float32());
        parsed.groups.add(new GroupState(h, schedule, view, position));
      } catch (IllegalArgumentException e) {
        throw new CheckpointException(Problem.CORRUPTED, "group " + g + ": " + e.getMessage());
      }
    }
    int tensorCount = r.int32();
    List<Tensor> tensors = optimizer.tensors();
    if (tensorCount != tensors.size()) {
      throw new CheckpointException(Problem.SHAPE_MISMATCH, "the checkpoint has " + tensorCount
          + " tensors but this optimizer has " + tensors.size() + " registered");
    }
    for (int k = 0; k < tensorCount; k++) {
      Tensor tensor = tensors.get(k);
      int group = r.int32();
      int paramType = r.int8();
      int length = r.int32();
      long step = r.count("tensor " + k + " step count");
      String where = "tensor " + k;
      // read now, matched to the kernel's names once the tensor's shape is known to match
      List<String> carriedNames = new ArrayList<>();
      List<Double> carriedValues = new ArrayList<>();
      if (version > VERSION_3) {
        readCarried(r, where, carriedNames, carriedValues);
      } else {
        carriedNames = null;
        carriedValues.add(r.float64());
      }
      if (group != tensor.group.index()) {
        throw mismatch(where + " is in group " + group + " in the checkpoint but in group "
            + tensor.group.index() + " here");
      }
      ElementType registered = ElementType.of(tensor.kernel.bufferType(), tensor.kernel);
      checkVersion1(version, paramType, where + "'s parameters");
      if (paramType != registered.code) {
        throw mismatch(where + " has " + typeName(paramType) + " parameters in the checkpoint but "
            + registered.label + " here");
      }
      if (length != tensor.length) {
        throw mismatch(where + " has " + length + " elements in the checkpoint but " + tensor.length + " here");
      }
      int slots = r.int32();
      List<String> names = tensor.kernel.stateNames();
      if (slots != tensor.state.length) {
        throw mismatch(where + " has " + slots + " state arrays in the checkpoint but "
            + tensor.state.length + " here " + names);
      }
      ElementType[] slotTypes = new ElementType[slots];
      for (int s = 0; s < slots; s++) {
        String slotName = r.string();
        int code = r.int8();
        ElementType here = ElementType.of(tensor.kernel.stateTypes().get(s), tensor.kernel);
        checkVersion1(version, code, where + "'s state " + slotName);
        if (!slotName.equals(names.get(s)) || code != here.code) {
          throw mismatch(where + " state " + s + " is " + slotName + " (" + typeName(code)
              + ") in the checkpoint but " + names.get(s) + " (" + here.label + ") here");
        }
        slotTypes[s] = here;
        parsed.dataBytes += (long) length * here.size;
      }
      double[] carried = carriedNames != null ? byName(where, carriedNames, carriedValues, tensor.kernel.carriedNames())
          : momentumProductOnly(carriedValues.get(0), where, tensor.kernel.carriedNames(), version);
      String invalid = CarriedValues.invalid(tensor.kernel.carriedNames(), carried, step,
          parsed.groups.get(group).hyperparameters.varianceWarmupSteps(), spec);
      if (invalid != null) {
        throw new CheckpointException(Problem.CORRUPTED, where + " " + invalid);
      }
      parsed.tensors.add(new TensorState(step, carried, slotTypes));
    }
    if (in.hasRemaining()) {
      throw new CheckpointException(Problem.CORRUPTED, in.remaining() + " unread bytes at the end of the header");
    }
    return parsed;
  }

  private static CheckpointException mismatch(String message) {
    return new CheckpointException(Problem.SHAPE_MISMATCH, message);
  }

  /**
   * Version 1 wrote one code for bf16 and fp16 arrays; loading them as either could reinterpret
   * every element (6.87e-5 in bf16 is 0.570 in fp16), so such a file is refused. Version 2 never
   * writes that code.
   */
  private static void checkVersion1(int version, int code, String what) throws CheckpointException {
    if (code != ElementType.BITS16_UNSPECIFIED.code) {
      return;
    }
    if (version == VERSION_1) {
      throw new CheckpointException(Problem.UNSUPPORTED_VERSION, what + " are 16-bit in a version-1 checkpoint,"
          + " which does not record whether they hold bf16 or fp16; this runtime reads version-1 checkpoints"
          + " only without 16-bit arrays (save them again with this runtime to get version " + VERSION + ")");
    }
    throw new CheckpointException(Problem.CORRUPTED, what + " have element type code "
        + ElementType.BITS16_UNSPECIFIED.code + ", which only version 1 used");
  }

  /** Version 4: a count, then (name, value) pairs; a name twice is {@link Problem#CORRUPTED}. */
  private static void readCarried(Reader r, String where, List<String> names, List<Double> values)
      throws CheckpointException {
    int count = r.int32();
    if (count < 0 || count > r.remaining() / 12) {
      throw new CheckpointException(Problem.CORRUPTED, where + " claims " + count + " carried values");
    }
    for (int c = 0; c < count; c++) {
      String name = r.string();
      if (names.contains(name)) {
        throw new CheckpointException(Problem.CORRUPTED, where + " has two values for the carried value " + name);
      }
      names.add(name);
      values.add(r.float64());
    }
  }

  /** The file's carried values in {@code kernelNames} order; the names must be exactly the kernel's. */
  private static double[] byName(String where, List<String> fileNames, List<Double> fileValues,
      List<String> kernelNames) throws CheckpointException {
    for (String name : fileNames) {
      if (!kernelNames.contains(name)) {
        throw mismatch(where + " carries " + name + " from step to step in the checkpoint, which its kernel here"
            + " does not (it carries " + kernelNames + ")");
      }
    }
    double[] values = new double[kernelNames.size()];
    for (int i = 0; i < values.length; i++) {
      int at = fileNames.indexOf(kernelNames.get(i));
      if (at < 0) {
        throw mismatch(where + " has no value for " + kernelNames.get(i) + " in the checkpoint, which its kernel"
            + " here carries from step to step (the checkpoint has " + fileNames + ")");
      }
      values[i] = fileValues.get(at);
    }
    return values;
  }

  /**
   * Versions 1 to 3 stored one carried value per tensor, NAdam's Π (1 for a spec without one):
   * it becomes the kernel's {@code momentum_product}. A kernel that carries nothing takes it only
   * as 1 (what such a kernel passed through); a kernel that carries other values cannot be
   * resumed from such a file.
   */
  private static double[] momentumProductOnly(double product, String where, List<String> names, int version)
      throws CheckpointException {
    if (names.equals(List.of(CarriedValues.MOMENTUM_PRODUCT))) {
      return new double[] {product};
    }
    if (!names.isEmpty()) {
      throw mismatch(where + "'s kernel carries " + names + " from step to step, but a version-" + version
          + " checkpoint holds only NAdam's momentum product; it cannot resume such a tensor");
    }
    if (product != 1) {
      throw new CheckpointException(Problem.CORRUPTED, where + " momentum product " + product + " is not what"
          + " this spec keeps (it has no momentum product): it is 1");
    }
    return new double[0];
  }

  private static String typeName(int code) {
    ElementType type = ElementType.ofCode(code);
    return type == null ? "element type code " + code : type.label;
  }

  /** Reads every state array into a new array, checking the data checksum at the end. */
  private static List<Object[]> readState(FileChannel channel, List<Tensor> tensors, List<TensorState> parsed)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(IO_BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    buffer.flip();
    CRC32C crc = new CRC32C();
    List<Object[]> states = new ArrayList<>(tensors.size());
    for (int k = 0; k < tensors.size(); k++) {
      Tensor tensor = tensors.get(k);
      ElementType[] types = parsed.get(k).slotTypes;
      Object[] state = new Object[types.length];
      for (int s = 0; s < types.length; s++) {
        ElementType type = types[s];
        Object array = Array.newInstance(type.arrayClass.getComponentType(), tensor.length);
        for (int done = 0; done < tensor.length; ) {
          if (buffer.remaining() < type.size) {
            refill(channel, buffer, crc);
          }
          int n = Math.min(tensor.length - done, buffer.remaining() / type.size);
          if (array instanceof float[]) {
            buffer.asFloatBuffer().get((float[]) array, done, n);
          } else if (array instanceof double[]) {
            buffer.asDoubleBuffer().get((double[]) array, done, n);
          } else {
            buffer.asShortBuffer().get((short[]) array, done, n);
          }
          buffer.position(buffer.position() + n * type.size);
          done += n;
        }
        state[s] = array;
      }
      states.add(state);
    }
    if (buffer.hasRemaining()) {
      throw new AssertionError("read past the state arrays");
    }
    ByteBuffer stored = readExactly(channel, 4);
    if (stored.getInt(0) != (int) crc.getValue()) {
      throw new CheckpointException(Problem.CORRUPTED, "the state checksum does not match (stored "
          + hex(stored.getInt(0)) + ", computed " + hex((int) crc.getValue()) + ")");
    }
    return states;
  }

  /**
   * Keeps the unread bytes and reads more, but never past the state arrays: the expected size
   * was checked, so the last 4 bytes of the file are the checksum.
   */
  private static void refill(FileChannel channel, ByteBuffer buffer, CRC32C crc) throws IOException {
    buffer.compact();
    long dataLeft = channel.size() - 4 - channel.position();
    if (dataLeft <= 0) {
      throw new CheckpointException(Problem.TRUNCATED, "the file ended while reading the state arrays");
    }
    int start = buffer.position();
    int want = (int) Math.min(buffer.remaining(), dataLeft);
    buffer.limit(start + want);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        throw new CheckpointException(Problem.TRUNCATED, "the file ended while reading the state arrays");
      }
    }
    ByteBuffer fresh = buffer.duplicate();
    fresh.position(start);
    crc.update(fresh);
    buffer.flip();
  }

  /** Copies the checked state in. Nothing here can fail. */
  private static void install(KernelOptimizer optimizer, Parsed parsed, List<Object[]> states) {
    List<Tensor> tensors = optimizer.tensors();
    List<ParamGroup> groups = optimizer.groups();
    boolean[] stepped = new boolean[groups.size()];
    for (int k = 0; k < tensors.size(); k++) {
      Tensor tensor = tensors.get(k);
      TensorState read = parsed.tensors.get(k);
      Object[] state = states.get(k);
      for (int s = 0; s < state.length; s++) {
        if (tensor.state[s] instanceof DirectBuffer) {
          ((DirectBuffer) tensor.state[s]).copyIn(state[s], 0, 0, tensor.length);
        } else {
          System.arraycopy(state[s], 0, tensor.state[s], 0, tensor.length);
        }
      }
      tensor.step = read.step;
      System.arraycopy(read.carried, 0, tensor.carried, 0, read.carried.length);
      stepped[tensor.group.index()] |= read.step > 0;
    }
    for (int g = 0; g < groups.size(); g++) {
      GroupState read = parsed.groups.get(g);
      groups.get(g).restore(read.hyperparameters, read.schedule, read.view, read.position, stepped[g]);
    }
    optimizer.restoreCounters(parsed.steps, parsed.skipped);
    optimizer.restoreRoundingSeed(parsed.seed);
  }

  private static ByteBuffer readUpTo(ReadableByteChannel channel, int n) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
      // keep reading
    }
    buffer.flip();
    return buffer;
  }

  private static ByteBuffer readExactly(ReadableByteChannel channel, int n) throws IOException {
    ByteBuffer buffer = readUpTo(channel, n);
    if (buffer.limit() < n) {
      throw new CheckpointException(Problem.TRUNCATED, "the file ended " + (n - buffer.limit())
          + " bytes early");
    }
    return buffer;
  }

  private static String hex(int value) {
    return String.format("%08x", value);
  }

  /** Little-endian header fields into a growing byte array. */
  private static final class Writer {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

    void int8(int value) {
      bytes.write(value);
    }

    void int32(int value) {
      scratch.clear();
      bytes.write(scratch.putInt(value).array(), 0, 4);
    }

    void int64(long value) {
      scratch.clear();
      bytes.write(scratch.putLong(value).array(), 0, 8);
    }

    void float64(double value) {
      int64(Double.doubleToRawLongBits(value));
    }

    void string(String value) {
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      int32(utf8.length);
      bytes.write(utf8, 0, utf8.length);
    }

    byte[] bytes() {
      return bytes.toByteArray();
    }
  }

  /** Header fields out of a checked header; malformed content is {@link Problem#CORRUPTED}. */
  private static final class Reader {
    private final ByteBuffer in;

    Reader(ByteBuffer in) {
      this.in = in;
    }

    int int8() {
      return in.get() & 0xFF;
    }

    int int32() {
      return in.getInt();
    }

    long int64() {
      return in.getLong();
    }

    double float64() {
      return Double.longBitsToDouble(in.getLong());
    }

    int remaining() {
      return in.remaining();
    }

    /** A count: steps, skipped steps, a schedule position; 0 to {@link #MAX_COUNT}. */
    long count(String what) throws CheckpointException {
      long value = in.getLong();
      if (value < 0) {
        throw new CheckpointException(Problem.CORRUPTED, what + " is negative (" + value + ")");
      }
      if (value > MAX_COUNT) {
        throw new CheckpointException(Problem.CORRUPTED, what + " " + value + " is beyond 2^53 = " + MAX_COUNT
            + ", the largest count this runtime steps (the per-step formulas convert counts to double)");
      }
      return value;
    }

    String string() throws CheckpointException {
      int length = in.getInt();
      if (length < 0 || length > MAX_STRING || length > in.remaining()) {
        throw new CheckpointException(Problem.CORRUPTED, "a string field claims " + length + " bytes");
      }
      byte[] utf8 = new byte[length];
      in.get(utf8);
      return new String(utf8, StandardCharsets.UTF_8);
    }
  }
}
