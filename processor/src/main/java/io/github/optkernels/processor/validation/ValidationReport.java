package io.github.optkernels.processor.validation;

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

    Item(String text, Element element, AnnotationMirror mirror, AnnotationValue value) {
      this.text = text;
      this.element = element;
      this.mirror = mirror;
      this.value = value;
    }
  }

  /** Records an error; {@code mirror} and {@code value} may be null for coarser positions. */
  void error(String text, Element element, AnnotationMirror mirror, AnnotationValue value) {
    items.add(new Item(text, element, mirror, value));
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
    inSourceOrder.sort(Comparator.comparingLong(
        item -> locations.positionOf(item.element, item.mirror, item.value)));
    for (Item item : inSourceOrder) {
      if (item.value != null) {
        messager.printMessage(Diagnostic.Kind.ERROR, item.text, item.element, item.mirror, item.value);
      } else if (item.mirror != null) {
        messager.printMessage(Diagnostic.Kind.ERROR, item.text, item.element, item.mirror);
      } else {
        messager.printMessage(Diagnostic.Kind.ERROR, item.text, item.element);
      }
    }
  }
}
