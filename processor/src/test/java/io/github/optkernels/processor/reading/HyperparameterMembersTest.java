package io.github.optkernels.processor.reading;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import io.github.optkernels.annotations.Optimizer;
import io.github.optkernels.runtime.Hyperparameter;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The annotation's numeric members and the runtime's built-in hyperparameters are one list: each
 * numeric {@code @Optimizer} member is the default of the hyperparameter of the same name, of the
 * same kind ({@code int} for a count), and its own default lies in that hyperparameter's domain.
 */
class HyperparameterMembersTest {

  @Test
  void everyNumericMemberIsABuiltInHyperparameterAndBack() throws Exception {
    List<String> numericMembers = new ArrayList<>();
    for (Method method : Optimizer.class.getDeclaredMethods()) {
      if (method.getReturnType() == double.class || method.getReturnType() == int.class) {
        numericMembers.add(method.getName());
      }
    }
    List<String> builtIn = new ArrayList<>();
    for (Hyperparameter h : Hyperparameter.BUILT_IN) {
      builtIn.add(h.name());
    }
    assertThat(numericMembers).containsExactlyElementsIn(builtIn);

    for (Hyperparameter h : Hyperparameter.BUILT_IN) {
      Member member = Member.of(h);
      assertThat(member.javaName()).isEqualTo(h.name());
      assertThat(Member.named(h.name())).isSameInstanceAs(member);
      Method method = Optimizer.class.getDeclaredMethod(h.name());
      assertWithMessage(h.name()).that(method.getReturnType()).isEqualTo(h.isInteger() ? int.class : double.class);
      double annotationDefault = ((Number) method.getDefaultValue()).doubleValue();
      assertWithMessage(h.name() + " = " + annotationDefault)
          .that(h.domain().contains(annotationDefault)).isTrue();
    }
    assertThat(Member.hyperparameterDefaults()).hasSize(Hyperparameter.BUILT_IN.size());
  }

  @Test
  void structuralMembersAreNoHyperparameters() {
    for (Member member : Member.values()) {
      if (member.hyperparameter() == null) {
        for (Hyperparameter h : Hyperparameter.BUILT_IN) {
          assertThat(member.javaName()).isNotEqualTo(h.name());
        }
      }
    }
  }
}
