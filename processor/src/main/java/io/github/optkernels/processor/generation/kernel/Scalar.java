package io.github.optkernels.processor.generation.kernel;

import io.github.optkernels.processor.model.Phase;
import java.util.Set;

/**
 * A per-step scalar: a field of the compute type, set by {@code prepare}, copied into a local by
 * the loops of the phases that read it.
 *
 * @param name field and local name
 * @param doc what it holds, for the field's Javadoc
 * @param phases the loops that read it
 */
public record Scalar(String name, String doc, Set<Phase> phases) {
  public Scalar {
    phases = Set.copyOf(phases);
  }
}
