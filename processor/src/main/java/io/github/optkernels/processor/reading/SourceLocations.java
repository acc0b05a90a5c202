package io.github.optkernels.processor.reading;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Optional;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * Where things sit in the source: the file a type is written in, and the offset of an element, an
 * annotation or one annotation value. The annotation-processing API says neither (JDK 17 has no
 * {@code Elements.getFileObjectOf}), so this reads javac's Trees API.
 *
 * <p>{@code Trees.instance} accepts only javac's own processing environment. Build tools wrap it
 * (Gradle's incremental processing hands processors a delegating wrapper), so a wrapper that keeps
 * javac's environment in a field is looked through. Where no javac environment can be found
 * (another compiler, an opaque wrapper) nothing is known: no file names, so the file-name check is
 * skipped (javac's own error remains), and every position is {@link #UNKNOWN}, so diagnostics keep
 * the order in which they were found.
 */
public final class SourceLocations {
  /** The position of anything whose place in the source is not known; sorts after every known one. */
  public static final long UNKNOWN = Long.MAX_VALUE;

  /** javac's Trees, or null when the processor does not run inside javac. */
  private final Trees trees;

  private SourceLocations(Trees trees) {
    this.trees = trees;
  }

  private static final String JAVAC_ENVIRONMENT =
      "com.sun.tools.javac.processing.JavacProcessingEnvironment";
  /** How many wrappers deep javac's environment is looked for; real builds have at most one. */
  private static final int MAX_WRAPPERS = 4;

  /** The locations of {@code env}'s compilation; empty of knowledge when it is not javac's. */
  public static SourceLocations of(ProcessingEnvironment env) {
    ProcessingEnvironment javac = javacEnvironment(env, MAX_WRAPPERS);
    if (javac == null) {
      return new SourceLocations(null);
    }
    try {
      return new SourceLocations(Trees.instance(javac));
    } catch (IllegalArgumentException | LinkageError unavailable) {
      return new SourceLocations(null);
    }
  }

  /** javac's environment: {@code env} itself, or the one a delegating wrapper holds; else null. */
  private static ProcessingEnvironment javacEnvironment(ProcessingEnvironment env, int depth) {
    if (env == null || env.getClass().getName().equals(JAVAC_ENVIRONMENT)) {
      return env;
    }
    if (depth == 0) {
      return null;
    }
    for (Class<?> type = env.getClass(); type != null && type != Object.class;
        type = type.getSuperclass()) {
      for (Field field : type.getDeclaredFields()) {
        if (ProcessingEnvironment.class.isAssignableFrom(field.getType())
            && !Modifier.isStatic(field.getModifiers())) {
          try {
            field.setAccessible(true);
            ProcessingEnvironment found =
                javacEnvironment((ProcessingEnvironment) field.get(env), depth - 1);
            if (found != null) {
              return found;
            }
          } catch (ReflectiveOperationException | RuntimeException inaccessible) {
            // a wrapper in a module that does not open it to us; try the next field
          }
        }
      }
    }
    return null;
  }

  /**
   * The simple name of the source file {@code element} is written in, without {@code .java}
   * ({@code AdamW} for {@code src/main/java/demo/AdamW.java}); empty for elements that do not come
   * from source, or when Trees is not available.
   */
  public Optional<String> fileNameOf(Element element) {
    if (trees == null) {
      return Optional.empty();
    }
    TreePath path = trees.getPath(element);
    if (path == null) {
      return Optional.empty();
    }
    String name = path.getCompilationUnit().getSourceFile().getName();
    name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    return name.endsWith(".java")
        ? Optional.of(name.substring(0, name.length() - ".java".length()))
        : Optional.empty();
  }

  /** The method's source tree and its compilation unit, when javac's Trees can give them. */
  public Optional<MethodSource> methodSource(javax.lang.model.element.ExecutableElement method) {
    if (trees == null) {
      return Optional.empty();
    }
    TreePath path = trees.getPath(method);
    if (path == null || !(path.getLeaf() instanceof com.sun.source.tree.MethodTree tree) || tree.getBody() == null) {
      return Optional.empty();
    }
    return Optional.of(new MethodSource(tree, path.getCompilationUnit()));
  }

  /** A method's tree and the file it is in. */
  public record MethodSource(com.sun.source.tree.MethodTree tree, CompilationUnitTree unit) {}

  /** The source offset of {@code tree} in {@code unit}. */
  public long positionOf(CompilationUnitTree unit, com.sun.source.tree.Tree tree) {
    if (trees == null) {
      return UNKNOWN;
    }
    long start = trees.getSourcePositions().getStartPosition(unit, tree);
    return start == Diagnostic.NOPOS ? UNKNOWN : start;
  }

  /** Reports {@code text} as an error on {@code tree} (the exact expression). */
  public void printError(String text, CompilationUnitTree unit, com.sun.source.tree.Tree tree) {
    trees.printMessage(Diagnostic.Kind.ERROR, text, tree, unit);
  }

  /**
   * The source offset where the diagnostic on ({@code element}, {@code mirror}, {@code value})
   * starts; {@code mirror} and {@code value} may be null for coarser positions, as with
   * {@link javax.annotation.processing.Messager}.
   */
  public long positionOf(Element element, AnnotationMirror mirror, AnnotationValue value) {
    if (trees == null) {
      return UNKNOWN;
    }
    TreePath path = value != null ? trees.getPath(element, mirror, value)
        : mirror != null ? trees.getPath(element, mirror)
        : trees.getPath(element);
    if (path == null) {
      return UNKNOWN;
    }
    CompilationUnitTree unit = path.getCompilationUnit();
    long start = trees.getSourcePositions().getStartPosition(unit, path.getLeaf());
    return start == Diagnostic.NOPOS ? UNKNOWN : start;
  }
}
