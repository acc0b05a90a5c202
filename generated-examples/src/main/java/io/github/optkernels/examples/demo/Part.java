package io.github.optkernels.examples.demo;

import java.util.Locale;

/** The parts of the demo, in the order they run; {@code --parts} names them. */
enum Part {
  CONVERGENCE("Adam's convergence failure (Reddi et al., synthetic problem)"),
  RECTIFICATION("RAdam's rectification term r_t for several beta2"),
  MLP("a small MLP trained on handwritten digits with six optimizers"),
  SPEED("generated vs hand-written AdamW step on one large tensor"),
  DJL("the digits MLP through DJL's Trainer: DJL's Adam against optkernels, and RAdam and AdaBelief");

  private final String description;

  Part(String description) {
    this.description = description;
  }

  /** The name used on the command line and in {@code summary.json}. */
  String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  String description() {
    return description;
  }

  /** The part named {@code id}, ignoring case. */
  static Part parse(String id) {
    for (Part part : values()) {
      if (part.id().equalsIgnoreCase(id.trim())) {
        return part;
      }
    }
    throw new IllegalArgumentException("unknown part '" + id.trim() + "'; the parts are "
        + "convergence, rectification, mlp, speed, djl");
  }
}
