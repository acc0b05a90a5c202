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
 * Fused Vector API loops of {@link FusedPureAdamFp16Kernel}: per vector of lanes, the 16-bit buffers are
 * widened, the kernel's element statements run on vectors, and the results are rounded
 * back, with no float32 scratch in between. Both flavours are printed from the same kernel
 * IR, operation by operation, so they give the same bits.
 * Generated from {@link golden.FusedPureAdamSpec}; do not edit.
 *
 * <p>Loaded by the kernel only when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}; nothing else refers to this class.
 */
@Generated(
    value = "io.github.optkernels.processor.OptimizerProcessor",
    comments = "from golden.FusedPureAdamSpec"
)
final class FusedPureAdamFp16VectorLoops implements FusedPureAdamFp16Kernel.Loops {
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
   * 0, 1, 2, ...: lane k holds element i + k, whose index the rounding noise hashes.
   */
  private static final IntVector LANES = IntVector.zero(I).addIndex(1);

  /**
   * Instantiated once, by the kernel's class initialisation.
   */
  FusedPureAdamFp16VectorLoops() {
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
  public int varianceWarmup(FusedPureAdamFp16Kernel kernel, short[] paramStored, short[] gradStored,
      short[] expAvgStored, short[] expAvgSqStored, int from, int to) {
    float l2 = kernel.l2;
    float beta2 = kernel.beta2;
    float oneMinusBeta2 = kernel.oneMinusBeta2;
    // Inside the loop, param, grad and the state names are the float32 lanes of [i, i + F.length()).
    int i = from;
    for (int upper = from + F.loopBound(to - from); i < upper; i += F.length()) {
      IntVector paramHalf = (IntVector) ShortVector.fromArray(S, paramStored, i).convertShape(VectorOperators.S2I, I, 0);
      IntVector paramMagnitude = paramHalf.and(HalfBits.FP16_MAGNITUDE);
      FloatVector param = paramMagnitude.lanewise(VectorOperators.LSHL, HalfBits.FP16_SHIFT).add(HalfBits.FP16_REBIAS)
          .blend(((FloatVector) paramMagnitude.convert(VectorOperators.I2F, 0)).mul(HalfBits.FP16_SUBNORMAL_UNIT).reinterpretAsInts(), paramMagnitude.compare(VectorOperators.LT, HalfBits.FP16_MIN_NORMAL))
          .blend(paramMagnitude.and(HalfBits.FP16_MANTISSA).lanewise(VectorOperators.LSHL, HalfBits.FP16_SHIFT).or(HalfBits.INFINITY), paramMagnitude.compare(VectorOperators.GE, HalfBits.FP16_INFINITY))
          .or(paramHalf.and(HalfBits.FP16_SIGN).lanewise(VectorOperators.LSHL, HalfBits.FP16_SIGN_SHIFT)).reinterpretAsFloats();
      IntVector gradHalf = (IntVector) ShortVector.fromArray(S, gradStored, i).convertShape(VectorOperators.S2I, I, 0);
      IntVector gradMagnitude = gradHalf.and(HalfBits.FP16_MAGNITUDE);
      FloatVector grad = gradMagnitude.lanewise(VectorOperators.LSHL, HalfBits.FP16_SHIFT).add(HalfBits.FP16_REBIAS)
          .blend(((FloatVector) gradMagnitude.convert(VectorOperators.I2F, 0)).mul(HalfBits.FP16_SUBNORMAL_UNIT).reinterpretAsInts(), gradMagnitude.compare(VectorOperators.LT, HalfBits.FP16_MIN_NORMAL))
          .blend(gradMagnitude.and(HalfBits.FP16_MANTISSA).lanewise(VectorOperators.LSHL, HalfBits.FP16_SHIFT).or(HalfBits.INFINITY), gradMagnitude.compare(VectorOperators.GE, HalfBits.FP16_INFINITY))
          .or(gradHalf.and(HalfBits.FP16_SIGN).lanewise(VectorOperators.LSHL, HalfBits.FP16_SIGN_SHIFT)).reinterpretAsFloats();
      IntVector expAvgSqHalf = (IntVector) ShortVector.fromArray(S, expAvgSqStored, i).convertShape(VectorOperators.S2I, I, 0);
      IntVector expAvgSqMagnitude = expAvgSqHalf.and(HalfBits.FP16_MAGNITUDE);
      FloatVector expAvgSq = expAvgSqMagnitude.lanewise(VectorOperators.LSHL, HalfBits.FP16_SHIFT).add(HalfBits.FP16_REBIAS)
          .blend(((FloatVector) expAvgSqMagnitude.convert(VectorOperators.I2F, 0)).mul(HalfBits.FP16_SUBNORMAL_UNIT).reinterpretAsInts(), expAvgSqMagnitude.compare(VectorOperators.LT, HalfBits.FP16_MIN_NORMAL))
          .blend(expAvgSqMagnitude.and(HalfBits.FP16_MANTISSA).lanewise(VectorOperators.LSHL, HalfBits.FP16_SHIFT).or(HalfBits.INFINITY), expAvgSqMagnitude.compare(VectorOperators.GE, HalfBits.FP16_INFINITY))
          .or(expAvgSqHalf.and(HalfBits.FP16_SIGN).lanewise(VectorOperators.LSHL, HalfBits.FP16_SIGN_SHIFT)).reinterpretAsFloats();
      FloatVector g = grad;
      FloatVector p = param;
      FloatVector gDecayed = g.add(p.mul(l2));
      FloatVector v = expAvgSq.mul(beta2).add(gDecayed.mul(oneMinusBeta2).mul(gDecayed));
      IntVector vBits = v.reinterpretAsInts();
      IntVector vMagnitude = vBits.and(HalfBits.MAGNITUDE);
      VectorMask<Integer> vUnusual = vMagnitude.compare(VectorOperators.GE, HalfBits.FP16_OVERFLOW);
      // a lane the vector code does not round as the block loop does: nothing of this vector
      // is stored, the kernel's block loop does it
      if (vUnusual.anyTrue()) {
        return i;
      }
      IntVector vHalf = vMagnitude.sub(HalfBits.FP16_REBIAS).add(HalfBits.FP16_ROUND).add(vMagnitude.lanewise(VectorOperators.LSHR, HalfBits.FP16_SHIFT).and(1)).lanewise(VectorOperators.LSHR, HalfBits.FP16_SHIFT)
          .blend(vMagnitude.reinterpretAsFloats().add(HalfBits.FP16_SUBNORMAL_BASE).reinterpretAsInts().sub(HalfBits.FP16_SUBNORMAL_GRID), vMagnitude.compare(VectorOperators.LT, HalfBits.FP16_NORMAL))
          .or(vBits.lanewise(VectorOperators.LSHR, HalfBits.FP16_SIGN_SHIFT).and(HalfBits.FP16_SIGN));
      ((ShortVector) vHalf.convertShape(VectorOperators.I2S, S, 0)).intoArray(expAvgSqStored, i);
    }
    return i;
  }

  /**
   * The ADAPTIVE loop over whole vectors of {@code [from, to)}; returns where it stopped:
   * at the tail, or at a vector with a lane only the block loop rounds right.
   */
  @Override
  public int adaptive(FusedPureAdamFp16Kernel kernel, short[] paramStored, short[] gradStored,
      short[] expAvgStored, short[] expAvgSqStored, int from, int to) {
    float l2 = kernel.l2;
    float beta1 = kernel.beta1;
    float oneMinusBeta1 = kernel.oneMinusBeta1;
    float beta2 = kernel.beta2;
    float oneMinusBeta2 = kernel.oneMinusBeta2;
    float epsTerm = kernel.epsTerm;
    float stepSize = kernel.stepSize;
    int noiseKey = kernel.noiseKey;
    // Inside the loop, param, grad and the state names are the float32 lanes of [i, i + F.length()).
    int i = from;
    for (int upper = from + F.loopBound(to - from); i < upper; i += F.length()) {
      IntVector paramHalf = (IntVector) ShortVector.fromArray(S, paramStored, i).convertShape(VectorOperators.S2I, I, 0);
      IntVector paramMagnitude = paramHalf.and(HalfBits.FP16_MAGNITUDE);
      FloatVector param = paramMagnitude.lanewise(VectorOperators.LSHL, HalfBits.FP16_SHIFT).add(HalfBits.FP16_REBIAS)
          .blend(((FloatVector) paramMagnitude.convert(VectorOperators.I2F, 0)).mul(HalfBits.FP16_SUBNORMAL_UNIT).reinterpretAsInts(), paramMagnitude.compare(VectorOperators.LT, HalfBits.FP16_MIN_NORMAL))
          .blend(paramMagnitude.and(HalfBits.FP16_MANTISSA).lanewise(VectorOperators.LSHL, HalfBits.FP16_SHIFT).or(HalfBits.INFINITY), paramMagnitude.compare(VectorOperators.GE, HalfBits.FP16_INFINITY))
          .or(paramHalf.and(HalfBits.FP16_SIGN).lanewise(VectorOperators.LSHL, HalfBits.FP16_SIGN_SHIFT)).reinterpretAsFloats();
      IntVector gradHalf = (IntVector) ShortVector.fromArray(S, gradStored, i).convertShape(VectorOperators.S2I, I, 0);
      IntVector gradMagnitude = gradHalf.and(HalfBits.FP16_MAGNITUDE);
      FloatVector grad = gradMagnitude.lanewise(VectorOperators.LSHL, HalfBits.FP16_SHIFT).add(HalfBits.FP16_REBIAS)
          .blend(((FloatVector) gradMagnitude.convert(VectorOperators.I2F, 0)).mul(HalfBits.FP16_SUBNORMAL_UNIT).reinterpretAsInts(), gradMagnitude.compare(VectorOperators.LT, HalfBits.FP16_MIN_NORMAL))
          .blend(gradMagnitude.and(HalfBits.FP16_MANTISSA).lanewise(VectorOperators.LSHL, HalfBits.FP16_SHIFT).or(HalfBits.INFINITY), gradMagnitude.compare(VectorOperators.GE, HalfBits.FP16_INFINITY))
          .or(gradHalf.and(HalfBits.FP16_SIGN).lanewise(VectorOperators.LSHL, HalfBits.FP16_SIGN_SHIFT)).reinterpretAsFloats();
      IntVector expAvgHalf = (IntVector) ShortVector.fromArray(S, expAvgStored, i).convertShape(VectorOperators.S2I, I, 0);
      IntVector expAvgMagnitude = expAvgHalf.and(HalfBits.FP16_MAGNITUDE);
      FloatVector expAvg = expAvgMagnitude.lanewise(VectorOperators.LSHL, HalfBits.FP16_SHIFT).add(HalfBits.FP16_REBIAS)
          .blend(((FloatVector) expAvgMagnitude.convert(VectorOperators.I2F, 0)).mul(HalfBits.FP16_SUBNORMAL_UNIT).reinterpretAsInts(), expAvgMagnitude.compare(VectorOperators.LT, HalfBits.FP16_MIN_NORMAL))
          .blend(expAvgMagnitude.and(HalfBits.FP16_MANTISSA).lanewise(VectorOperators.LSHL, HalfBits.FP16_SHIFT).or(HalfBits.INFINITY), expAvgMagnitude.compare(VectorOperators.GE, HalfBits.FP16_INFINITY))
          .or(expAvgHalf.and(HalfBits.FP16_SIGN).lanewise(VectorOperators.LSHL, HalfBits.FP16_SIGN_SHIFT)).reinterpretAsFloats();
      IntVector expAvgSqHalf = (IntVector) ShortVector.fromArray(S, expAvgSqStored, i).convertShape(VectorOperators.S2I, I, 0);
      IntVector expAvgSqMagnitude = expAvgSqHalf.and(HalfBits.FP16_MAGNITUDE);
      FloatVector expAvgSq = expAvgSqMagnitude.lanewise(VectorOperators.LSHL, HalfBits.FP16_SHIFT).add(HalfBits.FP16_REBIAS)
          .blend(((FloatVector) expAvgSqMagnitude.convert(VectorOperators.I2F, 0)).mul(HalfBits.FP16_SUBNORMAL_UNIT).reinterpretAsInts(), expAvgSqMagnitude.compare(VectorOperators.LT, HalfBits.FP16_MIN_NORMAL))
          .blend(expAvgSqMagnitude.and(HalfBits.FP16_MANTISSA).lanewise(VectorOperators.LSHL, HalfBits.FP16_SHIFT).or(HalfBits.INFINITY), expAvgSqMagnitude.compare(VectorOperators.GE, HalfBits.FP16_INFINITY))
          .or(expAvgSqHalf.and(HalfBits.FP16_SIGN).lanewise(VectorOperators.LSHL, HalfBits.FP16_SIGN_SHIFT)).reinterpretAsFloats();
      FloatVector g = grad;
      FloatVector p = param;
      FloatVector gDecayed = g.add(p.mul(l2));
      FloatVector m = expAvg.mul(beta1).add(gDecayed.mul(oneMinusBeta1));
      FloatVector v = expAvgSq.mul(beta2).add(gDecayed.mul(oneMinusBeta2).mul(gDecayed));
      FloatVector d = v.sqrt().add(epsTerm);
      FloatVector u = m.mul(-stepSize).div(d);
      FloatVector newParam = p.add(u);
      IntVector mBits = m.reinterpretAsInts();
      IntVector mMagnitude = mBits.and(HalfBits.MAGNITUDE);
      VectorMask<Integer> mUnusual = mMagnitude.compare(VectorOperators.GE, HalfBits.FP16_OVERFLOW);
      IntVector vBits = v.reinterpretAsInts();
      IntVector vMagnitude = vBits.and(HalfBits.MAGNITUDE);
      VectorMask<Integer> vUnusual = vMagnitude.compare(VectorOperators.GE, HalfBits.FP16_OVERFLOW);
      IntVector newParamBits = newParam.reinterpretAsInts();
      IntVector newParamMagnitude = newParamBits.and(HalfBits.MAGNITUDE);
      VectorMask<Integer> newParamUnusual = newParamMagnitude.compare(VectorOperators.LT, HalfBits.FP16_NORMAL).or(newParamMagnitude.compare(VectorOperators.GE, HalfBits.FP16_OVERFLOW));
      // a lane the vector code does not round as the block loop does: nothing of this vector
      // is stored, the kernel's block loop does it
      if (mUnusual.or(vUnusual).or(newParamUnusual).anyTrue()) {
        return i;
      }
      IntVector mHalf = mMagnitude.sub(HalfBits.FP16_REBIAS).add(HalfBits.FP16_ROUND).add(mMagnitude.lanewise(VectorOperators.LSHR, HalfBits.FP16_SHIFT).and(1)).lanewise(VectorOperators.LSHR, HalfBits.FP16_SHIFT)
          .blend(mMagnitude.reinterpretAsFloats().add(HalfBits.FP16_SUBNORMAL_BASE).reinterpretAsInts().sub(HalfBits.FP16_SUBNORMAL_GRID), mMagnitude.compare(VectorOperators.LT, HalfBits.FP16_NORMAL))
          .or(mBits.lanewise(VectorOperators.LSHR, HalfBits.FP16_SIGN_SHIFT).and(HalfBits.FP16_SIGN));
      ((ShortVector) mHalf.convertShape(VectorOperators.I2S, S, 0)).intoArray(expAvgStored, i);
      IntVector vHalf = vMagnitude.sub(HalfBits.FP16_REBIAS).add(HalfBits.FP16_ROUND).add(vMagnitude.lanewise(VectorOperators.LSHR, HalfBits.FP16_SHIFT).and(1)).lanewise(VectorOperators.LSHR, HalfBits.FP16_SHIFT)
          .blend(vMagnitude.reinterpretAsFloats().add(HalfBits.FP16_SUBNORMAL_BASE).reinterpretAsInts().sub(HalfBits.FP16_SUBNORMAL_GRID), vMagnitude.compare(VectorOperators.LT, HalfBits.FP16_NORMAL))
          .or(vBits.lanewise(VectorOperators.LSHR, HalfBits.FP16_SIGN_SHIFT).and(HalfBits.FP16_SIGN));
      ((ShortVector) vHalf.convertShape(VectorOperators.I2S, S, 0)).intoArray(expAvgSqStored, i);
      // RoundingNoise.bits(noiseKey, index) on int lanes
      IntVector newParamNoise = LANES.add(i).mul(HalfBits.NOISE_GOLDEN_32).add(noiseKey);
      newParamNoise = newParamNoise.lanewise(VectorOperators.XOR, newParamNoise.lanewise(VectorOperators.LSHR, HalfBits.NOISE_SHIFT_1)).mul(HalfBits.NOISE_MULTIPLIER_1);
      newParamNoise = newParamNoise.lanewise(VectorOperators.XOR, newParamNoise.lanewise(VectorOperators.LSHR, HalfBits.NOISE_SHIFT_2)).mul(HalfBits.NOISE_MULTIPLIER_2);
      newParamNoise = newParamNoise.lanewise(VectorOperators.XOR, newParamNoise.lanewise(VectorOperators.LSHR, HalfBits.NOISE_SHIFT_3));
      IntVector newParamHalf = newParamMagnitude.sub(HalfBits.FP16_REBIAS).add(newParamNoise.and(HalfBits.FP16_NOISE)).lanewise(VectorOperators.LSHR, HalfBits.FP16_SHIFT)
          .or(newParamBits.lanewise(VectorOperators.LSHR, HalfBits.FP16_SIGN_SHIFT).and(HalfBits.FP16_SIGN));
      ((ShortVector) newParamHalf.convertShape(VectorOperators.I2S, S, 0)).intoArray(paramStored, i);
    }
    return i;
  }
}
