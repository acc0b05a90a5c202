package io.github.optkernels.runtime;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.ObjectName;

/**
 * Asks HotSpot's JIT, once, never to inline one class's methods into their callers, through its
 * DiagnosticCommand MBean ({@code jcmd Compiler.directives_add}, without a command-line flag).
 *
 * <p>Why the Vector API path needs it: its intrinsics only work where C2 inlines every one of the
 * API's force-inlined methods. A conversion method inlined into a deep caller (the runtime's step
 * engine, a kernel, its block loop) runs out of C2's inlining budget (depth, node count) partway
 * through the API's internals, and every vector that then crosses a call is boxed on the heap:
 * measured, 17–34 kB allocated per step and the speed of plain Java lost. Compiled on their own,
 * the conversion methods (each a loop over a whole block) always have the full budget, and the
 * price is one ordinary call per block.
 *
 * <p>The directive matches every compilation ({@code *.*}) because the callers include generated
 * kernels in users' packages; while it is installed, HotSpot applies it instead of
 * {@code -XX:CompileCommand} options. It is installed only when a user opts into the Vector API.
 */
final class InliningDirective {
  private static final String DIAGNOSTIC_COMMAND = "com.sun.management:type=DiagnosticCommand";

  private InliningDirective() {}

  /**
   * Installs the directive for {@code className}; on failure appends the reason to {@code whyNot}.
   *
   * @return whether HotSpot accepted it
   */
  static boolean neverInlineMethodsOf(String className, StringBuilder whyNot) {
    String directive = "[{ match: \"*.*\", inline: \"-" + className.replace('.', '/') + ".*\" }]";
    Path file = null;
    try {
      file = Files.createTempFile("optkernels-inlining", ".json");
      Files.writeString(file, directive, StandardCharsets.US_ASCII);
      Object reply = ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName(DIAGNOSTIC_COMMAND), "compilerDirectivesAdd",
          new Object[] {new String[] {file.toString()}}, new String[] {String[].class.getName()});
      // HotSpot answers "1 compiler directives added"; anything else means it was not parsed
      if (reply == null || !reply.toString().startsWith("1 ")) {
        // its reply spans lines and ends with a newline: keep the reason on one line
        whyNot.append("the JIT did not accept the inlining directive: ")
            .append(String.valueOf(reply).strip().replaceAll("\\s*\\R\\s*", "; "));
        return false;
      }
      return true;
    } catch (Exception | LinkageError e) {
      whyNot.append("no way to keep the vector conversions out of inlining on this JVM: ").append(e);
      return false;
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (java.io.IOException e) {
          // HotSpot has read the file; a leftover temporary file is harmless
        }
      }
    }
  }
}
