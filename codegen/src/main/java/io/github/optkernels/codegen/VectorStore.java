package io.github.optkernels.codegen;

import com.palantir.javapoet.CodeBlock;

/**
 * One buffer's store of one vector, split around a branch: {@code check} declares the mask
 * {@code unusual} of the lanes the vector rounding does not round as plain Java does (null when it
 * rounds every lane, as a float32 copy does); {@code write} rounds and stores, and is meant to run
 * only when no lane of that mask is set. The fused loops run every check of an iteration before
 * any write; the runtime's block conversions send a vector with an unusual lane through plain
 * Java instead of the write.
 */
public record VectorStore(CodeBlock check, String unusual, CodeBlock write) {}
