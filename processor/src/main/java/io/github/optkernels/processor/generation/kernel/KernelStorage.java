package io.github.optkernels.processor.generation.kernel;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import io.github.optkernels.annotations.Precision;
import io.github.optkernels.processor.generation.RuntimeTypes;
import io.github.optkernels.processor.model.HalfStorage;
import io.github.optkernels.processor.model.OptimizerModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How one kernel stores its buffers, and so how its loops load and store them. float and double
 * kernels keep everything in arrays of their compute type, and their loops read the arrays
 * directly. A bf16 or fp16 kernel computes in float32 but stores the parameter and gradient as
 * 16-bit bits ({@code short[]}), the moments in float32 or 16 bits, and possibly a Kahan
 * compensation buffer; its loops run over blocks of float32 copies (see {@link #blocked()}).
 */
public final class KernelStorage {
  /** The state slot of the Kahan compensation buffer, named as optimi names it. */
  public static final String KAHAN_STATE = "kahan_comp";

  private static final TypeName SHORTS = ArrayTypeName.of(TypeName.SHORT);

  /** How an array stores its numbers. */
  public enum Encoding {
    /** The compute type itself ({@code float[]}, {@code double[]}). */
    PLAIN("", ""),
    /** bfloat16 bits in a {@code short[]}. */
    BF16("bf16", "Bf16"),
    /** IEEE binary16 bits in a {@code short[]}. */
    FP16("fp16", "Fp16");

    /** As HalfArrays' method names spell it first ({@code bf16ToFloat}) and later ({@code floatToBf16}). */
    private final String lower;
    private final String capitalized;

    Encoding(String lower, String capitalized) {
      this.lower = lower;
      this.capitalized = capitalized;
    }
  }

  private final NumericFormat compute;
  private final Encoding params;
  private final Encoding moments;
  private final boolean kahan;
  private final boolean stochastic;
  private final List<String> momentStates;

  private KernelStorage(NumericFormat compute, Encoding params, Encoding moments, boolean kahan,
      boolean stochastic, List<String> momentStates) {
    this.compute = compute;
    this.params = params;
    this.moments = moments;
    this.kahan = kahan;
    this.stochastic = stochastic;
    this.momentStates = List.copyOf(momentStates);
  }

  /**
   * The runtime's NaN/Inf scan for this kernel's 16-bit gradients ({@code GradientScan}'s method
   * name), or empty for float and double, which the {@code StepKernel} default scans.
   */
  public Optional<String> nonFiniteScan() {
    switch (params) {
      case BF16:
        return Optional.of("firstNonFiniteBfloat16");
      case FP16:
        return Optional.of("firstNonFiniteFloat16");
      default:
        return Optional.empty();
    }
  }

  /**
   * The state slots (indices into {@link #stateNames()}) whose values the element loop stores in
   * 16 bits, and which can therefore overflow: the moments of a pure 16-bit kernel. Not the Kahan
   * buffer: it holds what rounding the parameter left out, finite whenever the parameter is.
   */
  public List<Integer> sixteenBitStateSlots() {
    List<Integer> slots = new ArrayList<>();
    List<String> names = stateNames();
    for (int k = 0; k < names.size(); k++) {
      if (moments != Encoding.PLAIN && inLoop(names.get(k))) {
        slots.add(k);
      }
    }
    return List.copyOf(slots);
  }

  /** The storage of {@code model}'s kernel for {@code precision}. */
  public static KernelStorage of(OptimizerModel model, Precision precision) {
    List<String> states = model.structure().stateNames();
    HalfStorage half = model.halfStorage();
    switch (precision) {
      case FLOAT:
        return new KernelStorage(NumericFormat.FLOAT, Encoding.PLAIN, Encoding.PLAIN, false, false, states);
      case DOUBLE:
        return new KernelStorage(NumericFormat.DOUBLE, Encoding.PLAIN, Encoding.PLAIN, false, false, states);
      case BFLOAT16:
      case FLOAT16: {
        Encoding bits = precision == Precision.BFLOAT16 ? Encoding.BF16 : Encoding.FP16;
        return new KernelStorage(NumericFormat.FLOAT, bits, half.halfState() ? bits : Encoding.PLAIN,
            half.kahan(), half.stochastic(), states);
      }
      default:
        throw new AssertionError(precision);
    }
  }

  /** How the parameter, the gradient and the Kahan buffer are stored. */
  public Encoding parameterEncoding() {
    return params;
  }

  /** How the moments (and AMSGrad's maximum) are stored. */
  public Encoding momentEncoding() {
    return moments;
  }

  /** The arithmetic of the element loop. */
  public NumericFormat compute() {
    return compute;
  }

  /**
   * Whether the loops run over blocks: widen a block of every buffer the loop reads into float32
   * scratch, run the element loop on the scratch, narrow what it wrote. True for 16-bit kernels.
   */
  public boolean blocked() {
    return params != Encoding.PLAIN;
  }

  /** Whether the parameter store is Kahan-compensated (16-bit kernels only). */
  public boolean kahan() {
    return kahan;
  }

  /** Whether the parameter is rounded stochastically (16-bit kernels only). */
  public boolean stochastic() {
    return stochastic;
  }

  /** Parameter and gradient buffer type. */
  public TypeName bufferType() {
    return params == Encoding.PLAIN ? compute.bufferType() : SHORTS;
  }

  /** The state slots: the spec's moments, then the Kahan buffer if there is one. */
  public List<String> stateNames() {
    List<String> names = new ArrayList<>(momentStates);
    if (kahan) {
      names.add(KAHAN_STATE);
    }
    return List.copyOf(names);
  }

  /** The array type of state slot {@code state}. */
  public TypeName stateType(String state) {
    if (state.equals(KAHAN_STATE)) {
      return SHORTS;
    }
    return moments == Encoding.PLAIN ? compute.bufferType() : SHORTS;
  }

  /** Whether state slot {@code state} goes through the element loop (the Kahan buffer does not). */
  public boolean inLoop(String state) {
    return !state.equals(KAHAN_STATE);
  }

  /** How the docs name the buffers: {@code float[]}, or {@code bf16 (short[])}. */
  public String bufferDoc() {
    switch (params) {
      case BF16:
        return "bf16 (short[] bits)";
      case FP16:
        return "fp16 (short[] bits)";
      default:
        return compute.javaName() + "[]";
    }
  }

  /** How the moments are stored, for docs. */
  public String momentDoc() {
    return moments == Encoding.PLAIN ? compute.javaName() : moments.lower;
  }

  /** How the parameter store rounds, for docs. */
  public String storeDoc() {
    if (kahan) {
      return "rounded to nearest even with Kahan compensation (kahan_comp)";
    }
    return stochastic ? "rounded stochastically" : "rounded to nearest even";
  }

  // ---- the block loop's conversions; `base` and `n` are the block's first index and length ----

  /** {@code HalfArrays.bf16ToFloat(storage, base, block, n)}, or a copy for a float32 moment. */
  public CodeBlock load(String storage, String block, boolean moment) {
    Encoding encoding = moment ? moments : params;
    if (encoding == Encoding.PLAIN) {
      return CodeBlock.builder().addStatement("$T.arraycopy($N, base, $N, 0, n)", System.class, storage, block).build();
    }
    return CodeBlock.builder().addStatement("$T.$LToFloat($N, base, $N, n)", halfArrays(), encoding.lower,
        storage, block).build();
  }

  /** Stores a block of a moment: a copy, or rounded to nearest even. */
  public CodeBlock storeMoment(String block, String storage) {
    if (moments == Encoding.PLAIN) {
      return CodeBlock.builder().addStatement("$T.arraycopy($N, 0, $N, base, n)", System.class, block, storage).build();
    }
    return CodeBlock.builder().addStatement("$T.floatTo$L($N, $N, base, n)", halfArrays(),
        moments.capitalized, block, storage).build();
  }

  /** Stores the block of updated parameters: nearest even, stochastic, or Kahan-compensated. */
  public CodeBlock storeParam(String block, String storage, String kahanComp, String noiseKey) {
    if (kahan) {
      return CodeBlock.builder().addStatement("$T.kahan$L($N, $N, $N, base, n)", halfArrays(),
          params.capitalized, block, storage, kahanComp).build();
    }
    if (stochastic) {
      return CodeBlock.builder().addStatement("$T.floatTo$LStochastic($N, $N, base, n, $N)", halfArrays(),
          params.capitalized, block, storage, noiseKey).build();
    }
    return CodeBlock.builder().addStatement("$T.floatTo$L($N, $N, base, n)", halfArrays(),
        params.capitalized, block, storage).build();
  }

  private static ClassName halfArrays() {
    return RuntimeTypes.HALF_ARRAYS;
  }
}
