package io.github.optkernels.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import io.github.optkernels.runtime.BufferFormat;
import io.github.optkernels.runtime.HalfArrays;
import io.github.optkernels.runtime.HalfFormat;
import io.github.optkernels.runtime.KernelOptimizer;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * A DJL parameter whose tensor has no writable view of its memory (a non-contiguous view,
 * another device): the optimizer holds heap arrays for its parameter and gradient (and, in the
 * generated optimizer, its state), which each update fills from the engine's memory, steps with
 * the generated array kernel, and writes back by an indexed assignment (or through a view, should
 * the tensor have gained one). A tensor with a writable view is stepped in place instead
 * ({@link InPlaceParameter}); this is the way for the others.
 *
 * <p>It reads the engine's memory afresh at every update, so a weight the user set between steps
 * (which on PyTorch gets new memory) is stepped from its new values.
 *
 * <p>With {@link ParameterMemory#BF16_COPIES} a float32 weight is held as bf16 bits: rounded to
 * the nearest bf16 when registered (in the engine's tensor too), its gradient rounded to bf16 at
 * every update, stepped by the optimizer's bf16 kernel, and written back exactly (every bf16 value
 * is a float32 value).
 */
final class CopiedParameter implements RegisteredParameter {
  /** Elements per pass of the gradient copy and zeroing: the chunk is still in cache when zeroed. */
  private static final int CHUNK = 16_384;
  private static final float[] ZERO_FLOATS = new float[CHUNK];
  private static final double[] ZERO_DOUBLES = new double[CHUNK];

  private final KernelOptimizer optimizer;
  private final String key;
  private final NDArray weight;
  /** What the heap copies hold: the engine's format, or {@link BufferFormat#BF16} for float32 weights held as bf16. */
  private final BufferFormat format;
  /** What the engine's memory holds: float32 or float64. */
  private final BufferFormat engineFormat;
  private final int length;
  /** The parameter the generated optimizer steps: {@code float[]}, {@code double[]}, or bf16 bits in {@code short[]}. */
  private final Object param;
  private final Object grad;
  /** For bf16 bits: the float32 values on their way between the engine and the bits; else null. */
  private final float[] floats;
  /** Whether the last update wrote the parameter through a direct view of the engine's memory. */
  private boolean writesThroughView;
  /** The memory ({@link EngineMemory#memory}) whose view was last found to reach the tensor, or none. */
  private long viewedWeight = EngineMemory.NONE;
  private long viewedGradient = EngineMemory.NONE;

  /** {@code format}: the engine's, float32 or float64, or {@link BufferFormat#BF16} for a float32 weight held as bf16. */
  private CopiedParameter(KernelOptimizer optimizer, String key, NDArray weight, BufferFormat format) {
    this.optimizer = optimizer;
    this.key = key;
    this.weight = weight;
    this.format = format;
    this.engineFormat = format == BufferFormat.BF16 ? BufferFormat.FLOAT32 : format;
    this.length = Math.toIntExact(weight.size());
    this.param = heapArray(format, length);
    this.grad = heapArray(format, length);
    this.floats = format == BufferFormat.BF16 ? new float[length] : null;
  }

  private static Object heapArray(BufferFormat format, int length) {
    switch (format) {
      case FLOAT32:
        return new float[length];
      case FLOAT64:
        return new double[length];
      case BF16:
        return new short[length];
      default:
        throw new IllegalArgumentException("no heap copies of " + format + " weights");
    }
  }

  /** Registers {@code weight} with {@code optimizer} as heap arrays holding its current values. */
  static CopiedParameter register(KernelOptimizer optimizer, String key, NDArray weight, BufferFormat format) {
    CopiedParameter parameter = new CopiedParameter(optimizer, key, weight, format);
    parameter.readWeight();
    if (format == BufferFormat.BF16) {
      optimizer.addHalf(HalfFormat.BF16, (short[]) parameter.param, (short[]) parameter.grad);
      // the model computes with the bf16 values from now on
      parameter.copyOut();
    } else {
      optimizer.add(parameter.param, parameter.grad);
    }
    return parameter;
  }

  @Override
  public NDArray weight() {
    return weight;
  }

  @Override
  public Object optimizerParam() {
    return param;
  }

  @Override
  public boolean writesThroughView() {
    return writesThroughView;
  }

  @Override
  public void bind(NDArray gradient) {
    // the arrays are the optimizer's memory: nothing moves
  }

  /**
   * Reads the weight's current values and {@code gradient} into the arrays, steps them, writes
   * the new values back, and leaves the weight's own gradient zeroed, as DJL's optimizers leave it
   * (PyTorch accumulates gradients: without it the next batch would add to this one's). A refused
   * step (a NaN/Inf gradient) leaves the weight and its gradient as they were.
   */
  @Override
  public void step(NDArray gradient) {
    NDArray own = weight.hasGradient() ? weight.getGradient() : null;
    try {
      ByteBuffer ownView = own == null ? null : writableView(own);
      ByteBuffer source = EngineMemory.view(gradient);
      // where the gradient passed is the weight's own (DJL's parameter server passes that), each
      // chunk is zeroed as it is read, while it is still in cache; the arrays then hold its values,
      // which a refused step writes back
      boolean zeroWhileReading = ownView != null && sameMemory(ownView, source);
      readWeight();
      readGradient(source, zeroWhileReading ? ownView : null);
      try {
        optimizer.stepTensor(param);
      } catch (RuntimeException | Error e) {
        if (zeroWhileReading) {
          restoreGradient(ownView);
        }
        throw e;
      } finally {
        copyOut();
      }
      if (own != null && !zeroWhileReading) {
        zero(own, ownView);
      }
    } finally {
      if (own != null) {
        own.close(); // the handle getGradient made, not the gradient itself
      }
    }
  }

  /** A direct view of {@code own}'s memory that writes reach, or null (checked whenever its memory is new). */
  private ByteBuffer writableView(NDArray own) {
    ByteBuffer view = EngineMemory.view(own);
    long memory = EngineMemory.memory(view, (long) length * engineFormat.bytes());
    if (memory != viewedGradient && EngineMemory.writesReachTheTensor(own, view, engineFormat, length)) {
      viewedGradient = memory;
    }
    return memory == viewedGradient ? view : null;
  }

  /**
   * Whether {@code source} is a view of the memory {@code ownView} writes: one element changed
   * through {@code ownView}, read through {@code source}, and restored (JDK 17 has no addresses
   * to compare, and a non-contiguous gradient's view is a copy).
   */
  private boolean sameMemory(ByteBuffer ownView, ByteBuffer source) {
    if (length == 0 || !source.isDirect() || source.capacity() != ownView.capacity()) {
      return false;
    }
    if (engineFormat == BufferFormat.FLOAT64) {
      long before = ownView.getLong(0);
      ownView.putLong(0, ~before);
      boolean same = source.getLong(0) == ~before;
      ownView.putLong(0, before);
      return same;
    }
    int before = ownView.getInt(0);
    ownView.putInt(0, ~before);
    boolean same = source.getInt(0) == ~before;
    ownView.putInt(0, before);
    return same;
  }

  /**
   * {@code source}'s values into the gradient array (as bf16 bits for {@link
   * ParameterMemory#BF16_COPIES}, its float32 values left in {@link #floats}), chunk by chunk,
   * zeroing each chunk of {@code zeroes} (or nothing, when null) right after it is read.
   */
  private void readGradient(ByteBuffer source, ByteBuffer zeroes) {
    if (format != BufferFormat.FLOAT64) {
      FloatBuffer from = source.asFloatBuffer();
      FloatBuffer zero = zeroes == null ? null : zeroes.asFloatBuffer();
      float[] into = format == BufferFormat.BF16 ? floats : (float[]) grad;
      for (int base = 0; base < length; base += CHUNK) {
        int n = Math.min(CHUNK, length - base);
        from.get(base, into, base, n);
        if (zero != null) {
          zero.put(base, ZERO_FLOATS, 0, n);
        }
      }
      if (format == BufferFormat.BF16) {
        HalfArrays.floatToBf16(floats, (short[]) grad, 0, length);
      }
    } else {
      DoubleBuffer from = source.asDoubleBuffer();
      DoubleBuffer zero = zeroes == null ? null : zeroes.asDoubleBuffer();
      for (int base = 0; base < length; base += CHUNK) {
        int n = Math.min(CHUNK, length - base);
        from.get(base, (double[]) grad, base, n);
        if (zero != null) {
          zero.put(base, ZERO_DOUBLES, 0, n);
        }
      }
    }
  }

  /** After a refused step: the gradient values read (and zeroed) back into the weight's own gradient. */
  private void restoreGradient(ByteBuffer ownView) {
    if (format == BufferFormat.FLOAT64) {
      ownView.asDoubleBuffer().put(0, (double[]) grad, 0, length);
    } else {
      ownView.asFloatBuffer().put(0, format == BufferFormat.BF16 ? floats : (float[]) grad, 0, length);
    }
  }

  /** The weight's own gradient zeroed after a step: through its view, or by the engine where it has none. */
  private void zero(NDArray own, ByteBuffer ownView) {
    if (ownView == null) {
      own.set(new NDIndex("..."), 0);
      return;
    }
    DoubleBuffer doubles = engineFormat == BufferFormat.FLOAT64 ? ownView.asDoubleBuffer() : null;
    FloatBuffer floatBuffer = doubles == null ? ownView.asFloatBuffer() : null;
    for (int base = 0; base < length; base += CHUNK) {
      int n = Math.min(CHUNK, length - base);
      if (doubles != null) {
        doubles.put(base, ZERO_DOUBLES, 0, n);
      } else {
        floatBuffer.put(base, ZERO_FLOATS, 0, n);
      }
    }
  }

  /** The weight's current values into the parameter array, through its view (a view or a copy). */
  private void readWeight() {
    ByteBuffer view = EngineMemory.view(weight);
    if (format == BufferFormat.FLOAT32) {
      view.asFloatBuffer().get(0, (float[]) param, 0, length);
    } else if (format == BufferFormat.BF16) {
      // bf16 values already, unless the user set the weight since: then rounded as at registration
      view.asFloatBuffer().get(0, floats, 0, length);
      HalfArrays.floatToBf16(floats, (short[]) param, 0, length);
    } else {
      view.asDoubleBuffer().get(0, (double[]) param, 0, length);
    }
  }

  /**
   * After a step: the new values into the engine's tensor, through a direct view of its memory
   * where writes to the view are seen in the tensor (checked with one element whenever the memory
   * is not the one last checked), else by an indexed assignment of the whole tensor, which writes
   * into its memory (for a view, the memory it is a view of; the engine's {@code set(Buffer)}
   * would give it new memory instead, and the viewed tensor would never see the update).
   */
  private void copyOut() {
    ByteBuffer view = EngineMemory.view(weight);
    long memory = EngineMemory.memory(view, (long) length * engineFormat.bytes());
    if (memory != viewedWeight && EngineMemory.writesReachTheTensor(weight, view, engineFormat, length)) {
      viewedWeight = memory;
    }
    writesThroughView = memory == viewedWeight;
    if (format == BufferFormat.BF16) {
      HalfArrays.bf16ToFloat((short[]) param, 0, floats, length);
    }
    if (writesThroughView) {
      if (format == BufferFormat.FLOAT64) {
        view.asDoubleBuffer().put(0, (double[]) param, 0, length);
      } else {
        view.asFloatBuffer().put(0, format == BufferFormat.BF16 ? floats : (float[]) param, 0, length);
      }
      return;
    }
    Buffer values = format == BufferFormat.FLOAT64 ? DoubleBuffer.wrap((double[]) param)
        : FloatBuffer.wrap(format == BufferFormat.BF16 ? floats : (float[]) param);
    try (NDArray update = weight.getManager().create(values, weight.getShape())) {
      weight.set(new NDIndex("..."), update);
    }
  }
}
