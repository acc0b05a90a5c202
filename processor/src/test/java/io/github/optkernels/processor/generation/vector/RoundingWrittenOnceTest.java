package io.github.optkernels.processor.generation.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.optkernels.runtime.HalfBits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The processor prints 16-bit conversion and rounding only through optkernels-codegen's templates,
 * from which the runtime's Vector API block conversions are generated too: no source of the
 * processor names one of the runtime's rounding constants (only {@code HalfBits.REVISION}, which
 * each fused loop reports), so it cannot hold a second copy of a sequence that uses them.
 */
class RoundingWrittenOnceTest {
  private static final Path SOURCES = Path.of("src", "main", "java");

  @Test
  void noProcessorSourceNamesARoundingConstant() throws IOException {
    List<String> constants = new ArrayList<>();
    for (Field field : HalfBits.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && !field.getName().equals("REVISION")) {
        constants.add(field.getName());
      }
    }
    assertTrue(constants.size() > 30, "HalfBits' constants: " + constants);
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      files.filter(file -> file.toString().endsWith(".java")).forEach(file -> {
        String source = read(file);
        for (String constant : constants) {
          // named through the class (or a static import of it), or spelled in a string for a
          // template; an unrelated enum constant of the same name (Expr.Unary.Op.SIGN) is not it
          if (source.matches("(?s).*(HalfBits\\.|\")" + constant + "\\b.*")) {
            found.add(file.getFileName() + ": " + constant);
          }
        }
      });
    }
    assertEquals(List.of(), found, "rounding constants named outside optkernels-codegen's templates");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
