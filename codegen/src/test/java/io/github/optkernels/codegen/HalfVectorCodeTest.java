package io.github.optkernels.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.palantir.javapoet.CodeBlock;
import org.junit.jupiter.api.Test;

/**
 * The templates write over the names and index they are given, and declare what they say they
 * declare: the fused loops (index {@code i}) and the runtime's block conversions (index
 * {@code from + j}) print the same sequence with different names.
 */
class HalfVectorCodeTest {
  private static final CodeBlock BLOCK_INDEX = CodeBlock.of("from + j");

  @Test
  void aStoreIsAtItsIndexAndTheNoiseHashesThatIndex() {
    VectorStore store = HalfVectorCode.narrow(HalfEncoding.BF16, "v", "out", BLOCK_INDEX, "key");
    assertEquals("vUnusual", store.unusual());
    assertTrue(store.check().toString().contains("VectorMask<Integer> vUnusual = "), store.check().toString());
    String write = store.write().toString();
    assertTrue(write.contains("LANES.add(from + j).mul(io.github.optkernels.runtime.HalfBits.NOISE_GOLDEN_32).add(key)"),
        write);
    assertTrue(write.endsWith(".intoArray(out, from + j);\n"), write);
  }

  @Test
  void nearestEvenNeedsNoNoise() {
    VectorStore store = HalfVectorCode.narrow(HalfEncoding.FP16, "v", "out", CodeBlock.of("i"), null);
    assertFalse(store.write().toString().contains("LANES"), store.write().toString());
    assertTrue(store.check().toString().contains("FP16_OVERFLOW"), store.check().toString());
  }

  @Test
  void aWideningDeclaresItsTarget() {
    for (HalfEncoding encoding : HalfEncoding.values()) {
      String code = HalfVectorCode.widen(encoding, "stored", CodeBlock.of("i"), "x").toString();
      assertTrue(code.contains("jdk.incubator.vector.FloatVector x = "), code);
      assertTrue(code.contains(".fromArray(S, stored, i)"), code);
    }
  }

  @Test
  void roundingNamesTheLanesItCannotRound() {
    RoundedVector bf16 = HalfVectorCode.round(HalfEncoding.BF16, "x", "r");
    // a NaN: a magnitude above infinity's
    assertTrue(bf16.unusual().toString().startsWith("xBits.and("), bf16.unusual().toString());
    RoundedVector fp16 = HalfVectorCode.round(HalfEncoding.FP16, "x", "r");
    assertEquals("xUnusual", fp16.unusual().toString());
    assertTrue(fp16.code().toString().contains("xUnusual = xMagnitude.compare("), fp16.code().toString());
  }

  @Test
  void theRuntimeSourceIsOneClassOfEveryConversion() {
    String source = BlockConversionsSource.file().toString();
    for (String method : new String[] {"bf16ToFloat", "fp16ToFloat", "floatToBf16(", "floatToFp16(",
        "floatToBf16Stochastic", "floatToFp16Stochastic", "roundBf16", "roundFp16"}) {
      assertTrue(source.contains("static void " + method), method);
    }
    assertTrue(source.startsWith("package io.github.optkernels.runtime;\n"), source);
  }
}
