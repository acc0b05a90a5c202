package golden;

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
      IntVector paramMagnitude = paramHalf.and(0x7FFF);
      FloatVector param = paramMagnitude.lanewise(VectorOperators.LSHL, 13).add(0x38000000)
          .blend(((FloatVector) paramMagnitude.convert(VectorOperators.I2F, 0)).mul(0x1p-24f).reinterpretAsInts(), paramMagnitude.compare(VectorOperators.LT, 0x400))
          .blend(paramMagnitude.and(0x3FF).lanewise(VectorOperators.LSHL, 13).or(0x7F800000), paramMagnitude.compare(VectorOperators.GE, 0x7C00))
          .or(paramHalf.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
      IntVector gradHalf = (IntVector) ShortVector.fromArray(S, gradStored, i).convertShape(VectorOperators.S2I, I, 0);
      IntVector gradMagnitude = gradHalf.and(0x7FFF);
      FloatVector grad = gradMagnitude.lanewise(VectorOperators.LSHL, 13).add(0x38000000)
          .blend(((FloatVector) gradMagnitude.convert(VectorOperators.I2F, 0)).mul(0x1p-24f).reinterpretAsInts(), gradMagnitude.compare(VectorOperators.LT, 0x400))
          .blend(gradMagnitude.and(0x3FF).lanewise(VectorOperators.LSHL, 13).or(0x7F800000), gradMagnitude.compare(VectorOperators.GE, 0x7C00))
          .or(gradHalf.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
      IntVector expAvgSqHalf = (IntVector) ShortVector.fromArray(S, expAvgSqStored, i).convertShape(VectorOperators.S2I, I, 0);
      IntVector expAvgSqMagnitude = expAvgSqHalf.and(0x7FFF);
      FloatVector expAvgSq = expAvgSqMagnitude.lanewise(VectorOperators.LSHL, 13).add(0x38000000)
          .blend(((FloatVector) expAvgSqMagnitude.convert(VectorOperators.I2F, 0)).mul(0x1p-24f).reinterpretAsInts(), expAvgSqMagnitude.compare(VectorOperators.LT, 0x400))
          .blend(expAvgSqMagnitude.and(0x3FF).lanewise(VectorOperators.LSHL, 13).or(0x7F800000), expAvgSqMagnitude.compare(VectorOperators.GE, 0x7C00))
          .or(expAvgSqHalf.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
      FloatVector g = grad;
      FloatVector p = param;
      FloatVector gDecayed = g.add(p.mul(l2));
      FloatVector v = expAvgSq.mul(beta2).add(gDecayed.mul(oneMinusBeta2).mul(gDecayed));
      IntVector vBits = v.reinterpretAsInts();
      IntVector vMagnitude = vBits.and(0x7FFFFFFF);
      VectorMask<Integer> vUnusual = vMagnitude.compare(VectorOperators.GE, 0x47800000);
      // a lane the vector code does not round as the block loop does: nothing of this vector
      // is stored, the kernel's block loop does it
      if (vUnusual.anyTrue()) {
        return i;
      }
      IntVector vHalf = vMagnitude.sub(0x38000000).add(0xFFF).add(vMagnitude.lanewise(VectorOperators.LSHR, 13).and(1)).lanewise(VectorOperators.LSHR, 13)
          .blend(vMagnitude.reinterpretAsFloats().add(0.5f).reinterpretAsInts().sub(0x3F000000), vMagnitude.compare(VectorOperators.LT, 0x38800000))
          .or(vBits.lanewise(VectorOperators.LSHR, 16).and(0x8000));
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
      IntVector paramMagnitude = paramHalf.and(0x7FFF);
      FloatVector param = paramMagnitude.lanewise(VectorOperators.LSHL, 13).add(0x38000000)
          .blend(((FloatVector) paramMagnitude.convert(VectorOperators.I2F, 0)).mul(0x1p-24f).reinterpretAsInts(), paramMagnitude.compare(VectorOperators.LT, 0x400))
          .blend(paramMagnitude.and(0x3FF).lanewise(VectorOperators.LSHL, 13).or(0x7F800000), paramMagnitude.compare(VectorOperators.GE, 0x7C00))
          .or(paramHalf.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
      IntVector gradHalf = (IntVector) ShortVector.fromArray(S, gradStored, i).convertShape(VectorOperators.S2I, I, 0);
      IntVector gradMagnitude = gradHalf.and(0x7FFF);
      FloatVector grad = gradMagnitude.lanewise(VectorOperators.LSHL, 13).add(0x38000000)
          .blend(((FloatVector) gradMagnitude.convert(VectorOperators.I2F, 0)).mul(0x1p-24f).reinterpretAsInts(), gradMagnitude.compare(VectorOperators.LT, 0x400))
          .blend(gradMagnitude.and(0x3FF).lanewise(VectorOperators.LSHL, 13).or(0x7F800000), gradMagnitude.compare(VectorOperators.GE, 0x7C00))
          .or(gradHalf.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
      IntVector expAvgHalf = (IntVector) ShortVector.fromArray(S, expAvgStored, i).convertShape(VectorOperators.S2I, I, 0);
      IntVector expAvgMagnitude = expAvgHalf.and(0x7FFF);
      FloatVector expAvg = expAvgMagnitude.lanewise(VectorOperators.LSHL, 13).add(0x38000000)
          .blend(((FloatVector) expAvgMagnitude.convert(VectorOperators.I2F, 0)).mul(0x1p-24f).reinterpretAsInts(), expAvgMagnitude.compare(VectorOperators.LT, 0x400))
          .blend(expAvgMagnitude.and(0x3FF).lanewise(VectorOperators.LSHL, 13).or(0x7F800000), expAvgMagnitude.compare(VectorOperators.GE, 0x7C00))
          .or(expAvgHalf.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
      IntVector expAvgSqHalf = (IntVector) ShortVector.fromArray(S, expAvgSqStored, i).convertShape(VectorOperators.S2I, I, 0);
      IntVector expAvgSqMagnitude = expAvgSqHalf.and(0x7FFF);
      FloatVector expAvgSq = expAvgSqMagnitude.lanewise(VectorOperators.LSHL, 13).add(0x38000000)
          .blend(((FloatVector) expAvgSqMagnitude.convert(VectorOperators.I2F, 0)).mul(0x1p-24f).reinterpretAsInts(), expAvgSqMagnitude.compare(VectorOperators.LT, 0x400))
          .blend(expAvgSqMagnitude.and(0x3FF).lanewise(VectorOperators.LSHL, 13).or(0x7F800000), expAvgSqMagnitude.compare(VectorOperators.GE, 0x7C00))
          .or(expAvgSqHalf.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
      FloatVector g = grad;
      FloatVector p = param;
      FloatVector gDecayed = g.add(p.mul(l2));
      FloatVector m = expAvg.mul(beta1).add(gDecayed.mul(oneMinusBeta1));
      FloatVector v = expAvgSq.mul(beta2).add(gDecayed.mul(oneMinusBeta2).mul(gDecayed));
      FloatVector d = v.sqrt().add(epsTerm);
      FloatVector u = m.mul(-stepSize).div(d);
      FloatVector newParam = p.add(u);
      IntVector mBits = m.reinterpretAsInts();
      IntVector mMagnitude = mBits.and(0x7FFFFFFF);
      VectorMask<Integer> mUnusual = mMagnitude.compare(VectorOperators.GE, 0x47800000);
      IntVector vBits = v.reinterpretAsInts();
      IntVector vMagnitude = vBits.and(0x7FFFFFFF);
      VectorMask<Integer> vUnusual = vMagnitude.compare(VectorOperators.GE, 0x47800000);
      IntVector newParamBits = newParam.reinterpretAsInts();
      IntVector newParamMagnitude = newParamBits.and(0x7FFFFFFF);
      VectorMask<Integer> newParamUnusual = newParamMagnitude.compare(VectorOperators.LT, 0x38800000).or(newParamMagnitude.compare(VectorOperators.GE, 0x47800000));
      // a lane the vector code does not round as the block loop does: nothing of this vector
      // is stored, the kernel's block loop does it
      if (mUnusual.or(vUnusual).or(newParamUnusual).anyTrue()) {
        return i;
      }
      IntVector mHalf = mMagnitude.sub(0x38000000).add(0xFFF).add(mMagnitude.lanewise(VectorOperators.LSHR, 13).and(1)).lanewise(VectorOperators.LSHR, 13)
          .blend(mMagnitude.reinterpretAsFloats().add(0.5f).reinterpretAsInts().sub(0x3F000000), mMagnitude.compare(VectorOperators.LT, 0x38800000))
          .or(mBits.lanewise(VectorOperators.LSHR, 16).and(0x8000));
      ((ShortVector) mHalf.convertShape(VectorOperators.I2S, S, 0)).intoArray(expAvgStored, i);
      IntVector vHalf = vMagnitude.sub(0x38000000).add(0xFFF).add(vMagnitude.lanewise(VectorOperators.LSHR, 13).and(1)).lanewise(VectorOperators.LSHR, 13)
          .blend(vMagnitude.reinterpretAsFloats().add(0.5f).reinterpretAsInts().sub(0x3F000000), vMagnitude.compare(VectorOperators.LT, 0x38800000))
          .or(vBits.lanewise(VectorOperators.LSHR, 16).and(0x8000));
      ((ShortVector) vHalf.convertShape(VectorOperators.I2S, S, 0)).intoArray(expAvgSqStored, i);
      // RoundingNoise.bits(noiseKey, index) on int lanes
      IntVector newParamNoise = LANES.add(i).mul(0x9E3779B9).add(noiseKey);
      newParamNoise = newParamNoise.lanewise(VectorOperators.XOR, newParamNoise.lanewise(VectorOperators.LSHR, 16)).mul(0x7FEB352D);
      newParamNoise = newParamNoise.lanewise(VectorOperators.XOR, newParamNoise.lanewise(VectorOperators.LSHR, 15)).mul(0x846CA68B);
      newParamNoise = newParamNoise.lanewise(VectorOperators.XOR, newParamNoise.lanewise(VectorOperators.LSHR, 16));
      IntVector newParamHalf = newParamMagnitude.sub(0x38000000).add(newParamNoise.and(0x1FFF)).lanewise(VectorOperators.LSHR, 13)
          .or(newParamBits.lanewise(VectorOperators.LSHR, 16).and(0x8000));
      ((ShortVector) newParamHalf.convertShape(VectorOperators.I2S, S, 0)).intoArray(paramStored, i);
    }
    return i;
  }
}
