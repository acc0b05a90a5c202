package io.github.optkernels.processor;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.tools.JavaFileObject;

/** One javac run with the optimizer processor: the compilation and what the processor tried to write. */
final class ProcessorRun {
  private final Compilation compilation;
  private final RecordingProcessor processor;

  private ProcessorRun(Compilation compilation, RecordingProcessor processor) {
    this.compilation = compilation;
    this.processor = processor;
  }

  /**
   * Compiles with {@code -Xlint:all}: users build generated code with {@code -Xlint:all -Werror},
   * so anything the processor makes javac warn about is a failure for them too.
   */
  static ProcessorRun compile(JavaFileObject... sources) {
    RecordingProcessor processor = new RecordingProcessor();
    Compilation compilation = Compiler.javac()
        .withProcessors(processor)
        .withOptions("-Xlint:all")
        .compile(sources);
    return new ProcessorRun(compilation, processor);
  }

  /** As {@link #compile(JavaFileObject...)}, with {@code extra} on the class path after the test's own. */
  static ProcessorRun compile(List<java.io.File> extra, JavaFileObject... sources) {
    RecordingProcessor processor = new RecordingProcessor();
    List<java.io.File> classpath = new java.util.ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      classpath.add(new java.io.File(entry));
    }
    classpath.addAll(extra);
    Compilation compilation = Compiler.javac()
        .withProcessors(processor)
        .withOptions("-Xlint:all")
        .withClasspath(classpath)
        .compile(sources);
    return new ProcessorRun(compilation, processor);
  }

  Compilation compilation() {
    return compilation;
  }

  /** Qualified names of the source files the processor asked the Filer for, sorted. */
  Set<String> createdSources() {
    return new TreeSet<>(processor.createdSources().keySet());
  }

  /** Each requested source file's originating elements (qualified names). */
  Map<String, List<String>> originatingElements() {
    return processor.createdSources();
  }

  /** Class files and resources requested; the processor writes only sources. */
  List<String> otherFiles() {
    return processor.otherFiles();
  }
}
