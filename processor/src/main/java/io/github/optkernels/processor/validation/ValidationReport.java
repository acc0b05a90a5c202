package io.github.optkernels.processor.validation;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import io.github.optkernels.processor.reading.SourceLocations;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.annotation.processing.Messager;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/** The problems found in one spec, each tied to the smallest source position that shows it. */
public final class ValidationReport {
  private final List<Item> items = new ArrayList<>();

  private static final class Item {
    final String text;
    final Element element;
    final AnnotationMirror mirror;
    final AnnotationValue value;
    /** For a problem inside a rule's body: the exact expression, and its file. */
    final Tree tree;
    final CompilationUnitTree unit;

    Item(String text, Element element, AnnotationMirror mirror, AnnotationValue value, Tree tree,
        CompilationUnitTree unit) {
      this.text = text;
      this.element = element;
      this.mirror = mirror;
      this.value = value;
      this.tree = tree;
      this.unit = unit;
    }

    long position(SourceLocations locations) {
      return tree != null ? locations.positionOf(unit, tree) : locations.positionOf(element, mirror, value);
    }
  }

  /** Records an error; {@code mirror} and {@code value} may be null for coarser positions. */
  public void error(String text, Element element, AnnotationMirror mirror, AnnotationValue value) {
    items.add(new Item(text, element, mirror, value, null, null));
  }

  /** Records an error on one expression or statement of a rule's source. */
  public void error(String text, CompilationUnitTree unit, Tree tree) {
    items.add(new Item(text, null, null, null, tree, unit));
  }

  /** True when the spec has no problems and may be generated. */
  public boolean isClean() {
    return items.isEmpty();
  }

  /** The messages, in the order found. */
  public List<String> messages() {
    List<String> texts = new ArrayList<>();
    for (Item item : items) {
      texts.add(item.text);
    }
    return texts;
  }

  /**
   * Reports every problem as a compile error, in source order: the checks run grouped by kind,
   * but a user reads and fixes a spec top to bottom. Problems at the same place (or when positions
   * are unknown) keep the order they were found in.
   */
  public void printTo(Messager messager, SourceLocations locations) {
    List<Item> inSourceOrder = new ArrayList<>(items);
    inSourceOrder.sort(Comparator.comparingLong(item -> item.position(locations)));
    for (Item item : inSourceOrder) {
      if (item.tree != null) {
        locations.printError(item.text, item.unit, item.tree);
      } else if (item.value != null) {
        messager.printMessage(Diagnostic.Kind.ERROR, item.text, item.element, item.mirror, item.value);
      } else if (item.mirror != null) {
        messager.printMessage(Diagnostic.Kind.ERROR, item.text, item.element, item.mirror);
      } else {
        messager.printMessage(Diagnostic.Kind.ERROR, item.text, item.element);
      }
    }
  }
}
