package io.github.optkernels.processor;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;

/** The text of what a compilation generated, for the tests that look into it. */
final class GeneratedSources {
  private GeneratedSources() {}

  /** The source of generated type {@code type} (qualified name); fails if it was not generated. */
  static String contents(Compilation compilation, String type) {
    try {
      return compilation.generatedSourceFile(type).orElseThrow().getCharContent(false).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The compilation's warnings other than javac's own "using incubating module(s)". */
  static List<String> warningsBesidesIncubating(Compilation compilation) {
    return compilation.diagnostics().stream()
        .filter(d -> d.getKind() == Diagnostic.Kind.WARNING || d.getKind() == Diagnostic.Kind.MANDATORY_WARNING)
        .map(d -> d.getMessage(Locale.ROOT))
        .filter(m -> !m.contains("incubating"))
        .collect(Collectors.toList());
  }
}
