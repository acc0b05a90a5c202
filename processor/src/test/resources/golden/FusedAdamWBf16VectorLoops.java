package golden;

import io.github.optkernels.runtime.HalfBits;
import java.lang.Float;
import java.lang.Integer;
import java.lang.Override;
import java.lang.Short;
import javax.annotation.processing.Generated;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused Vector API loops of {@link FusedAdamWBf16Kernel}: per vector of lanes, the 16-bit buffers are
 * widened, the kernel's element statements run on vectors, and the results are rounded
 * back, with no float32 scratch in between. Both flavours are printed from the same kernel
 * IR, operation by operation, so they give the same bits.
 * Generated from {@link golden.FusedAdamWSpec}; do not edit.
 *
 * <p>Loaded by the kernel only when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}; nothing else refers to this class.
 */
@Generated(
    value = "io.github.optkernels.processor.OptimizerProcessor",
    comments = "from golden.FusedAdamWSpec"
)
final class FusedAdamWBf16VectorLoops implements FusedAdamWBf16Kernel.Loops {
  /**
   * Float lanes at the preferred width: 8 with AVX2, 16 with AVX-512.
   */
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

  /**
   * Int lanes of the same width, for the bit operations.
   */
  private static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;

  /**
   * 16-bit lanes of half the width: as many lanes, for the loads and stores.
   */
  private static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));

  /**
   * Instantiated once, by the kernel's class initialisation.
   */
  FusedAdamWBf16VectorLoops() {
  }

  @Override
  public int lanes() {
    return F.length();
  }

  @Override
  public int roundingRevision() {
    // inlined by javac: the revision of the runtime this class is compiled against
    return HalfBits.REVISION;
  }

  /**
   * The VARIANCE_WARMUP loop over whole vectors of {@code [from, to)}; returns where it stopped:
   * at the tail, or at a vector with a lane only the block loop rounds right.
   */
  @Override
  public int varianceWarmup(FusedAdamWBf16Kernel kernel, short[] paramStored, short[] gradStored,
      float[] expAvgStored, float[] expAvgSqStored, short[] kahanComp, int from, int to) {
    float beta2 = kernel.beta2;
    float oneMinusBeta2 = kernel.oneMinusBeta2;
    // Inside the loop, param, grad and the state names are the float32 lanes of [i, i + F.length()).
    int i = from;
    for (int upper = from + F.loopBound(to - from); i < upper; i += F.length()) {
      FloatVector grad = ((IntVector) ShortVector.fromArray(S, gradStored, i).convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, HalfBits.BF16_SHIFT).reinterpretAsFloats();
      FloatVector expAvgSq = FloatVector.fromArray(F, expAvgSqStored, i);
      FloatVector g = grad;
      FloatVector v = expAvgSq.mul(beta2).add(g.mul(oneMinusBeta2).mul(g));
      v.intoArray(expAvgSqStored, i);
    }
    return i;
  }

  /**
   * The ADAPTIVE loop over whole vectors of {@code [from, to)}; returns where it stopped:
   * at the tail, or at a vector with a lane only the block loop rounds right.
   */
  @Override
  public int adaptive(FusedAdamWBf16Kernel kernel, short[] paramStored, short[] gradStored,
      float[] expAvgStored, float[] expAvgSqStored, short[] kahanComp, int from, int to) {
    float decayFactor = kernel.decayFactor;
    float beta1 = kernel.beta1;
    float oneMinusBeta1 = kernel.oneMinusBeta1;
    float beta2 = kernel.beta2;
    float oneMinusBeta2 = kernel.oneMinusBeta2;
    float epsTerm = kernel.epsTerm;
    float stepSize = kernel.stepSize;
    // Inside the loop, param, grad and the state names are the float32 lanes of [i, i + F.length()).
    int i = from;
    for (int upper = from + F.loopBound(to - from); i < upper; i += F.length()) {
      FloatVector param = ((IntVector) ShortVector.fromArray(S, paramStored, i).convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, HalfBits.BF16_SHIFT).reinterpretAsFloats();
      FloatVector grad = ((IntVector) ShortVector.fromArray(S, gradStored, i).convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, HalfBits.BF16_SHIFT).reinterpretAsFloats();
      FloatVector expAvg = FloatVector.fromArray(F, expAvgStored, i);
      FloatVector expAvgSq = FloatVector.fromArray(F, expAvgSqStored, i);
      FloatVector compensation = ((IntVector) ShortVector.fromArray(S, kahanComp, i).convertShape(VectorOperators.S2I, I, 0)).lanewise(VectorOperators.LSHL, HalfBits.BF16_SHIFT).reinterpretAsFloats();
      FloatVector g = grad;
      FloatVector p = param;
      FloatVector pDecayed = p.mul(decayFactor);
      FloatVector m = expAvg.mul(beta1).add(g.mul(oneMinusBeta1));
      FloatVector v = expAvgSq.mul(beta2).add(g.mul(oneMinusBeta2).mul(g));
      FloatVector d = v.sqrt().add(epsTerm);
      FloatVector u = m.mul(-stepSize).div(d);
      FloatVector newParam = pDecayed.add(u);
      // Kahan: c ← round(c + u); p' ← round(p + c); c ← round(c + round(p − p'))
      FloatVector kahanSum = compensation.add(newParam.sub(param));
      IntVector kahanSumBits = kahanSum.reinterpretAsInts();
      FloatVector kahanC = kahanSumBits.add(kahanSumBits.lanewise(VectorOperators.LSHR, HalfBits.BF16_SHIFT).and(1)).add(HalfBits.BF16_ROUND).and(HalfBits.BF16_KEPT).reinterpretAsFloats();
      FloatVector kahanParam = param.add(kahanC);
      IntVector kahanParamBits = kahanParam.reinterpretAsInts();
      FloatVector kahanRounded = kahanParamBits.add(kahanParamBits.lanewise(VectorOperators.LSHR, HalfBits.BF16_SHIFT).and(1)).add(HalfBits.BF16_ROUND).and(HalfBits.BF16_KEPT).reinterpretAsFloats();
      FloatVector kahanLost = param.sub(kahanRounded);
      IntVector kahanLostBits = kahanLost.reinterpretAsInts();
      FloatVector kahanLostRounded = kahanLostBits.add(kahanLostBits.lanewise(VectorOperators.LSHR, HalfBits.BF16_SHIFT).and(1)).add(HalfBits.BF16_ROUND).and(HalfBits.BF16_KEPT).reinterpretAsFloats();
      FloatVector kahanNext = kahanC.add(kahanLostRounded);
      IntVector kahanNextBits = kahanNext.reinterpretAsInts();
      VectorMask<Integer> newParamUnusual = kahanSumBits.and(HalfBits.MAGNITUDE).compare(VectorOperators.GT, HalfBits.INFINITY)
          .or(kahanParamBits.and(HalfBits.MAGNITUDE).compare(VectorOperators.GT, HalfBits.INFINITY))
          .or(kahanLostBits.and(HalfBits.MAGNITUDE).compare(VectorOperators.GT, HalfBits.INFINITY))
          .or(kahanNextBits.and(HalfBits.MAGNITUDE).compare(VectorOperators.GT, HalfBits.INFINITY));
      // a lane the vector code does not round as the block loop does: nothing of this vector
      // is stored, the kernel's block loop does it
      if (newParamUnusual.anyTrue()) {
        return i;
      }
      m.intoArray(expAvgStored, i);
      v.intoArray(expAvgSqStored, i);
      IntVector kahanRoundedBits = kahanRounded.reinterpretAsInts();
      IntVector kahanParamHalf = kahanRoundedBits.lanewise(VectorOperators.LSHR, HalfBits.BF16_SHIFT);
      IntVector kahanCompHalf = kahanNextBits.add(kahanNextBits.lanewise(VectorOperators.LSHR, HalfBits.BF16_SHIFT).and(1)).add(HalfBits.BF16_ROUND).lanewise(VectorOperators.LSHR, HalfBits.BF16_SHIFT);
      ((ShortVector) kahanParamHalf.convertShape(VectorOperators.I2S, S, 0)).intoArray(paramStored, i);
      ((ShortVector) kahanCompHalf.convertShape(VectorOperators.I2S, S, 0)).intoArray(kahanComp, i);
    }
    return i;
  }
}
