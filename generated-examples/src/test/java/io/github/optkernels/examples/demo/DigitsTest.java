package io.github.optkernels.examples.demo;

import static com.google.common.truth.Truth.assertThat;

import com.google.common.collect.Range;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DigitsTest {

  @Test
  void theShippedDataHasEveryRowAndClass() {
    Digits digits = Digits.load();
    assertThat(digits.size()).isEqualTo(1797);
    assertThat(digits.x()).hasLength(1797 * 64);
    int[] perClass = new int[10];
    for (int y : digits.y()) {
      perClass[y]++;
    }
    for (int count : perClass) {
      assertThat(count).isAtLeast(174);
    }
    for (float pixel : digits.x()) {
      assertThat(pixel).isAtLeast(0f);
      assertThat(pixel).isAtMost(1f);
    }
  }

  @Test
  void theSplitIsStratifiedDisjointAndTheSameEveryTime() {
    Digits digits = Digits.load();
    Digits.Split split = digits.split(0.25, 5);
    assertThat(split.train().size() + split.heldOut().size()).isEqualTo(digits.size());
    int[] heldOutPerClass = new int[10];
    for (int y : split.heldOut().y()) {
      heldOutPerClass[y]++;
    }
    for (int count : heldOutPerClass) {
      assertThat(count).isIn(Range.closed(43, 46)); // 25% of 174..183
    }
    Set<String> train = rows(split.train());
    for (String row : rows(split.heldOut())) {
      assertThat(train).doesNotContain(row); // the data has no duplicate images
    }
    Digits.Split again = digits.split(0.25, 5);
    assertThat(again.heldOut().x()).isEqualTo(split.heldOut().x());
    assertThat(again.heldOut().y()).isEqualTo(split.heldOut().y());
    assertThat(digits.split(0.25, 6).heldOut().x()).isNotEqualTo(split.heldOut().x());
  }

  private static Set<String> rows(Digits d) {
    Set<String> rows = new HashSet<>();
    for (int r = 0; r < d.size(); r++) {
      StringBuilder row = new StringBuilder();
      for (int i = 0; i < 64; i++) {
        row.append(d.x()[r * 64 + i]).append(',');
      }
      rows.add(row.append(d.y()[r]).toString());
    }
    return rows;
  }
}
