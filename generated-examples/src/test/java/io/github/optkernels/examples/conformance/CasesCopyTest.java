package io.github.optkernels.examples.conformance;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The project carries a copy of the shared conformance set (a user's clone has no ../shared).
 * Where the shared set is present — in the development workspace — the copy must be identical,
 * file for file and byte for byte. Elsewhere there is nothing to compare with.
 */
class CasesCopyTest {
  /** ../shared seen from this module, or where -Doptkernels.shared points. */
  private static final Path SHARED = Path.of(System.getProperty("optkernels.shared", "../../shared"))
      .resolve("conformance");
  private static final Path COPY = Path.of("src/test/resources/conformance");

  @Test
  void theCopyOfTheConformanceSetIsIdenticalToTheSharedOne() throws IOException {
    Assumptions.assumeTrue(Files.isDirectory(SHARED.resolve("cases")),
        "no shared conformance set at " + SHARED.toAbsolutePath() + " to compare with");
    List<String> shared = names(SHARED.resolve("cases"));
    assertThat(names(COPY.resolve("cases"))).containsExactlyElementsIn(shared).inOrder();
    assertThat(shared).hasSize(248);
    for (String name : shared) {
      assertWithMessage(name).that(Files.mismatch(SHARED.resolve("cases").resolve(name),
          COPY.resolve("cases").resolve(name))).isEqualTo(-1L);
    }
    for (String doc : List.of("README.md", "check.py")) {
      assertWithMessage(doc).that(Files.mismatch(SHARED.resolve(doc), COPY.resolve(doc))).isEqualTo(-1L);
    }
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }
}
