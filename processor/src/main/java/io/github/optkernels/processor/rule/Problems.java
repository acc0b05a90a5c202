package io.github.optkernels.processor.rule;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import io.github.optkernels.processor.validation.Message;
import io.github.optkernels.processor.validation.ValidationReport;

/**
 * Where a translator reports what it cannot translate: on the exact tree, in the rule's file. A
 * translator goes on after a problem (returning a placeholder), so the user sees every problem of
 * a rule at once.
 */
final class Problems {
  private final ValidationReport report;
  private final CompilationUnitTree unit;
  private int count;

  Problems(ValidationReport report, CompilationUnitTree unit) {
    this.report = report;
    this.unit = unit;
  }

  void at(Tree tree, Message message, Object... args) {
    report.error(message.format(args), unit, tree);
    count++;
  }

  /** How many problems were reported so far. */
  int count() {
    return count;
  }
}
