package io.github.optkernels.processor;

import com.google.testing.compile.JavaFileObjects;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;

/**
 * Small inline sources for compile-testing. Every {@code @Optimizer} member goes on its own line:
 * a diagnostic's line is then enough to tell which member it underlines, so a message that drifts
 * to the annotation or the class fails the test instead of passing unnoticed.
 */
final class SpecSources {
  /** The package of every spec unless a test needs another. */
  static final String PACKAGE = "test";

  private SpecSources() {}

  /** {@code @Optimizer(members...) interface simpleName {}} in {@link #PACKAGE}. */
  static JavaFileObject specInterface(String simpleName, String... members) {
    return annotated(PACKAGE, simpleName, "interface " + simpleName + " {}", members);
  }

  /**
   * {@code @Optimizer(members...)} on an arbitrary declaration of {@code simpleName} (a class, an
   * enum, a generic interface...). With no members the annotation is a bare {@code @Optimizer}.
   */
  static JavaFileObject annotated(String packageName, String simpleName, String declaration,
      String... members) {
    List<String> lines = new ArrayList<>();
    if (!packageName.isEmpty()) {
      lines.add("package " + packageName + ";");
      lines.add("");
    }
    lines.add("import io.github.optkernels.annotations.*;");
    lines.add("");
    if (members.length == 0) {
      lines.add("@Optimizer");
    } else {
      lines.add("@Optimizer(");
      for (int i = 0; i < members.length; i++) {
        lines.add("    " + members[i] + (i < members.length - 1 ? "," : ""));
      }
      lines.add(")");
    }
    lines.add(declaration);
    return JavaFileObjects.forSourceLines(qualified(packageName, simpleName), lines);
  }

  /** A plain user-written type, e.g. one whose name a spec must not take. */
  static JavaFileObject userType(String simpleName, String declaration) {
    return JavaFileObjects.forSourceLines(qualified(PACKAGE, simpleName),
        "package " + PACKAGE + ";",
        "",
        declaration);
  }

  private static String qualified(String packageName, String simpleName) {
    return packageName.isEmpty() ? simpleName : packageName + "." + simpleName;
  }
}
