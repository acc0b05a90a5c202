package io.github.optkernels.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When 16-bit kernels run their fused Vector API loops ({@link FusedVectorLoops#whyNot}). */
class FusedVectorLoopsRuleTest {

  @Test
  void withTheVectorApiTheyRunExceptOnJdk17To20WithVectorsWiderThan256Bits() {
    assertNull(FusedVectorLoops.whyNot(true, 17, 256, null));
    assertNull(FusedVectorLoops.whyNot(true, 21, 512, null));
    assertNull(FusedVectorLoops.whyNot(true, 25, 512, null));
    assertTrue(FusedVectorLoops.whyNot(true, 17, 512, null).contains("JDK 17 with 512-bit vectors"));
    assertTrue(FusedVectorLoops.whyNot(true, 20, 512, null).contains("-Doptkernels.fusedLoops=true"));
  }

  @Test
  void thePropertyTurnsThemOffAnywhereAndOnWhereTheDefaultIsOff() {
    assertEquals("-Doptkernels.fusedLoops=false", FusedVectorLoops.whyNot(true, 25, 512, "false"));
    assertNull(FusedVectorLoops.whyNot(true, 17, 512, "true"));
    assertEquals("-Doptkernels.fusedLoops=false", FusedVectorLoops.whyNot(true, 17, 256, "false"));
  }

  @Test
  void withoutTheVectorApiNeverEvenWhenAskedFor() {
    assertTrue(FusedVectorLoops.whyNot(false, 25, 0, "true").startsWith("the Vector API is not used: "));
  }

  @Test
  void thisJvmsStatusSaysWhichLoopsAndWhy() {
    // the runtime's unit tests run without the module: block loops, because of plain Java
    String status = FusedVectorLoops.status();
    assertTrue(HalfArrays.usesVectorApi()
        || status.startsWith("block loops (the Vector API is not used: plain Java ("), status);
    assertEquals(status.equals("fused Vector API loops"), FusedVectorLoops.enabled());
  }
}
